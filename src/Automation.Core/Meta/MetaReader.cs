using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Meta;

/// <summary>
/// Turns a meta (the JSON of `_cm.json`, or YAML read by <see cref="YamlMeta"/>) into a <see cref="ScriptMeta"/>.
/// It refuses only what cannot be read at all (malformed text, not a mapping): a field of the wrong shape is
/// ignored with a warning naming file:line:col and the key, as CM reads past it when it loads a meta, and the shapes
/// CM's libraries rely on are read as CM reads them (a dep without tags is skipped, `+KEY: [a, b]` env lists are
/// joined, `default: true,` is a true value). The warnings travel with the meta (<see cref="ScriptMeta.Warnings"/>).
/// </summary>
public static class MetaReader
{
    public static ScriptMeta Parse(string text, string metaFile, string directory)
    {
        var root = ParseJson(text, metaFile);
        return FromJson(root, metaFile, directory, Hash(text));
    }

    public static JObject ParseJson(string text, string metaFile)
    {
        JToken token;
        try
        {
            MetaLimits.CheckSize(text.Length, metaFile);
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, MaxDepth = MetaLimits.MaxDepth };
            // Python's json.load keeps the last of duplicate keys; so do we.
            token = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace });
            while (reader.Read())
                if (reader.TokenType != JsonToken.Comment)
                    throw new MetaException("malformed JSON: more text after the object", metaFile, line: reader.LineNumber, column: reader.LinePosition);
        }
        catch (JsonReaderException e)
        {
            // Newtonsoft counts the characters before the offending one; editors count from 1.
            throw new MetaException("malformed JSON: " + FirstSentence(e.Message), metaFile, line: e.LineNumber, column: e.LinePosition + 1);
        }
        return token as JObject ?? throw new MetaException("the meta is not a JSON object", metaFile, line: Line(token).Line, column: Line(token).Column);
    }

    public static ScriptMeta FromJson(JObject root, string metaFile, string directory, string contentHash)
    {
        var warnings = new List<MetaWarning>();
        var ctx = new Ctx(metaFile, warnings);
        var alias = ctx.OptionalString(root, "alias") ?? Path.GetFileName(directory);
        var meta = new ScriptMeta
        {
            Alias = alias,
            Uid = ctx.OptionalString(root, "uid") ?? contentHash[..16],
            Tags = ctx.StringList(root, "tags"),
            Cache = ctx.Bool(root, "cache"),
            Deps = ctx.Deps(root, "deps"),
            PrehookDeps = ctx.Deps(root, "prehook_deps"),
            PosthookDeps = ctx.Deps(root, "posthook_deps"),
            PostDeps = ctx.Deps(root, "post_deps"),
            InstallDeps = ctx.Deps(root, "install_deps"),
            Env = ctx.EnvMap(root, "env"),
            DefaultEnv = ctx.EnvMap(root, "default_env"),
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
            CacheKeyIgnoreEnv = ctx.StringList(root, "cache_key_ignore_env"),
            ValidateEnvPaths = ctx.StringList(root, "validate_env_paths"),
            UnavailableEnv = ctx.EnvMap(root, "unavailable_env"),
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
        var unimplemented = MetaKeys.Unimplemented(root).Select(u => u.Key.Name).Distinct(StringComparer.Ordinal).ToList();
        if (unimplemented.Count > 0)
            warnings.Add(new MetaWarning(metaFile, 0, 0,
                $"uses keys this engine does not implement, which it ignores: {string.Join(", ", unimplemented)} (cm show script {alias} --unsupported says where)", VerboseOnly: true));
        return meta with { Warnings = warnings };
    }

    /// <summary>Deps from a list as CM writes it (e.g. a meta's prehook_deps after customize.py changed them).</summary>
    public static IReadOnlyList<DepSpec> ReadDeps(JObject holder, string key, string metaFile, string alias) =>
        new Ctx(metaFile, []).Deps(holder, key);

    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The 1-based position a token was read from (0 when it was built in memory): its start in YAML; in JSON,
    /// Newtonsoft's, which is the last character of a scalar and the bracket of an object or array.
    /// </summary>
    public static (int Line, int Column) Line(JToken? token) =>
        token is IJsonLineInfo li && li.HasLineInfo() ? (li.LineNumber, li.LinePosition) : (0, 0);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Reads fields of one meta; each problem becomes a warning and the field's empty value.</summary>
    private sealed class Ctx(string file, List<MetaWarning> warnings)
    {
        private void Warn(JToken token, string what, bool verboseOnly = false)
        {
            var (line, column) = Line(token);
            warnings.Add(new MetaWarning(file, line, column, $"'{token.Path}' {what}", verboseOnly));
        }

        private static bool IsNull(JToken? token) => token is null || token.Type == JTokenType.Null;

        public IReadOnlyList<string> StringList(JObject o, string key)
        {
            var token = o[key];
            switch (token)
            {
                case null or { Type: JTokenType.Null }:
                    return [];
                case JArray a:
                    var list = new List<string>();
                    foreach (var item in a)
                    {
                        if (PythonText.Str(item) is { } s) list.Add(s);
                        else Warn(item, "is not a string; ignored");
                    }
                    return list;
                case JValue { Type: JTokenType.String } v:
                    return v.Value<string>()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                case JValue v when PythonText.Str(v) is { } s:
                    return [s];
                default:
                    Warn(token, "must be a list of strings or a comma-separated string; ignored");
                    return [];
            }
        }

        /// <summary>
        /// true/false as CM reads them: JSON/YAML booleans, the yes/no/on/off/1/0 spellings, and otherwise Python's
        /// truthiness (a non-empty string such as `true,` is true), which is what `if meta.get(key)` does.
        /// </summary>
        public bool Bool(JObject o, string key)
        {
            var token = o[key];
            if (IsNull(token)) return false;
            if (token!.Type == JTokenType.Boolean) return token.Value<bool>();
            if (token.Type is JTokenType.Integer or JTokenType.Float) return PythonText.Str(token) is not ("0" or "0.0" or "-0.0");
            var s = PythonText.Str(token)?.Trim().ToLowerInvariant();
            switch (s)
            {
                case "true" or "yes" or "on" or "1": return true;
                case "false" or "no" or "off" or "0" or "": return false;
            }
            var truthy = token is JContainer c ? c.HasValues : s is not null;
            Warn(token, $"is not true or false; read as {(truthy ? "true" : "false")}, as Python's truth test reads it", verboseOnly: true);
            return truthy;
        }

        public int Int(JObject o, string key)
        {
            var token = o[key];
            if (IsNull(token)) return 0;
            if (int.TryParse(PythonText.Str(token!), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)) return n;
            Warn(token!, "must be a whole number; ignored");
            return 0;
        }

        /// <summary>CM's durations: a number with s, m, h, d or w (a bare number is hours).</summary>
        public TimeSpan? Duration(JObject o, string key)
        {
            var text = OptionalString(o, key)?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(text) || text is "false" or "no") return null;
            var unit = char.IsLetter(text[^1]) ? text[^1] : 'h';
            var number = char.IsLetter(text[^1]) ? text[..^1] : text;
            if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                switch (unit)
                {
                    case 's': return TimeSpan.FromSeconds(n);
                    case 'm': return TimeSpan.FromMinutes(n);
                    case 'h': return TimeSpan.FromHours(n);
                    case 'd': return TimeSpan.FromDays(n);
                    case 'w': return TimeSpan.FromDays(7 * n);
                }
            }
            Warn(o[key]!, "must be a duration such as 30m, 1h or 2d; ignored");
            return null;
        }

        public IReadOnlyList<(string Env, string Prefix)> EnvTagPrefixes(JObject o, string key)
        {
            if (o[key] is not JArray array) return [];
            return array.OfType<JObject>().Select(e => (OptionalString(e, "env") ?? "", OptionalString(e, "prefix") ?? "")).Where(e => e.Item1.Length > 0).ToList();
        }

        public string? OptionalString(JObject o, string key)
        {
            var token = o[key];
            if (IsNull(token)) return null;
            if (PythonText.Str(token!) is { } s) return s;
            Warn(token!, "must be a string; ignored");
            return null;
        }

        public JObject? Object(JObject o, string key)
        {
            var token = o[key];
            if (IsNull(token)) return null;
            if (token is JObject obj) return obj;
            Warn(token!, "must be a mapping; ignored");
            return null;
        }

        /// <summary>A map of scalars (input_mapping, default_variations); entries of another shape are ignored with a warning.</summary>
        public IReadOnlyDictionary<string, string> StringMap(JObject o, string key) => Map(o, key, env: false);

        /// <summary>
        /// An env map. A list value is what MLCFlow writes into the run script: `+KEY` lists joined with the path-list
        /// separator (or the character after `+` when it is not alphanumeric: `+ CXXFLAGS` joins with spaces,
        /// `+,KEY` with commas), other lists likewise with the path-list separator.
        /// </summary>
        public IReadOnlyDictionary<string, string> EnvMap(JObject o, string key) => Map(o, key, env: true);

        private Dictionary<string, string> Map(JObject o, string key, bool env)
        {
            var obj = Object(o, key);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (obj is null) return result;
            foreach (var p in obj.Properties())
            {
                if (p.Value.Type == JTokenType.Null) result[p.Name] = "";
                else if (PythonText.Str(p.Value) is { } s) result[p.Name] = s;
                else if (env && p.Value is JArray list)
                {
                    var items = list.Select(i => PythonText.Str(i) ?? (i.Type == JTokenType.Null ? "None" : null)).ToList();
                    if (items.Any(i => i is null)) Warn(p.Value, "is a list holding lists or mappings; ignored");
                    else result[p.Name] = string.Join(Env.EnvRules.ListKey(p.Name, Path.PathSeparator).Separator, items);
                }
                else Warn(p.Value, env ? "must be a string, number, boolean or list; ignored" : "must be a string, number or boolean; ignored");
            }
            return result;
        }

        public IReadOnlyList<DepSpec> Deps(JObject o, string key)
        {
            var token = o[key];
            if (IsNull(token)) return [];
            if (token is not JArray array)
            {
                Warn(token!, "must be a list of dependency mappings; ignored");
                return [];
            }
            var deps = new List<DepSpec>();
            foreach (var item in array)
            {
                if (item is not JObject d) Warn(item, "is not a mapping; this dependency is skipped");
                // MLCFlow's _run_deps skips a dep whose tags are missing or empty (`if not d.get('tags'): continue`).
                else if (IsNull(d["tags"]) || (d["tags"] is JValue { Type: JTokenType.String } t && string.IsNullOrWhiteSpace((string?)t)) || d["tags"] is JArray { Count: 0 })
                    Warn(d, "has no 'tags'; this dependency is skipped, as CM skips it");
                else deps.Add(Dep(d));
            }
            return deps;
        }

        private DepSpec Dep(JObject d) => new()
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
            Env = EnvMap(d, "env"),
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

        /// <summary>`update_tags_if_env`: tag → the dep-style conditions (enable_if_env, skip_if_env, ...) that add it.</summary>
        private Dictionary<string, DepConditions> ConditionMap(JObject o, string key)
        {
            var result = new Dictionary<string, DepConditions>(StringComparer.Ordinal);
            if (Object(o, key) is not { } obj) return result;
            foreach (var p in obj.Properties())
            {
                if (p.Value is JObject c)
                    result[p.Name] = new DepConditions(Condition(c, "skip_if_env"), Condition(c, "enable_if_env"), Condition(c, "skip_if_any_env"), Condition(c, "enable_if_any_env"));
                else Warn(p.Value, "must be a mapping of env conditions; ignored");
            }
            return result;
        }

        private EnvCondition? Condition(JObject o, string key)
        {
            var map = ListMap(o, key);
            return map.Count == 0 ? null : new EnvCondition(map);
        }

        /// <summary>KEY → values (a scalar is a one-value list), as `skip_if_env` and `update_tags_from_env_with_prefix` hold them.</summary>
        private Dictionary<string, IReadOnlyList<string>> ListMap(JObject o, string? key)
        {
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if ((key is null ? o : Object(o, key)) is not { } obj) return result;
            foreach (var p in obj.Properties())
            {
                if (p.Value is JArray a)
                {
                    var values = new List<string>();
                    foreach (var item in a)
                    {
                        if (PythonText.Str(item) is { } s) values.Add(s);
                        else Warn(item, "is not a string; ignored");
                    }
                    result[p.Name] = values;
                }
                else if (PythonText.Str(p.Value) is { } s) result[p.Name] = [s];
                else Warn(p.Value, "must be a value or a list of values; ignored");
            }
            return result;
        }

        public IReadOnlyDictionary<string, VersionSpec> Versions(JObject o)
        {
            var result = new Dictionary<string, VersionSpec>(StringComparer.Ordinal);
            if (Object(o, "versions") is not { } obj) return result;
            foreach (var p in obj.Properties())
            {
                if (p.Value is JObject v)
                    result[p.Name] = new VersionSpec(EnvMap(v, "env"), Deps(v, "deps"))
                    {
                        DefaultEnv = EnvMap(v, "default_env"),
                        Ad = Overrides(v, "ad", "add_deps"),
                        Adr = Overrides(v, "adr", "add_deps_recursive"),
                    };
                else if (p.Value.Type == JTokenType.Null) result[p.Name] = new VersionSpec(ScriptMeta.Empty, []);
                else Warn(p.Value, "must be a mapping; this version is ignored");
            }
            return result;
        }

        public IReadOnlyDictionary<string, VariationSpec> Variations(JObject o)
        {
            var result = new Dictionary<string, VariationSpec>(StringComparer.Ordinal);
            if (Object(o, "variations") is not { } obj) return result;
            foreach (var p in obj.Properties())
            {
                if (p.Value is not JObject v)
                {
                    if (p.Value.Type != JTokenType.Null) Warn(p.Value, "must be a mapping; read as an empty variation");
                    v = new JObject();
                }
                result[p.Name] = new VariationSpec
                {
                    Key = p.Name,
                    Parts = p.Name.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    Group = OptionalString(v, "group"),
                    IsDefault = Bool(v, "default"),
                    DefaultVariations = v["default_variations"] is not null ? StringMap(v, "default_variations") : StringMap(v, "default-variations"),
                    Base = StringList(v, "base"),
                    Alias = OptionalString(v, "alias"),
                    Env = EnvMap(v, "env"),
                    DefaultEnv = EnvMap(v, "default_env"),
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
        private Dictionary<string, DepOverride> Overrides(JObject v, params string[] keys)
        {
            var result = new Dictionary<string, DepOverride>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (Object(v, key) is not { } obj) continue;
                foreach (var p in obj.Properties())
                {
                    if (p.Value is not JObject o)
                    {
                        // CM merges it into deps named NAME; with no such dep (the library's cases) nothing happens.
                        if (p.Value.Type != JTokenType.Null) Warn(p.Value, "is not a mapping of dep fields; ignored");
                        continue;
                    }
                    var entry = new DepOverride(StringList(o, "tags"), EnvMap(o, "env"), OptionalString(o, "version"), OptionalString(o, "version_min"), OptionalString(o, "version_max"))
                    {
                        VersionMaxUsable = OptionalString(o, "version_max_usable"),
                    };
                    result[p.Name] = result.TryGetValue(p.Name, out var earlier) ? earlier.Merge(entry) : entry;
                }
            }
            return result;
        }
    }
}
