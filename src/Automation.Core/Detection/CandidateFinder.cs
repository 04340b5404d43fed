using Automation.Core.World;

namespace Automation.Core.Detection;

internal sealed record LocatedFile(string Path, string RealPath, string Source, bool Executable);

/// <summary>
/// Yields the files that may be the tool, lazily and in search order (so "first satisfying" can stop early):
/// a path_env pointer alone when one is set, else home_env folders, PATH, then search_paths; for each name in
/// order, every folder. Files reached twice (links, repeated PATH entries) are yielded once, by real path.
/// </summary>
internal sealed class CandidateFinder
{
    private readonly IFileSystem _fs;
    private readonly IHostEnvironment _host;
    private readonly DetectSpec _spec;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly IReadOnlyList<string> _names;
    private readonly StringComparer _pathComparer;
    private readonly List<System.Text.RegularExpressions.Regex> _exclude;
    private readonly List<string> _searched = [];

    public CandidateFinder(IFileSystem fs, IHostEnvironment host, DetectSpec spec, IReadOnlyDictionary<string, string> env)
    {
        _fs = fs;
        _host = host;
        _spec = spec;
        _env = env;
        _pathComparer = host.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        _names = host.IsWindows ? WindowsNames(spec) : spec.Executables;
        _exclude = spec.Exclude.Select(glob => Glob.ToRegex(glob, host.IsWindows)).ToList();
        (Pointer, PointerKey) = FindPointer();
    }

    /// <summary>Human-readable list of the places looked at, for error messages.</summary>
    public IReadOnlyList<string> Searched => _searched;

    /// <summary>The path_env key that was set, if any: detection is then limited to what it points at.</summary>
    public string? PointerKey { get; }

    private string? Pointer { get; }

    public IEnumerable<LocatedFile> Find()
    {
        var seen = new HashSet<string>(_pathComparer);
        foreach (var file in PointerKey is null ? SearchFolders(PlainFolders()) : PointedFiles())
            if (seen.Add(file.RealPath)) yield return file;
    }

    private (string? Value, string? Key) FindPointer()
    {
        foreach (var key in _spec.PathEnv)
        {
            var value = Lookup(key);
            if (string.IsNullOrEmpty(value)) { _searched.Add($"{key} (unset)"); continue; }
            _searched.Add($"{key} ({value})");
            return (value, key);
        }
        return (null, null);
    }

    private IEnumerable<LocatedFile> PointedFiles()
    {
        var source = $"env {PointerKey}";
        // CM keys such as CM_PYTHON_BIN_PATH name a folder rather than the binary; search it for the names.
        if (_fs.DirectoryExists(Pointer!)) return SearchFolders([(Pointer!, source)]);
        if (!_fs.FileExists(Pointer!)) throw DetectionException.BadPointer(_spec, PointerKey!, Pointer!, "does not exist");
        return [Locate(Pointer!, source)];
    }

    private List<(string Folder, string Source)> PlainFolders()
    {
        var folders = new List<(string, string)>();
        folders.AddRange(HomeFolders());
        // Data files (headers) never live on PATH.
        if (!_spec.ReadFile) folders.AddRange(PathFolders());
        folders.AddRange(ExtraFolders());
        return folders.DistinctBy(f => f.Item1, _pathComparer).ToList();
    }

    private IEnumerable<(string, string)> HomeFolders()
    {
        foreach (var (key, subfolder) in _spec.HomeEnv)
        {
            var home = Lookup(key);
            if (string.IsNullOrEmpty(home)) { _searched.Add($"{key} (unset)"); continue; }
            var folder = subfolder.Length == 0 ? home : Path.Combine(home, subfolder);
            _searched.Add($"{key}: {folder}");
            yield return (folder, $"env {key}");
        }
    }

    private IEnumerable<(string, string)> PathFolders()
    {
        var path = Lookup("PATH") ?? "";
        // Relative and empty entries mean "the current folder" to a shell; a detector must not pick up ./python.
        var folders = path.Split(_host.PathListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(Path.IsPathRooted)
            .ToList();
        _searched.Add($"PATH ({(folders.Count == 0 ? "empty" : string.Join(_host.PathListSeparator, folders))})");
        return folders.Select(f => (f, "PATH"));
    }

    private IEnumerable<(string, string)> ExtraFolders()
    {
        if (_spec.SearchPaths.Count > 0) _searched.Add($"search_paths ({string.Join(", ", _spec.SearchPaths)})");
        return _spec.SearchPaths.Select(f => (f, "search_paths"));
    }

    private IEnumerable<LocatedFile> SearchFolders(IReadOnlyList<(string Folder, string Source)> folders)
    {
        _searched.Add($"names {string.Join(", ", _names)}");
        foreach (var name in _names)
            foreach (var (folder, source) in folders)
                foreach (var path in Matches(folder, name))
                    yield return Locate(path, source);
    }

    private IEnumerable<string> Matches(string folder, string name)
    {
        if (!Glob.IsPattern(name))
        {
            var path = Path.Combine(folder, name);
            return _fs.FileExists(path) && !IsExcluded(name) ? [path] : [];
        }
        if (!_fs.DirectoryExists(folder)) return [];
        var pattern = Glob.ToRegex(name, _host.IsWindows);
        try
        {
            return _fs.EnumerateFiles(folder)
                .Where(p => pattern.IsMatch(Path.GetFileName(p)) && !IsExcluded(Path.GetFileName(p)))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return [];
        }
    }

    private bool IsExcluded(string fileName) => _exclude.Any(glob => glob.IsMatch(fileName));

    private LocatedFile Locate(string path, string source)
    {
        string real;
        try { real = _fs.GetRealPath(path); }
        catch (IOException) { real = path; }
        return new LocatedFile(path, real, source, _fs.IsExecutable(path));
    }

    /// <summary>The caller's env wins over the host's; an empty value counts as unset.</summary>
    private string? Lookup(string key)
    {
        if (_env.TryGetValue(key, out var value)) return value;
        if (_host.IsWindows)
            foreach (var (k, v) in _env)
                if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) return v;
        return _host.GetVariable(key);
    }

    private static IReadOnlyList<string> WindowsNames(DetectSpec spec) =>
        spec.WindowsExecutables.Count > 0
            ? spec.WindowsExecutables
            : spec.Executables.Select(n => WindowsRunnable.Any(ext => n.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) ? n : n + ".exe").ToList();

    // Not Path.HasExtension: "python3.11" has an "extension" but still needs ".exe".
    private static readonly string[] WindowsRunnable = [".exe", ".cmd", ".bat"];
}
