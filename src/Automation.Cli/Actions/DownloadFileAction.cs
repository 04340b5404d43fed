using Automation.Core.Actions;
using Automation.Core.Execution;
using Automation.Core.Security;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Actions;

/// <summary>
/// `download-file`: one verified file from a URL and its mirrors (or from a local file, offline), through
/// <see cref="FileDownloader"/>. Exports CM_DOWNLOAD_DOWNLOADED_PATH and the key named by CM_DOWNLOAD_FINAL_ENV_NAME.
/// </summary>
public sealed class DownloadFileAction : IBuiltinAction
{
    public string Name => "download-file";

    public async Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var inputs = new ActionInputs(context);
        var local = inputs.FullPath("CM_DOWNLOAD_LOCAL_FILE_PATH");
        var urlText = local is null ? inputs.Required("CM_DOWNLOAD_URL", "url") : inputs.Text("CM_DOWNLOAD_URL");
        var urls = new[] { urlText }.Concat((inputs.Text("CM_DOWNLOAD_MIRRORS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(u => u is not null).Select(u => ParseUrl(inputs, u!)).ToList();
        var chosen = inputs.FullPath("CM_DOWNLOAD_PATH");
        var folder = chosen ?? context.WorkDir;
        var fileName = inputs.Text("CM_DOWNLOAD_FILENAME") ?? FileNameOf(urls.FirstOrDefault(), local);
        if (fileName.IndexOfAny(['/', '\\']) >= 0 || fileName is "." or "..")
            throw inputs.Fail($"CM_DOWNLOAD_FILENAME '{fileName}' is not a plain file name", "Pass --filename=NAME without folders; use --to=DIR for the folder.");

        var request = new DownloadRequest(urls, Path.Combine(folder, fileName),
            inputs.Text("CM_DOWNLOAD_SHA256"), inputs.Text("CM_DOWNLOAD_CHECKSUM"),
            TimeSpan.FromSeconds(inputs.Real("CM_DOWNLOAD_TIMEOUT_S", DownloadRequest.DefaultTimeout.TotalSeconds, 0.001)),
            inputs.Integer("CM_DOWNLOAD_RETRIES", 3, 0), local,
            chosen is null ? PartialDownloads.PathFor(context, fileName) : null);
        context.Log.WriteLine(local is null ? $"download {string.Join(" | ", urls.Select(UrlCredentials.Redact))} -> {request.DestinationPath}" : $"offline: {local} -> {request.DestinationPath}");

        using var http = FileDownloader.CreateHttpClient();
        var downloader = new FileDownloader(http);
        // A progress bar only on a terminal: redirected, Spectre prints its last frame as a line ("data.bin 99% ...")
        // that then stands before an error paragraph in logs and CI output.
        var result = context.Quiet || Console.IsErrorRedirected
            ? await downloader.DownloadAsync(request, null, cancellationToken)
            : await ConsoleDownloadProgress.RunAsync(fileName, progress => downloader.DownloadAsync(request, progress, cancellationToken));
        context.Log.WriteLine($"verified {result.Bytes} bytes, sha256 {result.Sha256}{(result.Resumed ? " (resumed)" : "")}");

        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CM_DOWNLOAD_DOWNLOADED_PATH"] = result.Path,
            ["CM_DOWNLOAD_DOWNLOADED_FILENAME"] = Path.GetFileName(result.Path),
            ["CM_DOWNLOAD_DOWNLOADED_SHA256"] = result.Sha256,
        };
        if (inputs.Text("CM_DOWNLOAD_FINAL_ENV_NAME") is { } finalName) env[finalName] = result.Path;
        var evidence = new JObject
        {
            ["source"] = result.Source is null ? null : UrlCredentials.Redact(result.Source),
            ["from_local_file"] = result.FromLocalFile ? local : null,
            ["bytes"] = result.Bytes,
            ["sha256"] = result.Sha256,
            ["md5"] = result.Md5,
            ["resumed"] = result.Resumed,
        };
        return new StepOutcome(env, new JObject(), null, evidence, [result.Path]);
    }

    private static Uri ParseUrl(ActionInputs inputs, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw inputs.Fail($"'{text}' is not an http(s) URL", "Pass --url=https://host/path/file (mirrors the same way, comma-separated in --mirrors).");

    private static string FileNameOf(Uri? url, string? local)
    {
        if (url is null) return Path.GetFileName(local!);
        var last = Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? "").Trim('/');
        return last.Length == 0 || last is "." or ".." || last.IndexOfAny(['/', '\\']) >= 0 ? "downloaded-file" : last;
    }
}
