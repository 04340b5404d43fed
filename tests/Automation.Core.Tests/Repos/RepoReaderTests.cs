using Automation.Core.Catalog;
using Automation.Core.Repos;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.Repos;

/// <summary>Recognising a repository root: CM's cmr.yaml, MLC's meta.yaml, or a plain folder of script folders.</summary>
public sealed class RepoReaderTests : IDisposable
{
    private readonly RepoFixture fx = new();
    private readonly RepoReader reader = new(PhysicalFileSystem.Instance);

    public void Dispose() => fx.Dispose();

    [Fact]
    public void AnMlcRepositoryIsNamedByItsMetaAndUsesTheMlcPrefix()
    {
        var repo = fx.Mlc("lib", "mlcommons@mlperf-automations", "detect-os");
        var found = reader.Describe(repo)!;
        Assert.Equal(RepoKind.Mlc, found.Kind);
        Assert.Equal("mlcommons@mlperf-automations", found.Alias);
        Assert.Equal(Path.Combine(repo, "script"), found.ScriptsPath);
        Assert.Equal("MLC_", found.EnvPrefix);
    }

    [Fact]
    public void ACmRepositoryWithAPrefixKeepsItsScriptsUnderThePrefix()
    {
        var repo = fx.Cm("ck", "mlcommons@ck", "cm-mlops", "detect-os");
        var found = reader.Describe(repo)!;
        Assert.Equal(RepoKind.Cm, found.Kind);
        Assert.Equal(Path.Combine(repo, "cm-mlops", "script"), found.ScriptsPath);
        Assert.Equal("CM_", found.EnvPrefix);
        var root = found.ToRoot(RootSource.Registered);
        Assert.Equal(repo, root.RepoPath);
        Assert.Equal(Path.Combine(repo, "cm-mlops"), root.RepoPathWithPrefix);
    }

    [Fact]
    public void APlainFolderOfScriptsIsARepositoryNamedAfterTheFolderWithThePrefixByMetaFormat()
    {
        var dir = fx.Plain("mine", "my-tool");
        var found = reader.Describe(dir)!;
        Assert.Equal(RepoKind.Plain, found.Kind);
        Assert.Equal("mine", found.Alias);
        Assert.Equal(dir, found.ScriptsPath);
        Assert.Null(found.EnvPrefix);
    }

    [Fact]
    public void AScriptFolderIsNotARepositoryAndAnEmptyFolderIsNothing()
    {
        var repo = fx.Mlc("lib", "lib", "detect-os");
        Assert.Null(reader.Describe(Path.Combine(repo, "script", "detect-os")));
        Assert.Null(reader.Describe(Directory.CreateDirectory(fx["empty"]).FullName));
    }

    [Fact]
    public void AMalformedRepoMetaIsAnErrorNamingTheFileAndTheWayOut()
    {
        var repo = fx.Mlc("lib", "lib", "detect-os");
        File.WriteAllText(Path.Combine(repo, "meta.yaml"), "alias: [unclosed\n");
        var e = Assert.Throws<RepoException>(() => reader.Describe(repo));
        Assert.Contains(Path.Combine(repo, "meta.yaml"), e.Message);
        Assert.Contains("cm rm repo", e.Message);
    }
}
