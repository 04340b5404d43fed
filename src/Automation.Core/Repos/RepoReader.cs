using Automation.Core.Catalog;
using System.Globalization;
using Automation.Core.World;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Automation.Core.Repos;

/// <summary>
/// Recognises a repository root: `cmr.yaml`/`cmr.json` (CM) or `meta.yaml`/`meta.json` (MLC) at the top, with the
/// scripts in `script/` (CM and MLC) or `&lt;prefix&gt;/script/` (CM's `prefix`); or a plain folder that holds script
/// folders itself or in `script/`.
/// </summary>
public sealed class RepoReader(IFileSystem fileSystem)
{
    private static readonly (string Name, RepoKind Kind)[] MetaFiles =
        [("cmr.yaml", RepoKind.Cm), ("cmr.json", RepoKind.Cm), ("meta.yaml", RepoKind.Mlc), ("meta.json", RepoKind.Mlc)];

    public const string ScriptFolder = "script";

    private readonly ScriptLoader loader = new(fileSystem);

    /// <summary>The repository rooted at this folder; null when the folder holds neither a repo meta nor script folders.</summary>
    public RepoFolder? Describe(string folder)
    {
        var path = Path.GetFullPath(folder);
        if (!fileSystem.DirectoryExists(path)) return null;
        foreach (var (name, kind) in MetaFiles)
        {
            var file = Path.Combine(path, name);
            if (!fileSystem.FileExists(file)) continue;
            var meta = Read(file);
            // An MLC script's own meta.yaml is not a repo meta: a script folder is not a repository.
            if (kind == RepoKind.Mlc && (meta.ContainsKey("tags") || meta.ContainsKey("automation_alias"))) break;
            var prefix = Text(meta, "prefix");
            var scripts = prefix is not null && fileSystem.DirectoryExists(Path.Combine(path, prefix, ScriptFolder))
                ? Path.Combine(path, prefix, ScriptFolder)
                : Path.Combine(path, ScriptFolder);
            return new RepoFolder(path, Text(meta, "alias") ?? FolderName(path), Text(meta, "uid"), kind, scripts,
                kind == RepoKind.Cm ? EnvPrefixes.Cm : EnvPrefixes.Mlc, file, prefix);
        }
        if (HoldsScripts(path)) return Plain(path, path);
        var scriptFolder = Path.Combine(path, ScriptFolder);
        return HoldsScripts(scriptFolder) ? Plain(path, scriptFolder) : null;
    }

    /// <summary>True when some subfolder has a script meta.</summary>
    public bool HoldsScripts(string folder) =>
        fileSystem.DirectoryExists(folder) && fileSystem.EnumerateDirectories(folder).Any(d => loader.FindMeta(d) is not null);

    private static RepoFolder Plain(string path, string scripts) => new(path, FolderName(path), null, RepoKind.Plain, scripts, null, null, null);

    private static string FolderName(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(path));

    /// <summary>The top-level keys of a repo meta; values are the scalars' text (null for lists and mappings).</summary>
    private Dictionary<string, string?> Read(string file)
    {
        var text = fileSystem.ReadAllText(file);
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            JObject json;
            try
            {
                json = JObject.Parse(text);
            }
            catch (JsonReaderException e)
            {
                throw Malformed($"{file}:{e.LineNumber}:{e.LinePosition}: {e.Message}", file, e);
            }
            foreach (var p in json.Properties())
                keys[p.Name] = p.Value is JValue { Value: not null } v ? v.ToString(CultureInfo.InvariantCulture) : null;
            return keys;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Malformed($"{file}:{e.Start.Line}:{e.Start.Column}: {e.Message}", file, e);
        }
        if (stream.Documents.Count == 0) return keys;
        if (stream.Documents[0].RootNode is not YamlMappingNode map) throw Malformed("it is not a mapping", file, null);
        foreach (var (key, value) in map.Children)
            if (key is YamlScalarNode { Value: { } name }) keys[name] = (value as YamlScalarNode)?.Value;
        return keys;
    }

    private static RepoException Malformed(string detail, string file, Exception? inner) =>
        new($"the repository meta {file} cannot be read ({detail.TrimEnd('.')})", file,
            "Fix the file (a mapping with alias, uid and optionally prefix), or unregister the repository with `cm rm repo <alias>`.", inner);

    private static string? Text(Dictionary<string, string?> meta, string key) => meta.GetValueOrDefault(key) is { Length: > 0 } s ? s : null;
}
