using System.IO.Compression;
using Automation.Dashboard.Security;
using Microsoft.AspNetCore.Http;

namespace Automation.Dashboard.Api;

/// <summary>Serves one file or a zip of one folder from inside a root, after <see cref="SafePaths"/> has checked the path.</summary>
public static class FileResponses
{
    private const long MaxFileBytes = 32L << 20;

    public static async Task Send(HttpContext ctx, string root, string? relative)
    {
        if (SafePaths.Resolve(root, relative) is not { } full || !File.Exists(full))
        {
            await Json.Error(ctx, 404, "no such file here (paths are relative to the run or entry folder; '..', absolute paths and links out are refused)");
            return;
        }
        var info = new FileInfo(full);
        if (info.Length > MaxFileBytes) { await Json.Error(ctx, 413, $"{relative} is larger than {MaxFileBytes >> 20} MiB"); return; }
        var download = ctx.Request.Query["download"] == "1";
        ctx.Response.ContentType = download ? "application/octet-stream" : ContentType(full);
        // Files come from scripts and other tools: never let them run script in our origin.
        ctx.Response.Headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";
        if (download) ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"{SafeName(Path.GetFileName(full))}\"";
        await ctx.Response.SendFileAsync(full);
    }

    public static async Task Zip(HttpContext ctx, string root, string? relative, string name)
    {
        if (SafePaths.Resolve(root, relative) is not { } full || !Directory.Exists(full))
        {
            await Json.Error(ctx, 404, "no such folder here");
            return;
        }
        ctx.Response.ContentType = "application/zip";
        ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"{SafeName(name)}.zip\"";
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Results.ResultScanner.Files(full))
                await zip.CreateEntryFromFileAsync(file, SafePaths.Relative(full, file), CompressionLevel.Fastest);
        }
        buffer.Position = 0;
        ctx.Response.ContentLength = buffer.Length;
        await buffer.CopyToAsync(ctx.Response.Body);
    }

    private static string SafeName(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" or ".jsonld" => "application/json; charset=utf-8",
        ".html" or ".htm" => "text/html; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".csv" => "text/csv; charset=utf-8",
        ".zip" or ".gz" or ".onnx" or ".bin" => "application/octet-stream",
        _ => "text/plain; charset=utf-8",
    };
}
