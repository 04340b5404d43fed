using Automation.Core.Repos;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Repos;

/// <summary>$CM_REPOS/repos.json: CM's list of repository folders.</summary>
public sealed class RepoRegistryTests : IDisposable
{
    private readonly RepoFixture fx = new();

    public void Dispose() => fx.Dispose();

    [Fact]
    public void AMissingFileMeansNoRepositoriesAndReadingCreatesNothing()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        Assert.Empty(registry.Paths());
        Assert.False(Directory.Exists(fx["cm-home"]));
    }

    [Fact]
    public void AddKeepsRegistrationOrderOnceAndRemoveTakesOneOut()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        Assert.True(registry.Add("/a"));
        Assert.True(registry.Add("/b"));
        Assert.False(registry.Add("/a"));
        Assert.Equal(["/a", "/b"], registry.Paths());
        Assert.True(registry.Remove("/a"));
        Assert.False(registry.Remove("/a"));
        Assert.Equal(["/b"], registry.Paths());
        // CM's own format: a plain JSON list of folders.
        Assert.Equal("[\n  \"/b\"\n]\n", File.ReadAllText(registry.File).Replace("\r", ""));
    }

    [Fact]
    public void CmReposChoosesTheFolderAndHomeCmIsTheDefault()
    {
        Assert.Equal(fx["x"], RepoRegistry.ForHost(PhysicalFileSystem.Instance, new TestHost(fx.Root, ("CM_REPOS", fx["x"]))).Directory);
        Assert.Equal(Path.Combine(fx["home"], "CM"), RepoRegistry.ForHost(PhysicalFileSystem.Instance, new TestHost(fx.Root, ("HOME", fx["home"]))).Directory);
    }

    [Fact]
    public void AClonedRepositoryLivesInReposUnderTheRegistryFolder()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        Assert.True(registry.IsClone(Path.Combine(fx["cm-home"], "repos", "mlcommons@ck")));
        Assert.False(registry.IsClone(fx["elsewhere"]));
    }

    [Fact]
    public void AMalformedFileIsAnErrorNamingItAndTheFix()
    {
        var registry = new RepoRegistry(PhysicalFileSystem.Instance, fx["cm-home"]);
        Directory.CreateDirectory(registry.Directory);
        File.WriteAllText(registry.File, "{\"not\": \"a list\"}");
        var e = Assert.Throws<RepoException>(() => registry.Paths());
        Assert.Contains(registry.File, e.Message);
        Assert.Contains("JSON list", e.Message);
    }
}
