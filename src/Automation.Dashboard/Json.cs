using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard;

/// <summary>JSON responses written with JObject (no reflection-based serialization: the cm binary is Native AOT).</summary>
public static class Json
{
    public static Task Write(HttpContext ctx, JToken body, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(body.ToString(Formatting.None));
    }

    public static Task WriteError(HttpContext ctx, string message, string? fix = null)
    {
        if (ctx.Response.StatusCode < 400) ctx.Response.StatusCode = 400;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(new JObject { ["error"] = message, ["fix"] = fix }.ToString(Formatting.None));
    }

    public static Task Error(HttpContext ctx, int status, string message, string? fix = null)
    {
        ctx.Response.StatusCode = status;
        return WriteError(ctx, message, fix);
    }

    /// <summary>Reads a JSON object body (at most 64 KiB), or null when it is missing or malformed.</summary>
    public static async Task<JObject?> ReadObject(HttpContext ctx)
    {
        if (ctx.Request.ContentLength is > 65536) return null;
        using var reader = new StreamReader(ctx.Request.Body);
        var buffer = new char[65537];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read))) > 0) read += n;
        if (read > 65536) return null;
        try { return JToken.Parse(new string(buffer, 0, read)) as JObject; }
        catch (JsonException) { return null; }
    }

    public static JObject Map(IEnumerable<KeyValuePair<string, string>> map)
    {
        var o = new JObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
