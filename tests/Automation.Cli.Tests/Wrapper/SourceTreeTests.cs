using Automation.Cli.Hosting;
using Automation.Core.World;
using Xunit;

namespace Automation.Cli.Tests.Wrapper;

/// <summary>The "does ./cm need a build?" decision on a small fake checkout whose times the tests set.</summary>
public sealed class SourceTreeTests : IDisposable
{
    private static readonly DateTime Before = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime BuiltAt = Before.AddDays(1);
    private static readonly DateTime After = BuiltAt.AddMinutes(1);
    private readonly string root = Directory.CreateTempSubdirectory("cm-tree-").FullName;
    private readonly SourceTree tree;
    private readonly IReadOnlyCollection<string> recorded;

    public SourceTreeTests()
    {
        Write("Directory.Build.props", "<Project />");
        Write("src/App/App.csproj", "<Project />");
        Write("src/App/Program.cs", "class P {}");
        Write("src/App/wwwroot/site.css", "body {}");
        Write("src/App/bin/Release/App.dll", "");
        Write("src/App/obj/Gen.cs", "");
        Write("src/App/.Program.cs.swp", "");
        Write("README.md", "not a build input");
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root)) Date(path, Before);
        tree = new SourceTree(PhysicalFileSystem.Instance, root);
        recorded = tree.List().ToHashSet(StringComparer.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void ListsSourcesAndFoldersButNotBuildOutputOrEditorFiles() =>
        Assert.Equal(["Directory.Build.props", "src/", "src/App/", "src/App/App.csproj", "src/App/Program.cs", "src/App/wwwroot/", "src/App/wwwroot/site.css"], tree.List());

    [Fact]
    public void NothingChangedNeedsNoBuild()
    {
        Assert.Null(tree.FirstChangeSince(BuiltAt, recorded));
        Assert.Null(tree.FirstChangeSince(BuiltAt, null));
    }

    [Fact]
    public void AFileEditedInPlaceNeedsABuild()
    {
        // In-place saves (VS Code, nano, >>) move only the file's time, not its folder's.
        Date(Path.Combine(root, "src/App/wwwroot/site.css"), After);
        Assert.Equal("src/App/wwwroot/site.css", tree.FirstChangeSince(BuiltAt, recorded));
        Assert.Equal("src/App/wwwroot/site.css", tree.FirstChangeSince(BuiltAt, null));
    }

    [Fact]
    public void AFileSavedInTheBuildsOwnClockTickCounts()
    {
        Date(Path.Combine(root, "src/App/Program.cs"), BuiltAt);
        Assert.Equal("src/App/Program.cs", tree.FirstChangeSince(BuiltAt, recorded));
    }

    [Fact]
    public void AddedRemovedAndRenamedFilesNeedABuild()
    {
        Write("src/App/Extra.cs", "class E {}");
        Assert.Equal("src/App/Extra.cs (new)", tree.FirstChangeSince(BuiltAt, recorded));
        File.Delete(Path.Combine(root, "src/App/Extra.cs"));
        File.Delete(Path.Combine(root, "src/App/Program.cs"));
        Assert.Equal("src/App/Program.cs (deleted)", tree.FirstChangeSince(BuiltAt, recorded));
        // A rename keeps the file's old time; only the folder shows it.
        Write("src/App/Program.cs", "class P {}");
        Date(Path.Combine(root, "src/App/Program.cs"), Before);
        File.Move(Path.Combine(root, "src/App/Program.cs"), Path.Combine(root, "src/App/Main.cs"));
        Assert.Contains(tree.FirstChangeSince(BuiltAt, recorded), new[] { "src/App/Main.cs (new)", "src/App/Program.cs (deleted)" });
    }

    [Fact]
    public void ANewFolderOfSourcesNeedsABuild()
    {
        Write("src/App/Feature/Thing.cs", "class T {}");
        Assert.Equal("src/App/Feature/ (new)", tree.FirstChangeSince(BuiltAt, recorded));
    }

    [Fact]
    public void SwapFilesAndBuildOutputMoveAFoldersTimeWithoutNeedingABuild()
    {
        Write("src/App/.Main.cs.swp", "");
        Write("src/App/#Program.cs#", "");
        Write("src/App/Program.cs~", "");
        Write("src/App/obj/Debug/More.cs", "");
        Directory.CreateDirectory(Path.Combine(root, "src/App/bin/Debug"));
        Assert.True(Directory.GetLastWriteTimeUtc(Path.Combine(root, "src/App")) > BuiltAt);
        Assert.Null(tree.FirstChangeSince(BuiltAt, recorded));
        Assert.Null(tree.FirstChangeSince(BuiltAt, null));
    }

    [Fact]
    public void RepositoryWideBuildFilesCount()
    {
        Date(Path.Combine(root, "Directory.Build.props"), After);
        Assert.Equal("Directory.Build.props", tree.FirstChangeSince(BuiltAt, recorded));
        Date(Path.Combine(root, "Directory.Build.props"), Before);
        Write("global.json", "{}");
        Assert.Equal("global.json (new)", tree.FirstChangeSince(BuiltAt, recorded));
        Write("docs/notes.md", "not an input");
        File.Delete(Path.Combine(root, "global.json"));
        Assert.Null(tree.FirstChangeSince(BuiltAt, recorded));
    }

    [Fact]
    public void TheRecordIsWrittenOnTheFirstRunAfterABuildAndUsedAfterwards()
    {
        var stamp = Path.Combine(root, "artifacts/cm/.built-at");
        var record = new BuildRecord(PhysicalFileSystem.Instance, root);
        Assert.Equal("artifacts/cm/.built-at (missing)", record.FirstChange());

        Write("artifacts/cm/.built-at", "");
        Date(stamp, BuiltAt);
        Assert.Null(record.FirstChange());
        Assert.Equal(string.Join('\n', recorded.Order(StringComparer.Ordinal)) + "\n", File.ReadAllText(record.SourcesPath));

        // Only the record can tell a deleted file.
        File.Delete(Path.Combine(root, "src/App/Program.cs"));
        Assert.Equal("src/App/Program.cs (deleted)", record.FirstChange());
    }

    [Fact]
    public void NoRecordIsWrittenWhenTheSourcesAlreadyChanged()
    {
        Write("artifacts/cm/.built-at", "");
        Date(Path.Combine(root, "artifacts/cm/.built-at"), BuiltAt);
        Date(Path.Combine(root, "src/App/Program.cs"), After);
        var record = new BuildRecord(PhysicalFileSystem.Instance, root);
        Assert.Equal("src/App/Program.cs", record.FirstChange());
        Assert.False(File.Exists(record.SourcesPath));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static void Date(string path, DateTime time)
    {
        if (Directory.Exists(path)) Directory.SetLastWriteTimeUtc(path, time);
        else File.SetLastWriteTimeUtc(path, time);
    }
}
