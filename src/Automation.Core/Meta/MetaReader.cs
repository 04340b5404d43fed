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
            Sort = ctx.Int(root, "sort"),
            Predeps = root["predeps"] is null || ctx.Bool(root, "predeps"),
            ExtraCacheTagsFromEnv = ctx.EnvTagPrefixes(root, "extra_cache_tags_from_env"),
            CacheExpiration = ctx.Duration(root, "cache_expiration"),
            CanForceCache = ctx.Bool(root, "can_force_cache"),
            LocalEnvKeys = ctx.StringList(root, "local_env_keys"),
            CleanFiles = ctx.StringList(root, "clean_files"),
            Directory = directory,
            MetaFile = metaFile,
            ContentHash = contentHash,
            Raw = root,
        };
    }

    /// <summary>Deps from a list as CM writes it (e.g. a meta's prehook_deps after customize.py changed them).</summary>
    public static IReadOnlyList<DepSpec> ReadDeps(JObject holder, string key, string metaFile, string alias) =>
        new Ctx(metaFile, alias).Deps(holder, key);

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

        public int Int(JObject o, string key)
        {
            var token = o[key];
            if (token is null || token.Type == JTokenType.Null) return 0;
            return int.TryParse(Scalar(token), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n : throw Bad(token, "must be a whole number");
        }

        /// <summary>CM's durations: a number with s, m, h, d or w (a bare number is hours).</summary>
        public TimeSpan? Duration(JObject o, string key)
        {
            var text = OptionalString(o, key)?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(text) || text is "false" or "no") return null;
            var unit = char.IsLetter(text[^1]) ? text[^1] : 'h';
            var number = char.IsLetter(text[^1]) ? text[..^1] : text;
            if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 0)
                throw Bad(o[key]!, "must be a duration such as 30m, 1h or 2d");
            return unit switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => throw Bad(o[key]!, "must be a duration such as 30m, 1h or 2d"),
            };
        }

        public IReadOnlyList<(string Env, string Prefix)> EnvTagPrefixes(JObject o, string key)
        {
            if (o[key] is not JArray array) return [];
            return array.OfType<JObject>().Select(e => (OptionalString(e, "env") ?? "", OptionalString(e, "prefix") ?? "")).Where(e => e.Item1.Length > 0).ToList();
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
                Raw = d,
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
                ExtraCacheTags = StringList(d, "extra_cache_tags"),
                ForceCache = Bool(d, "force_cache") || Bool(d, "force-cache"),
                InheritVariationTags = Bool(d, "inherit_variation_tags"),
                SkipInheritVariationGroups = StringList(d, "skip_inherit_variation_groups"),
                ReuseVersion = Bool(d, "reuse_version"),
                Dynamic = Bool(d, "dynamic"),
                SkipIfFakeRun = Bool(d, "skip_if_fake_run"),
                ContinueOnError = Bool(d, "continue_on_error"),
                UpdateTagsIfEnv = ConditionMap(d, "update_tags_if_env"),
                Adr = Overrides(d, "adr", "add_deps_recursive"),
            };
        }

        private IReadOnlyDictionary<string, DepConditions> ConditionMap(JObject o, string key)
        {
            var obj = Object(o, key);
            if (obj is null) return new Dictionary<string, DepConditions>();
            return obj.Properties().Where(p => p.Value is JObject).ToDictionary(p => p.Name, p =>
            {
                var c = (JObject)p.Value;
                return new DepConditions(Condition(c, "skip_if_env"), Condition(c, "enable_if_env"), Condition(c, "skip_if_any_env"), Condition(c, "enable_if_any_env"));
            });
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
                p => p.Value is JObject v
                    ? new VersionSpec(StringMap(v, "env"), Deps(v, "deps")) { DefaultEnv = StringMap(v, "default_env"), Ad = Overrides(v, "ad", "add_deps"), Adr = Overrides(v, "adr", "add_deps_recursive") }
                    : p.Value.Type == JTokenType.Null ? new VersionSpec(ScriptMeta.Empty, []) : throw Bad(p.Value, "must be an object"));
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
                    DefaultVariations = v["default_variations"] is not null ? StringMap(v, "default_variations") : StringMap(v, "default-variations"),
                    Base = StringList(v, "base"),
                    Alias = OptionalString(v, "alias"),
                    Env = StringMap(v, "env"),
                    DefaultEnv = StringMap(v, "default_env"),
                    Deps = Deps(v, "deps"),
                    PrehookDeps = Deps(v, "prehook_deps"),
                    PosthookDeps = Deps(v, "posthook_deps"),
                    PostDeps = Deps(v, "post_deps"),
                    Adr = Overrides(v, "adr", "add_deps_recursive"),
                    Ad = Overrides(v, "ad", "add_deps"),
                    NewEnvKeys = StringList(v, "new_env_keys"),
                    NewStateKeys = StringList(v, "new_state_keys"),
                    DefaultVersion = OptionalString(v, "default_version"),
                    State = Object(v, "state"),
                    Raw = v,
                };
            }
            return result;
        }

        /// <summary>`adr`-style blocks (NAME → dep fields); both spellings of the key are merged, the long one last.</summary>
        private IReadOnlyDictionary<string, DepOverride> Overrides(JObject v, params string[] keys)
        {
            var result = new Dictionary<string, DepOverride>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var obj = Object(v, key);
                if (obj is null) continue;
                foreach (var p in obj.Properties())
                {
                    if (p.Value is not JObject o) throw Bad(p.Value, "must be an object");
                    var entry = new DepOverride(StringList(o, "tags"), StringMap(o, "env"), OptionalString(o, "version"), OptionalString(o, "version_min"), OptionalString(o, "version_max"))
                    {
                        VersionMaxUsable = OptionalString(o, "version_max_usable"),
                    };
                    result[p.Name] = result.TryGetValue(p.Name, out var earlier) ? earlier.Merge(entry) : entry;
                }
            }
            return result;
        }

        /// <summary>A scalar as CM's Python sees it after str(): True/False for booleans, Python's number forms.</summary>
        private static string? Scalar(JToken t) => t.Type switch
        {
            JTokenType.String => t.Value<string>(),
            JTokenType.Integer => t.ToString(Formatting.None),
            JTokenType.Float => PythonFloat(t.Value<double>()),
            JTokenType.Boolean => t.Value<bool>() ? "True" : "False",
            _ => null,
        };

        private static string PythonFloat(double d)
        {
            if (double.IsNaN(d)) return "nan";
            if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
            var r = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (r.Contains('E'))
            {
                // Python writes 1e-05 and 1e+16 (two-digit exponent with sign), never 1E-05.
                var parts = r.Split('E');
                var exp = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):D2}";
            }
            return r.Contains('.') ? r : r + ".0";
        }
    }
}
