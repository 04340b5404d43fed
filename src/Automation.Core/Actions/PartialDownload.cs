using System.Globalization;
using System.Net.Http.Headers;
using Automation.Core.Files;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Actions;

/// <summary>
/// What a <c>.part</c> file is a part of, kept beside it in <c>&lt;part&gt;.json</c>: the whole file's size and the server's
/// validators (ETag, Last-Modified) from the response that started it. A resume sends them as If-Range, so a server
/// whose file has changed answers with the whole new file, and a partial answer is accepted only when its size and
/// validators agree. A <c>.part</c> without this record is of unknown origin and is downloaded again.
/// </summary>
internal sealed record PartialDownload(long? Length, string? ETag, DateTimeOffset? LastModified)
{
    public static string RecordPath(string part) => part + ".json";

    public static PartialDownload From(HttpResponseMessage response) =>
        new(response.Content.Headers.ContentLength, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);

    /// <summary>The record of <paramref name="part"/>; null when there is none or it cannot be read.</summary>
    public static PartialDownload? Read(string part)
    {
        try
        {
            var o = JObject.Parse(File.ReadAllText(RecordPath(part)));
            return new PartialDownload((long?)o["length"], (string?)o["etag"],
                (string?)o["last_modified"] is { } date ? DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidCastException or ArgumentException)
        {
            return null;
        }
    }

    public void Write(string part) => AtomicFile.WriteAllText(RecordPath(part), new JObject
    {
        ["length"] = Length,
        ["etag"] = ETag,
        ["last_modified"] = LastModified?.ToString("o", CultureInfo.InvariantCulture),
    }.ToString(Formatting.None));

    /// <summary>Removes the part and its record.</summary>
    public static void Delete(string part)
    {
        AtomicFile.TryDelete(part);
        AtomicFile.TryDelete(RecordPath(part));
    }

    /// <summary>If-Range for a resume: the ETag when it is strong (weak ones may not be used there), else Last-Modified.</summary>
    public RangeConditionHeaderValue? IfRange =>
        ETag is { } tag && EntityTagHeaderValue.TryParse(tag, out var parsed) && !parsed.IsWeak ? new RangeConditionHeaderValue(parsed)
        : LastModified is { } date ? new RangeConditionHeaderValue(date)
        : null;

    /// <summary>Why a partial answer does not continue this file (size or validators differ), or null when it does.</summary>
    public string? Mismatch(HttpResponseMessage response, long? totalLength)
    {
        if (Length is { } known && totalLength is { } now && known != now) return $"the file is now {now} bytes, not {known}";
        if (ETag is { } tag && response.Headers.ETag?.ToString() is { } newTag && newTag != tag) return $"its ETag changed from {tag} to {newTag}";
        if (LastModified is { } date && response.Content.Headers.LastModified is { } newDate && newDate != date) return $"it was modified at {newDate:u}";
        return null;
    }
}
