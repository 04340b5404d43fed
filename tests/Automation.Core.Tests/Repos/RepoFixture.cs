using Automation.Core.World;

namespace Automation.Core.Tests.Repos;

/// <summary>Repository folders on disk for repo and catalog tests: CM (cmr.yaml), MLC (meta.yaml) and plain ones.</summary>
public sealed class RepoFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cm-repos-").FullName;

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>An MLC repository: meta.yaml at the top, scripts as script/&lt;alias&gt;/meta.yaml.</summary>
    public string Mlc(string folder, string alias, params string[] scripts)
    {
        var repo = this[folder];
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, "meta.yaml"), $"alias: {alias}\nuid: {Guid.NewGuid():N}\ngit: true\nversion: 0.0.1\n");
        foreach (var s in scripts) YamlScript(Path.Combine(repo, "script"), s, "meta.yaml");
        return repo;
    }

    /// <summary>A CM repository: cmr.yaml (with an optional prefix), scripts as [prefix/]script/&lt;alias&gt;/_cm.yaml.</summary>
    public string Cm(string folder, string alias, string? prefix, params string[] scripts)
    {
        var repo = this[folder];
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, "cmr.yaml"), $"alias: {alias}\nuid: {Guid.NewGuid():N}\ngit: true\n" + (prefix is null ? "" : $"prefix: {prefix}\n"));
        foreach (var s in scripts) YamlScript(prefix is null ? Path.Combine(repo, "script") : Path.Combine(repo, prefix, "script"), s, "_cm.yaml");
        return repo;
    }

    /// <summary>A plain folder of _cm.json script folders.</summary>
    public string Plain(string folder, params string[] scripts)
    {
        var dir = this[folder];
        Directory.CreateDirectory(dir);
        foreach (var s in scripts)
        {
            var (alias, tags) = Split(s);
            Directory.CreateDirectory(Path.Combine(dir, alias));
            File.WriteAllText(Path.Combine(dir, alias, "_cm.json"), $$"""{"alias":"{{alias}}","uid":"{{Uid(alias)}}","tags":[{{string.Join(',', tags.Select(t => $"\"{t}\""))}}]}""");
        }
        return dir;
    }

    /// <summary>"alias" or "alias=tag1,tag2" (tags default to the alias's dash-separated words).</summary>
    private static (string Alias, string[] Tags) Split(string spec)
    {
        var parts = spec.Split('=', 2);
        return (parts[0], parts.Length > 1 ? parts[1].Split(',') : parts[0].Split('-'));
    }

    private static void YamlScript(string scriptsFolder, string spec, string metaName)
    {
        var (alias, tags) = Split(spec);
        var dir = Path.Combine(scriptsFolder, alias);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, metaName), $"alias: {alias}\nuid: {Uid(alias)}\nautomation_alias: script\ntags:\n" + string.Concat(tags.Select(t => $"- {t}\n")));
    }

    private static string Uid(string alias) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(alias)))[..16];

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A host with given variables and working folder (the real file system stays).</summary>
public sealed class TestHost(string currentDirectory, params (string Key, string Value)[] variables) : IHostEnvironment
{
    private readonly Dictionary<string, string> vars = variables.ToDictionary(v => v.Key, v => v.Value);
    public string? GetVariable(string name) => vars.GetValueOrDefault(name);
    public IReadOnlyDictionary<string, string> Variables => vars;
    public string CurrentDirectory => currentDirectory;
    public bool IsWindows => false;
    public char PathListSeparator => ':';
}
