namespace Automation.Core.Detection;

/// <summary>
/// The <c>detect</c> object of a script meta: where to look for a tool, how to read its version and which env
/// to export. Plain data; <see cref="DetectSpecParser"/> validates it and <see cref="Detector"/> runs it.
/// Maps are ordered lists so that search order and exported env order follow the meta file.
/// </summary>
public sealed record DetectSpec(
    string MetaFile,
    string ScriptAlias,
    IReadOnlyList<string> Executables,
    IReadOnlyList<string> WindowsExecutables,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<string> PathEnv,
    IReadOnlyList<KeyValuePair<string, string>> HomeEnv,
    IReadOnlyList<string> SearchPaths,
    bool AllMatches,
    IReadOnlyList<string> VersionArgs,
    string VersionRegex,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    CsvQuery? Csv,
    string? NotFound,
    TimeSpan Timeout,
    bool ReadFile = false,
    string? VersionTemplate = null)
{
    /// <summary>Used when a spec gives no version_regex: the first dotted number, with an optional pre-release label.</summary>
    public const string DefaultVersionRegex = @"(\d+\.\d+(?:\.\d+)*(?:-?[A-Za-z][0-9A-Za-z.]*)?)";

    public static IReadOnlyList<string> DefaultVersionArgs { get; } = ["--version"];

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>"read_file": true</c>: the candidates are data files (headers such as cudnn_version.h), not programs: the
    /// version regex runs over the file's text instead of a command's output, and PATH is not searched.
    /// </summary>
    public const int MaxReadBytes = 256 * 1024;

    /// <summary>The name used in messages: the first executable name.</summary>
    public string ToolName => Executables.Count > 0 ? Executables[0] : WindowsExecutables[0];
}

/// <summary>
/// <c>"parse": "csv"</c>: the probe prints one record per line (nvidia-smi --format=csv,noheader). Each row is
/// exposed to <see cref="RowEnv"/> as <c>row.&lt;column&gt;</c> with its 0-based <c>index</c>; the version is read
/// from <see cref="VersionColumn"/> of the first row.
/// </summary>
public sealed record CsvQuery(
    IReadOnlyList<string> Columns,
    string VersionColumn,
    bool Header,
    IReadOnlyList<KeyValuePair<string, string>> RowEnv);
