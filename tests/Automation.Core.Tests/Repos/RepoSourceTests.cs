using Automation.Core.Repos;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Repos;

/// <summary>What `cm pull repo X` makes of X.</summary>
public sealed class RepoSourceTests : IDisposable
{
    private readonly RepoFixture fx = new();

    public void Dispose() => fx.Dispose();

    private RepoSource Parse(string text) => RepoSource.Parse(text, PhysicalFileSystem.Instance, fx.Root);

    [Fact]
    public void AnExistingFolderIsRegisteredInPlaceEvenWhenGivenRelatively()
    {
        var dir = fx.Plain("mine", "my-tool");
        var source = Parse("mine");
        Assert.Equal(RepoSourceKind.LocalFolder, source.Kind);
        Assert.Equal(dir, source.Location);
    }

    [Theory]
    [InlineData("mlcommons@mlperf-automations", "https://github.com/mlcommons/mlperf-automations.git", "mlcommons@mlperf-automations")]
    [InlineData("https://github.com/mlcommons/mlperf-automations", "https://github.com/mlcommons/mlperf-automations", "mlcommons@mlperf-automations")]
    [InlineData("https://github.com/mlcommons/ck.git", "https://github.com/mlcommons/ck.git", "mlcommons@ck")]
    [InlineData("git@github.com:mlcommons/ck.git", "git@github.com:mlcommons/ck.git", "mlcommons@ck")]
    [InlineData("https://gitlab.example.org/team/scripts.git", "https://gitlab.example.org/team/scripts.git", "scripts")]
    [InlineData("me@host.example:lib/scripts", "me@host.example:lib/scripts", "scripts")]
    public void GitSourcesGetTheFolderNamesMlcFlowGivesThem(string text, string url, string folder)
    {
        var source = Parse(text);
        Assert.Equal(RepoSourceKind.Git, source.Kind);
        Assert.Equal(url, source.Location);
        Assert.Equal(folder, source.FolderName);
    }

    [Fact]
    public void AFileUrlMustNameAnExistingFolder()
    {
        var dir = Directory.CreateDirectory(fx["origin.git"]).FullName;
        var source = Parse(new Uri(dir).AbsoluteUri);
        Assert.Equal(RepoSourceKind.Git, source.Kind);
        Assert.Equal("origin", source.FolderName);
        var e = Assert.Throws<RepoException>(() => Parse(new Uri(fx["nowhere"]).AbsoluteUri));
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData("no-such-folder")]
    [InlineData("--force")]
    [InlineData("")]
    public void AnythingElseIsAClearError(string text)
    {
        var e = Assert.Throws<RepoException>(() => Parse(text));
        Assert.Contains("not a folder, a git URL or a GitHub owner@name", e.Message);
        Assert.Contains("owner@name for https://github.com/owner/name", e.Message);
    }
}
