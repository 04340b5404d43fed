using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Caching;

/// <summary>
/// entry.json by hand through JObject: reflection-based (de)serialisation of our types does not survive Native AOT.
/// The folder path is not stored; it is wherever the file is found.
/// </summary>
internal static class CacheEntryJson
{
    /// <summary>2: files manifest and content_sha256 (issue 17); entries of format 1 are rebuilt.</summary>
    public const int Format = 2;

    public static string Write(CacheEntry e)
    {
        var o = new JObject
        {
            ["format"] = Format,
            ["key"] = e.Key,
            ["script_uid"] = e.ScriptUid,
            ["script_alias"] = e.ScriptAlias,
            ["tags"] = new JArray(e.Tags),
            ["variations"] = new JArray(e.Variations),
            ["version"] = e.Version,
            ["created_utc"] = e.CreatedUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["dep_keys"] = new JArray(e.DepKeys),
            ["validate_paths"] = new JArray(e.ValidatePaths),
            ["key_inputs"] = Map(e.KeyInputs),
            ["env"] = Map(e.Env),
            ["state"] = e.State.DeepClone(),
        };
        if (e.Evidence is not null) o["evidence"] = e.Evidence.DeepClone();
        if (e.ExpiresUtc is { } expires) o["expires_utc"] = expires.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        if (e.Files is { } files) o["files"] = new JObject { ["manifest_sha256"] = files.ManifestSha256, ["count"] = files.Count, ["bytes"] = files.Bytes };
        // Hashed as it will be read back, so that what Parse makes of the values (numbers, dates) cannot differ.
        o["content_sha256"] = ContentHash((JObject)Parse(o.ToString(Formatting.None)));
        return o.ToString(Formatting.Indented);
    }

    /// <summary>
    /// SHA-256 of entry.json as compact JSON without content_sha256, properties in the order written: whitespace does
    /// not count, any change of a value does. (The property is taken out and put back, so nothing is copied.)
    /// </summary>
    private static string ContentHash(JObject entry)
    {
        var recorded = entry.Property("content_sha256");
        recorded?.Remove();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(entry.ToString(Formatting.None))));
        if (recorded is not null) entry.Add(recorded);
        return hash;
    }

    /// <summary>Parses entry.json; throws <see cref="InvalidDataException"/> or <see cref="JsonException"/> when corrupt.</summary>
    public static CacheEntry Read(string text, string expectedKey, string folder)
    {
        var o = Parse(text) as JObject ?? throw new InvalidDataException("entry.json is not a JSON object");
        var format = o["format"]?.Type == JTokenType.Integer ? o.Value<int>("format") : 0;
        if (format != Format)
            throw new InvalidDataException(format is > 0 and < Format
                ? $"entry.json has format {format}, written by an older cm that recorded no file hashes; the entry is rebuilt when next used"
                : $"entry.json format {format} is not {Format}");
        var key = Text(o, "key");
        if (key != expectedKey) throw new InvalidDataException($"entry.json names key '{key}' but lies in folder '{expectedKey}'");
        var created = DateTimeOffset.Parse(Text(o, "created_utc"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new CacheEntry(key, Text(o, "script_uid"), Text(o, "script_alias"), List(o, "tags"), List(o, "variations"),
            o["version"]?.Type == JTokenType.String ? o.Value<string>("version") : null,
            Dict(o, "env"), Object(o, "state") ?? new JObject(), Object(o, "evidence"), List(o, "dep_keys"),
            List(o, "validate_paths"), Dict(o, "key_inputs"), created, folder)
        {
            ExpiresUtc = o["expires_utc"] is { Type: JTokenType.String } x ? DateTimeOffset.Parse((string)x!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
            Files = Object(o, "files") is { } files ? new EntryFiles(Text(files, "manifest_sha256"), (int)Math.Min(Integer(files, "count"), int.MaxValue), Integer(files, "bytes")) : null,
            ContentChange = o["content_sha256"] is { Type: JTokenType.String } recorded
                ? (string)recorded! == ContentHash(o) ? null : "its entry.json (env, state or record) was edited after it was built"
                : "its entry.json has no content_sha256",
        };
    }

    private static long Integer(JObject o, string name) => o[name] is { Type: JTokenType.Integer } t
        ? (long)t
        : throw new InvalidDataException($"'{name}' is missing or not a number");

    /// <summary>Strings stay strings: Newtonsoft would otherwise turn ISO-looking state values into dates.</summary>
    internal static JToken Parse(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
        var token = JToken.Load(reader);
        if (reader.Read()) throw new InvalidDataException("trailing content after the JSON value");
        return token;
    }

    internal static IReadOnlyList<string> List(JObject o, string name) => o[name] switch
    {
        null or { Type: JTokenType.Null } => [],
        JArray a when a.All(t => t.Type == JTokenType.String) => a.Select(t => (string)t!).ToArray(),
        _ => throw new InvalidDataException($"'{name}' is not a list of strings"),
    };

    private static string Text(JObject o, string name) => o[name] is { Type: JTokenType.String } t
        ? (string)t!
        : throw new InvalidDataException($"'{name}' is missing or not a string");

    private static JObject? Object(JObject o, string name) => o[name] switch
    {
        null or { Type: JTokenType.Null } => null,
        JObject obj => obj,
        _ => throw new InvalidDataException($"'{name}' is not an object"),
    };

    private static Dictionary<string, string> Dict(JObject o, string name) =>
        (Object(o, name)?.Properties() ?? []).ToDictionary(
            p => p.Name,
            p => p.Value.Type == JTokenType.String ? (string)p.Value! : throw new InvalidDataException($"'{name}.{p.Name}' is not a string"),
            StringComparer.Ordinal);

    private static JObject Map(IReadOnlyDictionary<string, string> map) => new(map.Select(p => new JProperty(p.Key, p.Value)));
}
