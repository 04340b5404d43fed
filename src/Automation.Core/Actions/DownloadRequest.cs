namespace Automation.Core.Actions;

/// <summary>
/// What to download and how to trust it. <paramref name="Urls"/> are mirrors of one file, tried in order.
/// <paramref name="Timeout"/> is an inactivity limit: the longest wait for the response headers or for any single read.
/// <paramref name="Retries"/> counts extra attempts per mirror after the first. With <paramref name="LocalFilePath"/>
/// no network is used: that file is verified and copied to the destination instead. <paramref name="PartialPath"/> is
/// where an unfinished download is kept between attempts and runs (default <c>&lt;destination&gt;.part</c>).
/// </summary>
public sealed record DownloadRequest(
    IReadOnlyList<Uri> Urls,
    string DestinationPath,
    string? Sha256 = null,
    string? Md5 = null,
    TimeSpan Timeout = default,
    int Retries = 3,
    string? LocalFilePath = null,
    string? PartialPath = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The inactivity limit in force: <see cref="DefaultTimeout"/> when none was given.</summary>
    public TimeSpan EffectiveTimeout => Timeout > TimeSpan.Zero ? Timeout : DefaultTimeout;
}

/// <summary>
/// A verified file at <paramref name="Path"/>. <paramref name="Source"/> is the mirror that served it (null for a local
/// file); <paramref name="Resumed"/> says part of it came from an earlier interrupted attempt.
/// </summary>
public sealed record DownloadResult(string Path, long Bytes, string Sha256, string? Md5, Uri? Source, bool Resumed, bool FromLocalFile);

/// <summary>Progress callbacks; the CLI renders them (the core has no console dependency).</summary>
public interface IDownloadProgress
{
    /// <summary>A response arrived from <paramref name="source"/>; <paramref name="bytesSoFar"/> is non-zero when resuming.</summary>
    void Started(Uri source, long bytesSoFar, long? totalBytes);

    /// <summary>More bytes were written. <paramref name="totalBytes"/> is null when the server did not say.</summary>
    void Advanced(long bytesSoFar, long? totalBytes);
}
