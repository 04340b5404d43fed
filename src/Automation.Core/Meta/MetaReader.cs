using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Meta;

/// <summary>Turns the text of a `_cm.json` into a <see cref="ScriptMeta"/>; every error names the file and the key.</summary>
public static class MetaReader
{
    public static ScriptMeta Parse(string text, string metaFile, string directory)
    {
        var root = ParseJson(text, metaFile);
        return FromJson(root, metaFile, directory, Hash(text));
    }

    public static JObject ParseJson(string text, string metaFile)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            return token as JObject ?? throw new MetaException("the meta is not a JSON object", metaFile);
        }
        catch (JsonReaderException e)
        {
            throw new MetaException($"malformed JSON at {metaFile}:{e.LineNumber}:{e.LinePosition}: {FirstSentence(e.Message)}", metaFile);
        }
    }

    public static ScriptMeta FromJson(JObject root, string metaFile, string directory, string contentHash)
    {
        var ctx = new Ctx(metaFile, root.Value<string>("alias") ?? Path.GetFileName(directory));
        var alias = ctx.Alias;
        return new ScriptMeta
        {
            Alias = alias,
            Uid = root.Value<string>("uid") ?? contentHash[..16],
            Tags = ctx.StringList(root, "tags"),
            Cache = ctx.Bool(root, "cache"),
            Deps = ctx.Deps(root, "deps"),
            PrehookDeps = ctx.Deps(root, "prehook_deps"),
            PosthookDeps = ctx.Deps(root, "posthook_deps"),
            PostDeps = ctx.Deps(root, "post_deps"),
            InstallDeps = ctx.Deps(root, "install_deps"),
            Env = ctx.StringMap(root, "env"),
            DefaultEnv = ctx.StringMap(root, "default_env"),
            NewEnvKeys = ctx.StringList(root, "new_env_keys"),
            NewStateKeys = ctx.StringList(root, "new_state_keys"),
            InputMapping = ctx.StringMap(root, "input_mapping"),
            DefaultVersion = ctx.OptionalString(root, "default_version"),
            Versions = ctx.Versions(root),
            Variations = ctx.Variations(root),
            Docker = ctx.Object(root, "docker"),
            InputDescription = ctx.Object(root, "input_description"),
            Detect = ctx.Object(root, "detect"),
            Builtin = ctx.OptionalString(root, "builtin"),
            CacheKeyEnv = ctx.StringList(root, "cache_key_env"),
            ValidateEnvPaths = ctx.StringList(root, "validate_env_paths"),
            UnavailableEnv = ctx.StringMap(root, "unavailable_env"),
            Category = ctx.OptionalString(root, "category") ?? "",
            Directory = directory,
            MetaFile = metaFile,
            ContentHash = contentHash,
            Raw = root,
        };
    }

    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private sealed class Ctx(string file, string alias)
    {
        public string Alias { get; } = alias;

        private MetaException Bad(JToken token, string what)
        {
            var where = token is IJsonLineInfo li && li.HasLineInfo() ? $"{file}:{li.LineNumber}:{li.LinePosition}" : file;
            return new MetaException($"key '{token.Path}' at {where} {what}", file, Alias);
        }

        public IReadOnlyList<string> StringList(JObject o, string key)
        {
            var token = o[key];
            return token switch
            {
                null or { Type: JTokenType.Null } => [],
                JArray a => a.Select(t => Scalar(t) ?? throw Bad(t, "must be a string")).ToList(),
                JValue { Type: JTokenType.String } v => v.Value<string>()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                _ => throw Bad(token, "must be a list of strings or a comma-separated string"),
            };
        }

        public bool Bool(JObject o, string key)
        {
            var token = o[key];
            if (token is null || token.Type == JTokenType.Null) return false;
            if (token.Type == JTokenType.Boolean) return token.Value<bool>();
            var s = Scalar(token)?.ToLowerInvariant();
            return s switch
            {
                "true" or "yes" or "on" or "1" => true,
                "false" or "no" or "off" or "0" => false,
                _ => throw Bad(token, "must be true or false"),
            };
        }

        public string? OptionalString(JObject o, string key)
        {
            var token = o[key];
            if (token is null || token.Type == JTokenType.Null) return null;
            return Scalar(token) ?? throw Bad(token, "must be a string");
        }

        public JObject? Object(JObject o, string key)
        {
            var token = o[key];
            if (token is null || token.Type == JTokenType.Null) return null;
            return token as JObject ?? throw Bad(token, "must be an object");
        }

        public IReadOnlyDictionary<string, string> StringMap(JObject o, string key)
        {
            var obj = Object(o, key);
            if (obj is null) return ScriptMeta.Empty;
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in obj.Properties())
                result[p.Name] = p.Value.Type == JTokenType.Null ? "" : Scalar(p.Value) ?? throw Bad(p.Value, "must be a string, number or boolean");
            return result;
        }

        public IReadOnlyList<DepSpec> Deps(JObject o, string key)
        {
            var token = o[key];
            if (token is null || token.Type == JTokenType.Null) return [];
            if (token is not JArray array) throw Bad(token, "must be a list of dependency objects");
            return array.Select(Dep).ToList();
        }

        private DepSpec Dep(JToken token)
        {
            if (token is not JObject d) throw Bad(token, "must be an object with at least 'tags'");
            if (d["tags"] is null) throw Bad(d, "has no 'tags'");
            return new DepSpec
            {
                Tags = StringList(d, "tags"),
                Names = StringList(d, "names"),
                SkipIfEnv = Condition(d, "skip_if_env"),
                EnableIfEnv = Condition(d, "enable_if_env"),
                SkipIfAnyEnv = Condition(d, "skip_if_any_env"),
                EnableIfAnyEnv = Condition(d, "enable_if_any_env"),
                Version = OptionalString(d, "version"),
                VersionMin = OptionalString(d, "version_min"),
                VersionMax = OptionalString(d, "version_max"),
                VersionMaxUsable = OptionalString(d, "version_max_usable"),
                UpdateTagsFromEnvWithPrefix = ListMap(d, "update_tags_from_env_with_prefix"),
                UpdateTagsFromEnv = StringList(d, "update_tags_from_env"),
                ForceEnvKeys = StringList(d, "force_env_keys"),
                Env = StringMap(d, "env"),
                Optional = Bool(d, "optional"),
            };
        }

        private EnvCondition? Condition(JObject o, string key)
        {
            var map = ListMap(o, key);
            return map.Count == 0 ? null : new EnvCondition(map);
        }

        private IReadOnlyDictionary<string, IReadOnlyList<string>> ListMap(JObject o, string key)
        {
            var obj = Object(o, key);
            if (obj is null) return new Dictionary<string, IReadOnlyList<string>>();
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var p in obj.Properties())
                result[p.Name] = p.Value is JArray a
                    ? a.Select(t => Scalar(t) ?? throw Bad(t, "must be a string")).ToList()
                    : [Scalar(p.Value) ?? throw Bad(p.Value, "must be a list of strings")];
            return result;
        }

        public IReadOnlyDictionary<string, VersionSpec> Versions(JObject o)
        {
            var obj = Object(o, "versions");
            if (obj is null) return new Dictionary<string, VersionSpec>();
            return obj.Properties().ToDictionary(
                p => p.Name,
                p => p.Value is JObject v ? new VersionSpec(StringMap(v, "env"), Deps(v, "deps")) : throw Bad(p.Value, "must be an object"));
        }

        public IReadOnlyDictionary<string, VariationSpec> Variations(JObject o)
        {
            var obj = Object(o, "variations");
            if (obj is null) return new Dictionary<string, VariationSpec>();
            var result = new Dictionary<string, VariationSpec>(StringComparer.Ordinal);
            foreach (var p in obj.Properties())
            {
                var v = p.Value as JObject ?? (p.Value.Type == JTokenType.Null ? new JObject() : throw Bad(p.Value, "must be an object"));
                result[p.Name] = new VariationSpec
                {
                    Key = p.Name,
                    Parts = p.Name.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    Group = OptionalString(v, "group"),
                    IsDefault = Bool(v, "default"),
                    DefaultVariations = StringMap(v, "default_variations"),
                    Base = StringList(v, "base"),
                    Alias = OptionalString(v, "alias"),
                    Env = StringMap(v, "env"),
                    DefaultEnv = StringMap(v, "default_env"),
                    Deps = Deps(v, "deps"),
                    PrehookDeps = Deps(v, "prehook_deps"),
                    PosthookDeps = Deps(v, "posthook_deps"),
                    PostDeps = Deps(v, "post_deps"),
                    Adr = Adr(v),
                    Raw = v,
                };
            }
            return result;
        }

        private IReadOnlyDictionary<string, DepOverride> Adr(JObject v)
        {
            var obj = Object(v, "adr") ?? Object(v, "add_deps_recursive");
            if (obj is null) return new Dictionary<string, DepOverride>();
            return obj.Properties().ToDictionary(p => p.Name, p =>
            {
                var o = p.Value as JObject ?? throw Bad(p.Value, "must be an object");
                return new DepOverride(StringList(o, "tags"), StringMap(o, "env"), OptionalString(o, "version"), OptionalString(o, "version_min"), OptionalString(o, "version_max"));
            });
        }

        private static string? Scalar(JToken t) => t.Type switch
        {
            JTokenType.String => t.Value<string>(),
            JTokenType.Integer or JTokenType.Float => t.ToString(Formatting.None),
            JTokenType.Boolean => t.Value<bool>() ? "yes" : "no",
            _ => null,
        };
    }
}
