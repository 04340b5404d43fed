using Newtonsoft.Json.Linq;

namespace Automation.Core.Meta;

public enum MetaKeyLevel { Script, Dep, Variation, Version }

public enum MetaKeyStatus
{
    /// <summary>The engine does what CM does with it (or there is nothing to do: documentation keys).</summary>
    Supported,
    /// <summary>Read past on purpose (CM itself ignores it, or it only serves a CM tool we do not have); `--verbose` warns.</summary>
    IgnoredWithWarning,
    /// <summary>Changes what CM runs or prints; not implemented yet, so ignored; `--verbose` warns.</summary>
    NotYet,
}

/// <summary>One meta key at one level, with what this engine does with it.</summary>
public sealed record MetaKey(MetaKeyLevel Level, string Name, MetaKeyStatus Status, string Note);

/// <summary>One place where a meta uses a key: the JSON path of its value and its position.</summary>
public sealed record MetaKeyUse(MetaKey Key, string Where, int Line, int Column);

/// <summary>
/// The one list of meta keys this engine knows, per level, with its status: `cm show script --unsupported`, the
/// meta reader's verbose warning and the table in docs/cm-compatibility.md (`cm docs compat`) all read it. A key
/// missing from the list is unknown: ignored with a warning (CM ignores unknown keys too, MLCFlow logs them at debug).
/// </summary>
public static class MetaKeys
{
    private const string Doc = "documentation only; nothing to run";
    private const string Input = "CM passes every other key of a dep to the dep's run as an input (its input_mapping); not done here yet";
    private const string NotCm = "not read by MLCFlow 1.3.6 either (a misplaced or misspelt key in the library)";

    /// <summary>The dep lists that the walker and the reader look into, at the script, variation and version levels.</summary>
    public static readonly string[] DepLists = ["deps", "prehook_deps", "posthook_deps", "post_deps", "install_deps"];

    public static IReadOnlyList<MetaKey> All { get; } =
    [
        .. Level(MetaKeyLevel.Script, MetaKeyStatus.Supported,
            ("alias", "identity; `cm run script ALIAS`"), ("uid", "identity; `cm run script UID`"), ("tags", "script selection"),
            ("automation_alias", "every folder under a script root is a script"), ("automation_uid", "every folder under a script root is a script"),
            ("category", "docs and `cm show`"), ("name", Doc), ("tags_help", Doc), ("developers", Doc), ("category_sort", Doc), ("private", Doc),
            ("cache", "docs/cache.md"), ("can_force_cache", ""), ("cache_expiration", ""), ("extra_cache_tags_from_env", ""), ("clean_files", ""),
            ("env", "docs/env-rules.md"), ("default_env", "docs/env-rules.md"), ("new_env_keys", "export filter"), ("new_state_keys", "export filter"),
            ("local_env_keys", ""), ("input_mapping", ""), ("input_description", "`cm show`, docs"),
            ("deps", ""), ("prehook_deps", ""), ("posthook_deps", ""), ("post_deps", ""),
            ("predeps", "`predeps: false` keeps customize.py's predeps hook from running"),
            ("variations", "docs/meta-reference.md"), ("versions", ""), ("default_version", ""), ("sort", "ties between scripts with the same tags"),
            ("docker", "read by `cm docker script`"),
            ("install_deps", "ours"), ("detect", "ours (docs/detection.md)"), ("builtin", "ours"), ("cache_key_env", "ours"), ("cache_key_ignore_env", "ours"),
            ("validate_env_paths", "ours"), ("unavailable_env", "ours"), ("run_script", "ours"),
            ("estimated_seconds", "ours: dry-run estimates"), ("download_bytes", "ours: dry-run estimates"), ("disk_bytes", "ours: dry-run estimates"),
            ("fair", "ours: FAIR metadata in run records")),
        .. Level(MetaKeyLevel.Script, MetaKeyStatus.NotYet,
            ("update_meta_if_env", "conditional meta changes"), ("variation_groups_order", "order in which variation groups apply"),
            ("invalid_variation_combinations", "refusing a combination of variations"), ("valid_variation_combinations", "refusing a combination of variations"),
            ("default_variation", ""), ("default_variations", "at the script level"), ("env_key_mappings", "env prefix remapping"),
            ("file_path_env_keys", "path checks of inputs"), ("folder_path_env_keys", "path checks of inputs"), ("clean_output_files", ""),
            ("sudo_install", ""), ("warnings", "messages printed before the run"), ("mlc_compat", "MLCFlow version requirements"), ("remote_run", "")),
        .. Level(MetaKeyLevel.Script, MetaKeyStatus.IgnoredWithWarning,
            ("tests", "inputs of `mlc test script`; no such command here"), ("print_env_at_the_end", "output only"),
            ("print_files_if_script_error", "output only"), ("min_mlc_version", NotCm), ("variation_tags_alias", NotCm)),

        .. Level(MetaKeyLevel.Dep, MetaKeyStatus.Supported,
            ("tags", "a dep without tags is skipped with a warning, as CM skips it"), ("names", "targets of adr/ad"), ("env", ""),
            ("enable_if_env", ""), ("skip_if_env", ""), ("enable_if_any_env", ""), ("skip_if_any_env", ""),
            ("version", ""), ("version_min", ""), ("version_max", ""), ("version_max_usable", ""),
            ("update_tags_from_env_with_prefix", ""), ("update_tags_from_env", ""), ("update_tags_if_env", ""), ("force_env_keys", ""),
            ("extra_cache_tags", ""), ("force_cache", ""), ("force-cache", "CM's older spelling"), ("inherit_variation_tags", ""),
            ("skip_inherit_variation_groups", ""), ("reuse_version", ""), ("dynamic", ""), ("skip_if_fake_run", ""), ("continue_on_error", ""),
            ("adr", ""), ("add_deps_recursive", ""), ("optional", "ours")),
        .. Level(MetaKeyLevel.Dep, MetaKeyStatus.NotYet,
            ("inherit_cache_expiration", "the dep inherits the caller's cache_expiration"),
            ("force_new_env_keys", "a run input CM passes to the dep: replaces its new_env_keys"),
            ("ignore_script_error", "a run input CM passes to the dep: its run script's failure is ignored"), ("update_meta_if_env", ""),
            ("md5sum", Input), ("model_filename", Input), ("full_subfolder", Input), ("revision", Input), ("verify", Input),
            ("env_key", Input), ("cache_expiration", Input), ("state", Input), ("const", Input)),
        .. Level(MetaKeyLevel.Dep, MetaKeyStatus.IgnoredWithWarning,
            ("ignore_missing", "in MLCFlow's schema, read nowhere"), ("extra_cache_rm_tags", NotCm), ("version_max1", NotCm),
            ("version_max_usable1", NotCm), ("update_tags_from_env_with_prefix\"", NotCm)),

        .. Level(MetaKeyLevel.Variation, MetaKeyStatus.Supported,
            ("env", ""), ("default_env", ""), ("group", ""), ("default", "`default: true,` and other strings are true, as Python's truth test reads them"),
            ("default_variations", ""), ("default-variations", "older spelling"), ("base", ""), ("alias", ""),
            ("deps", ""), ("prehook_deps", ""), ("posthook_deps", ""), ("post_deps", ""),
            ("adr", ""), ("add_deps_recursive", ""), ("ad", ""), ("add_deps", ""),
            ("new_env_keys", ""), ("new_state_keys", ""), ("default_version", ""), ("state", "")),
        .. Level(MetaKeyLevel.Variation, MetaKeyStatus.NotYet,
            ("const", ""), ("docker", "variation-specific docker settings"), ("required_disk_space", ""), ("cache_expiration", ""),
            ("cache", ""), ("force_cache", ""), ("update_meta_if_env", ""), ("warning", "message printed before the run"),
            ("warnings", "messages printed before the run"), ("add_deps_tags", ""), ("default_variation", ""), ("names", "")),

        .. Level(MetaKeyLevel.Version, MetaKeyStatus.Supported,
            ("env", ""), ("default_env", ""), ("deps", ""), ("adr", ""), ("add_deps_recursive", ""), ("ad", ""), ("add_deps", "")),
    ];

    private static readonly Dictionary<(MetaKeyLevel, string), MetaKey> ByName = All.ToDictionary(k => (k.Level, k.Name));

    private static IEnumerable<MetaKey> Level(MetaKeyLevel level, MetaKeyStatus status, params (string Name, string Note)[] keys) =>
        keys.Select(k => new MetaKey(level, k.Name, status, k.Note));

    /// <summary>The key's entry; an unknown key gets one saying it is ignored with a warning.</summary>
    public static MetaKey Find(MetaKeyLevel level, string name) =>
        ByName.TryGetValue((level, name), out var key) ? key
        : new MetaKey(level, name, MetaKeyStatus.IgnoredWithWarning,
            name.StartsWith("MLC_", StringComparison.Ordinal) || name.StartsWith("CM_", StringComparison.Ordinal) ? "an env key outside env/default_env; CM does not read it either"
            : level == MetaKeyLevel.Dep ? "not a dep key CM interprets; CM passes it to the dep as an input, which matters only where the dep's input_mapping names it"
            : "unknown key; CM does not read it either");

    /// <summary>Every key a meta uses, at the script level, in each dep (of the script, its variations and versions), variation and version.</summary>
    public static IEnumerable<MetaKeyUse> Uses(JObject meta)
    {
        foreach (var use in Keys(meta, MetaKeyLevel.Script)) yield return use;
        foreach (var use in DepKeys(meta)) yield return use;
        foreach (var (level, block) in new[] { (MetaKeyLevel.Variation, "variations"), (MetaKeyLevel.Version, "versions") })
        {
            if (meta[block] is not JObject bodies) continue;
            foreach (var body in bodies.Properties().Select(p => p.Value).OfType<JObject>())
            {
                foreach (var use in Keys(body, level)) yield return use;
                foreach (var use in DepKeys(body)) yield return use;
            }
        }
    }

    /// <summary>The uses of keys this engine does not implement (not yet, ignored, unknown).</summary>
    public static IEnumerable<MetaKeyUse> Unimplemented(JObject meta) => Uses(meta).Where(u => u.Key.Status != MetaKeyStatus.Supported);

    private static IEnumerable<MetaKeyUse> Keys(JObject o, MetaKeyLevel level) =>
        o.Properties().Select(p => Use(Find(level, p.Name), p));

    private static IEnumerable<MetaKeyUse> DepKeys(JObject body) =>
        DepLists.SelectMany(list => body[list] is JArray deps ? deps.OfType<JObject>() : []).SelectMany(d => Keys(d, MetaKeyLevel.Dep));

    private static MetaKeyUse Use(MetaKey key, JProperty p)
    {
        var (line, column) = MetaReader.Line(p);
        return new MetaKeyUse(key, p.Path, line, column);
    }

    public static string Text(MetaKeyStatus status) => status switch
    {
        MetaKeyStatus.Supported => "supported",
        MetaKeyStatus.IgnoredWithWarning => "ignored with warning",
        _ => "not yet",
    };

    public static string Text(MetaKeyLevel level) => level switch
    {
        MetaKeyLevel.Script => "script",
        MetaKeyLevel.Dep => "dep",
        MetaKeyLevel.Variation => "variation",
        _ => "version",
    };
}
