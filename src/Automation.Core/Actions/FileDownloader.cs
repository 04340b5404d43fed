using System.Net;
using System.Net.Http.Headers;
using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Core.Security;

namespace Automation.Core.Actions;

/// <summary>
/// Downloads one file from a list of mirrors into <c>&lt;dest&gt;.part</c> (or the request's partial path), resuming
/// with Range requests, retrying transient failures with exponential backoff, and renaming onto the destination only
/// after the checksums verify. A failed download leaves the destination untouched; a <c>.part</c> that failed
/// verification is deleted, while one cut short by the network is kept so that the next attempt (or the next run)
/// resumes it, but only as <see cref="PartialDownload"/> allows: the same file (size, ETag, Last-Modified) on a server
/// that honours the range; otherwise it starts again. A resumed file that fails verification is fetched once more whole.
/// </summary>
/// <param name="http">Should have an infinite <see cref="HttpClient.Timeout"/>: inactivity is policed per read here.</param>
/// <param name="delay">Waits between retries; tests pass a recorder instead of sleeping.</param>
public sealed class FileDownloader(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private const int BufferSize = 1 << 16;
    private const int MaxRedirects = 10;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    /// <summary>
    /// An HttpClient suited to large downloads: no overall timeout, no transparent decompression, and no redirects of
    /// its own (it would send a request to an ftp: Location's host and port): the downloader follows them itself.
    /// </summary>
    public static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Automation", "1.0"));
        return client;
    }

    /// <summary>Wait before retry number <paramref name="retry"/> (1-based): 1 s, 2 s, 4 s … capped at 30 s.</summary>
    public static TimeSpan Backoff(int retry) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Max(0, retry - 1))));

    public async Task<DownloadResult> DownloadAsync(DownloadRequest request, IDownloadProgress? progress = null, CancellationToken ct = default)
    {
        var destination = Path.GetFullPath(request.DestinationPath);
        var expected = new ExpectedDigests(
            Checksums.NormalizeExpected(request.Sha256, "sha256", 64),
            Checksums.NormalizeExpected(request.Md5, "md5", 32));
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);

        if (request.LocalFilePath is not null) return UseLocalFile(request.LocalFilePath, destination, expected, request.Urls);
        if (request.Urls.Count == 0)
            throw new DownloadException("Nothing to download: no URL was given", destination,
                "Give at least one URL, or a local file to use offline.", []);

        var part = request.PartialPath is { } partial ? Path.GetFullPath(partial) : destination + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        var failures = new List<DownloadFailure>();
        var fixes = new List<string>();
        ChecksumMismatchException? lastMismatch = null;
        var restartedWhole = false;
        foreach (var url in request.Urls)
        {
            for (var attempt = 1; attempt <= request.Retries + 1; attempt++)
            {
                if (attempt > 1) await _delay(Backoff(attempt - 1), ct);
                Fetched fetched;
                try
                {
                    fetched = await FetchAsync(url, part, request.EffectiveTimeout, progress, ct);
                }
                catch (AttemptFailedException e)
                {
                    failures.Add(new DownloadFailure(url, attempt, e.Message));
                    if (!fixes.Contains(e.Fix)) fixes.Add(e.Fix);
                    if (e.Retryable) continue;
                    break;
                }

                var digests = Checksums.Compute(part, expected.Md5 is not null, ct);
                if (expected.FindMismatch(digests) is var (algorithm, want, got))
                {
                    PartialDownload.Delete(part);
                    if (fetched.Resumed && !restartedWhole)
                    {
                        // The bytes kept from before may be what is wrong: fetch the whole file once more.
                        restartedWhole = true;
                        attempt--;
                        continue;
                    }
                    var reason = $"checksum mismatch: expected {algorithm} {want}, got {got}";
                    failures.Add(new DownloadFailure(url, attempt, reason));
                    lastMismatch = new ChecksumMismatchException(
                        $"Checksum mismatch for '{destination}' downloaded from {UrlCredentials.Redact(url)}: expected {algorithm} {want}, got {got}; the file was deleted",
                        destination, $"Check the URL, or pass --{algorithm} of the file you expect.", algorithm, want, got, failures);
                    break; // a mirror that serves other bytes will serve them again: try the next one
                }

                File.Move(part, destination, overwrite: true);
                PartialDownload.Delete(part);
                return new DownloadResult(destination, fetched.Bytes, digests.Sha256, digests.Md5, url, fetched.Resumed, FromLocalFile: false);
            }
        }

        if (lastMismatch is not null && request.Urls.Count == 1) throw lastMismatch;
        throw AllFailed(request.Urls, destination, failures, fixes);
    }

    private static DownloadException AllFailed(IReadOnlyList<Uri> urls, string destination, List<DownloadFailure> failures, List<string> fixes)
    {
        var perUrl = failures.GroupBy(f => f.Url).Select(url =>
            $"{UrlCredentials.Redact(url.Key)}: " + string.Join("; ", url.GroupBy(f => f.Reason).Select(same =>
                same.Count() == 1 ? same.Key : $"{same.Key} ({same.Count()} attempts)")));
        var what = urls.Count == 1 ? "Download" : $"Download from every one of {urls.Count} mirrors";
        if (failures.Any(f => f.Reason.StartsWith("checksum mismatch", StringComparison.Ordinal)))
            fixes.Add("Files that failed verification were deleted.");
        return new DownloadException($"{what} to '{destination}' failed — {string.Join(" | ", perUrl)}",
            destination, string.Join(" ", fixes), failures);
    }

    private async Task<Fetched> FetchAsync(Uri url, string part, TimeSpan timeout, IDownloadProgress? progress, CancellationToken ct)
    {
        var existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        var known = existing > 0 ? PartialDownload.Read(part) : null;
        if (existing > 0 && known is null)
        {
            PartialDownload.Delete(part); // nothing says what these bytes are a part of
            existing = 0;
        }
        // One watchdog for the whole attempt, re-armed before every wait, so any stall longer than the timeout fails it.
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchdog.CancelAfter(timeout);
        try
        {
            using var response = await SendAsync(url, existing > 0 ? (existing, known!.IfRange) : null, watchdog.Token);
            var range = response.Content.Headers.ContentRange;
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
            {
                // Finished earlier and the rename was lost: the checksums (when given) decide whether it is the file.
                if (range?.Length == existing && known!.Length == existing && known.Mismatch(response, existing) is null) return new Fetched(existing, Resumed: true);
                PartialDownload.Delete(part);
                throw AttemptFailedException.Transient($"the server refused to resume at byte {existing}; the partial file was discarded");
            }
            if (!response.IsSuccessStatusCode) throw AttemptFailedException.ForStatus(response.StatusCode, response.ReasonPhrase);

            var resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (resumed && (existing == 0 || range?.From != existing))
            {
                PartialDownload.Delete(part);
                throw AttemptFailedException.Transient($"the server sent bytes {range?.From}- when asked for {existing}-; the partial file was discarded");
            }
            if (resumed && known!.Mismatch(response, range?.Length) is { } changed)
            {
                PartialDownload.Delete(part);
                throw AttemptFailedException.Transient($"the file changed on the server since the partial download ({changed}); the partial file was discarded");
            }
            if (!resumed)
            {
                // The old bytes go before the new record is written, so a kill in between cannot pair them.
                PartialDownload.Delete(part);
                PartialDownload.From(response).Write(part);
            }
            var offset = resumed ? existing : 0; // a 200 answer to a Range request restarts from scratch
            var total = resumed ? range?.Length : response.Content.Headers.ContentLength;
            progress?.Started(url, offset, total);

            await using var body = await response.Content.ReadAsStreamAsync(watchdog.Token);
            await using var file = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            var sofar = offset;
            while (true)
            {
                watchdog.CancelAfter(timeout);
                var read = await body.ReadAsync(buffer, watchdog.Token);
                if (read == 0) break;
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                sofar += read;
                progress?.Advanced(sofar, total);
            }
            if (total is { } expectedLength && sofar != expectedLength)
                throw AttemptFailedException.Transient($"the connection closed after {sofar} of {expectedLength} bytes");
            return new Fetched(sofar, resumed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException
                                  && watchdog.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new AttemptFailedException($"no data for {timeout.TotalSeconds:0.###} s (read timeout)", Retryable: true,
                "Check the network or proxy, or raise the timeout if the server is just slow.");
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            throw AttemptFailedException.Transient(Describe(e));
        }
        catch (Exception e) when (e is UriFormatException or NotSupportedException && !ct.IsCancellationRequested)
        {
            // HttpClient follows a redirect to another scheme (file://, ftp://) into a URI it cannot use and throws these.
            throw new AttemptFailedException($"the server redirected to an address that is not http(s) ({Describe(e)})", Retryable: false,
                "Only http(s) redirects are followed: check the URL, or download the file yourself and pass --local_path.");
        }
    }

    /// <summary>
    /// GET <paramref name="url"/> (from byte <c>resume.From</c> when resuming), following redirects to http(s) only,
    /// never from https down to http, at most <see cref="MaxRedirects"/> times.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, (long From, RangeConditionHeaderValue? IfRange)? resume, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (resume is var (from, ifRange))
            {
                request.Headers.Range = new RangeHeaderValue(from, null);
                request.Headers.IfRange = ifRange;
            }
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                    or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            var shown = UrlCredentials.Redact(next);
            var refusal = next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps ? $"the server redirected to an address that is not http(s) ({shown})"
                : current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp ? $"the server redirected from https down to http ({shown}), which is not followed"
                : hop >= MaxRedirects ? $"the server redirected more than {MaxRedirects} times in a row (last to {shown})"
                : null;
            if (refusal is not null)
                throw new AttemptFailedException(refusal, Retryable: false, "Only http(s) redirects are followed: check the URL, or download the file yourself and pass --local_path.");
            current = next;
        }
    }

    private static string Describe(Exception e)
    {
        var message = e.Message.TrimEnd('.');
        return e.InnerException is { } inner && !message.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal)
            ? $"{message} ({inner.Message.TrimEnd('.')})"
            : message;
    }

    private static DownloadResult UseLocalFile(string localPath, string destination, ExpectedDigests expected, IReadOnlyList<Uri> urls)
    {
        var local = Path.GetFullPath(localPath);
        var online = urls.Count > 0 ? $"drop the local file to download from {UrlCredentials.Redact(urls[0])}" : "give a URL to download it";
        if (!File.Exists(local))
            throw new DownloadException($"The local file '{local}' given instead of downloading does not exist", local,
                $"Check the path, or {online}.", []);
        var digests = Checksums.Compute(local, expected.Md5 is not null);
        if (expected.FindMismatch(digests) is var (algorithm, want, got))
            throw new ChecksumMismatchException(
                $"Checksum mismatch for the local file '{local}': expected {algorithm} {want}, got {got}; the file was left in place and not copied",
                local, $"Check that this is the file you meant, or pass --{algorithm} of the file you expect.", algorithm, want, got, []);

        if (!string.Equals(local, destination, StringComparison.Ordinal))
        {
            AtomicFile.Copy(local, destination);
        }
        return new DownloadResult(destination, new FileInfo(destination).Length, digests.Sha256, digests.Md5, null, Resumed: false, FromLocalFile: true);
    }

    private sealed record Fetched(long Bytes, bool Resumed);

    private sealed record ExpectedDigests(string? Sha256, string? Md5)
    {
        public (string Algorithm, string Expected, string Actual)? FindMismatch(FileDigests actual) =>
            Sha256 is not null && Sha256 != actual.Sha256 ? ("sha256", Sha256, actual.Sha256)
            : Md5 is not null && Md5 != actual.Md5 ? ("md5", Md5, actual.Md5!)
            : null;
    }

    /// <summary>One attempt's failure; the downloader decides whether to retry, move to the next mirror, or give up.</summary>
    private sealed class AttemptFailedException(string message, bool Retryable, string fix) : Exception(message)
    {
        public bool Retryable { get; } = Retryable;
        public string Fix { get; } = fix;

        public static AttemptFailedException Transient(string reason) =>
            new(reason, Retryable: true, "Check the network, or retry later; an interrupted download resumes where it stopped.");

        public static AttemptFailedException ForStatus(HttpStatusCode status, string? phrase)
        {
            var code = (int)status;
            var reason = $"HTTP {code} {phrase}".TrimEnd();
            return code switch
            {
                404 or 410 => new(reason, false, "Check the URL, or add a mirror that has the file."),
                401 or 403 => new(reason, false, "The server refused access: check the URL and any credentials or licence acceptance it needs."),
                408 or 429 or >= 500 => new(reason, true, "The server is failing or busy: retry later, or add a mirror."),
                _ => new(reason, false, "Check the URL."),
            };
        }
    }
}
