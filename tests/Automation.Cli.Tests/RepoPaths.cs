namespace Automation.Cli.Tests;

/// <summary>The checkout the tests run from, found upward from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string SharedVendor => Path.GetFullPath(Path.Combine(Root, "..", "shared", "vendor"));

    private static string Find()
    {
        for (var d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Automation.sln"))) return d;
        throw new InvalidOperationException("tests must run inside the checkout");
    }
}
