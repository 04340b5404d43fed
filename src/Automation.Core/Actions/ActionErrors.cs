using Automation.Core.Errors;

namespace Automation.Core.Actions;

/// <summary>One failed attempt at one URL; a <see cref="DownloadException"/> lists them all.</summary>
public sealed record DownloadFailure(Uri Url, int Attempt, string Reason);

/// <summary>A download that did not produce a verified file at its destination.</summary>
public class DownloadException(string message, string? file, string? fix, IReadOnlyList<DownloadFailure> failures, Exception? inner = null)
    : AutomationException(message, file, fix: fix, inner: inner)
{
    public IReadOnlyList<DownloadFailure> Failures { get; } = failures;
}

/// <summary>The bytes arrived (or the local file exists) but do not hash to what the request expected.</summary>
public sealed class ChecksumMismatchException(
    string message, string file, string fix, string algorithm, string expected, string actual, IReadOnlyList<DownloadFailure> failures)
    : DownloadException(message, file, fix, failures)
{
    public string Algorithm { get; } = algorithm;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}

/// <summary>An archive that could not be read or extracted; nothing was left in the target directory.</summary>
public class ArchiveException(string message, string archive, string? entry, string fix, Exception? inner = null)
    : AutomationException(message, archive, fix: fix, inner: inner)
{
    public string Archive { get; } = archive;
    public string? Entry { get; } = entry;
}

/// <summary>An entry that would land outside the target directory (path traversal, absolute path, escaping link).</summary>
public sealed class UnsafeArchiveEntryException(string archive, string entry, string reason)
    : ArchiveException(
        $"Refused to extract '{archive}': entry '{entry}' {reason}; nothing was extracted",
        archive, entry,
        "The archive is malicious or broken: get it from a trusted source. Entries must stay inside the target directory " +
        "(no '..' escapes, no absolute paths or drive letters, no links pointing outside).")
{
}

/// <summary>An archive whose files add up to more than the extraction limit (an archive bomb, or a limit set too low).</summary>
public sealed class ArchiveTooLargeException(string archive, string entry, long limit)
    : ArchiveException(
        $"Refused to extract '{archive}': its files add up to more than the limit of {FormatBytes(limit)} (reached at entry '{entry}'); nothing was extracted",
        archive, entry,
        $"An archive that unpacks to far more than its own size is often an archive bomb: get it from a trusted source. If it is trusted, raise the limit " +
        $"with --max_size=SIZE (CM_EXTRACT_MAX_SIZE, e.g. 50G; 0 for none); by default it is {ExtractOptions.DefaultRatio} times the archive's size, at least " +
        $"{FormatBytes(ExtractOptions.DefaultMinimumBytes)}.")
{
    public long Limit { get; } = limit;

    private static string FormatBytes(long bytes) =>
        bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? $"{bytes >> 30} GiB"
        : bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB"
        : $"{bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes";
}
