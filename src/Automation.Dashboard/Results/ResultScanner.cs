using Automation.Dashboard.Security;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Results;

/// <summary>
/// What a run folder holds, found by file name, for the downloads and file list: accuracy files, run records,
/// reports, RO-Crates, submission trees and sweep tables. The MLPerf results themselves are read through
/// Automation.Results (see Catalog/RunIndex); other tools write these files, the dashboard only reads them.
/// </summary>
public static class ResultScanner
{
    private const int MaxFiles = 5000;

    public static IEnumerable<string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 12 }).Take(MaxFiles)
            : [];

    public static JObject Scan(string root)
    {
        var files = Files(root).Order(StringComparer.Ordinal).ToList();
        string Rel(string p) => SafePaths.Relative(root, p);
        var folders = files.Select(Path.GetDirectoryName).Distinct().Select(d => d!).ToList();
        return new JObject
        {
            ["records"] = new JArray(files.Where(f => Path.GetFileName(f) == "cm-run-record.json").Select(Rel)),
            ["reports"] = new JArray(files.Where(f => f.EndsWith(".html", StringComparison.OrdinalIgnoreCase)).Select(Rel)),
            ["ro_crates"] = new JArray(files.Where(f => Path.GetFileName(f) == "ro-crate-metadata.json").Select(f => Rel(Path.GetDirectoryName(f)!))),
            ["submissions"] = new JArray(folders.SelectMany(d => Ancestors(root, d)).Where(d => Path.GetFileName(d).StartsWith("submission", StringComparison.OrdinalIgnoreCase)).Distinct().Select(Rel)),
            ["sweeps"] = new JArray(files.Where(f => Path.GetFileName(f) == "experiment.json").Select(Rel)),
            ["files"] = new JArray(files.Take(500).Select(f => new JObject { ["path"] = Rel(f), ["size"] = new FileInfo(f).Length })),
        };
    }

    private static IEnumerable<string> Ancestors(string root, string dir)
    {
        for (var d = dir; d is not null && SafePaths.IsInside(root, d) && d.Length > Path.GetFullPath(root).TrimEnd('/').Length; d = Path.GetDirectoryName(d)) yield return d;
    }
}
