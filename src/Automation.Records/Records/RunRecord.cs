namespace Automation.Records.Records;

/// <summary>Names of the run record format (docs/records.md).</summary>
public static class RunRecord
{
    public const string Schema = "automation.run-record/1";
    public const string FileName = "cm-run-record.json";
    /// <summary>History copies of every record, under the cache root, newest last by name.</summary>
    public const string HistoryFolder = ".records";
    /// <summary>Files our own tools write into a results folder; they are not outputs of the run.</summary>
    public static readonly IReadOnlySet<string> OwnFiles = new HashSet<string>(StringComparer.Ordinal)
    {
        FileName, "ro-crate-metadata.json", "cm-report.html", "cm-report.md", "cm-lock.json",
    };
}
