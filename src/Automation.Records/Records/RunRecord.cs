namespace Automation.Records.Records;

/// <summary>Names of the run record format (docs/records.md).</summary>
public static class RunRecord
{
    public const string Schema = "automation.run-record/1";
    public const string FileName = "cm-run-record.json";
    /// <summary>History copies of every record, under the cache root, newest last by name.</summary>
    public const string HistoryFolder = ".records";
    /// <summary>
    /// Each run's own copy of its record in a results folder (<c>cm-runs/&lt;id&gt;/cm-run-record.json</c>): a second run
    /// into the same folder replaces the record at the folder's root (the latest run, which replay/diff/report read)
    /// but not the first run's copy here.
    /// </summary>
    public const string RunsFolder = "cm-runs";
    /// <summary>Files our own tools write into a results folder; they are not outputs of the run.</summary>
    public static readonly IReadOnlySet<string> OwnFiles = new HashSet<string>(StringComparer.Ordinal)
    {
        FileName, "ro-crate-metadata.json", "cm-report.html", "cm-report.md", "cm-lock.json", RunsFolder + "/",
    };

    /// <summary>Where the run <paramref name="id"/> keeps its own record inside <paramref name="resultsDir"/>.</summary>
    public static string RunCopy(string resultsDir, string id) => Path.Combine(resultsDir, RunsFolder, id, FileName);
}
