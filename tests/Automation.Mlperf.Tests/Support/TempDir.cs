namespace Automation.Mlperf.Tests.Support;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mlperf-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Base for test classes that write files: a fresh folder a test, removed afterwards.</summary>
public abstract class TempDirTest : IDisposable
{
    protected TempDir Dir { get; } = new();

    public void Dispose() => Dir.Dispose();
}
