namespace Automation.LoadGen.Official;

public enum LoadGenEngineKind
{
    Native,
    Official,
}

/// <summary>
/// Picks the LoadGen engine the way scripts do: the _loadgen-native / _loadgen-official variations set
/// <see cref="EngineEnv"/>, and the official one also brings <see cref="OfficialLoadGen.ShimLibraryEnv"/>.
/// </summary>
public static class LoadGenEngines
{
    public const string EngineEnv = "CM_MLPERF_LOADGEN_ENGINE";

    public static string Name(LoadGenEngineKind kind) => kind == LoadGenEngineKind.Official ? OfficialLoadGen.EngineLabel : NativeLoadGen.EngineLabel;

    public static bool TryParse(string? name, out LoadGenEngineKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case NativeLoadGen.EngineLabel: kind = LoadGenEngineKind.Native; return true;
            case OfficialLoadGen.EngineLabel: kind = LoadGenEngineKind.Official; return true;
            default: kind = default; return false;
        }
    }

    /// <exception cref="ArgumentException">Not "native" or "official".</exception>
    public static LoadGenEngineKind Parse(string? name) => TryParse(name, out var kind)
        ? kind
        : throw new ArgumentException($"unknown LoadGen engine '{name}': use '{NativeLoadGen.EngineLabel}' or '{OfficialLoadGen.EngineLabel}'", nameof(name));

    /// <param name="shimLibraryPath">Official engine only: the built shim; null reads <see cref="OfficialLoadGen.ShimLibraryEnv"/> from the process.</param>
    public static ILoadGenEngine Create(LoadGenEngineKind kind, string? shimLibraryPath = null, string? auditConfigPath = null) => kind switch
    {
        LoadGenEngineKind.Official => shimLibraryPath is null ? OfficialLoadGen.FromEnvironment(null, auditConfigPath) : new OfficialLoadGen(shimLibraryPath, auditConfigPath),
        _ => new NativeLoadGen(auditConfigPath: auditConfigPath),
    };

    /// <summary>The engine a script's env selects; native when <see cref="EngineEnv"/> is unset or empty.</summary>
    public static ILoadGenEngine FromEnv(IReadOnlyDictionary<string, string> env, string? auditConfigPath = null)
    {
        var name = env.GetValueOrDefault(EngineEnv);
        var kind = string.IsNullOrEmpty(name) ? LoadGenEngineKind.Native : Parse(name);
        return kind == LoadGenEngineKind.Official
            ? (ILoadGenEngine)(env.GetValueOrDefault(OfficialLoadGen.ShimLibraryEnv) is { Length: > 0 } lib ? new OfficialLoadGen(lib, auditConfigPath) : OfficialLoadGen.FromEnvironment(env, auditConfigPath))
            : new NativeLoadGen(auditConfigPath: auditConfigPath);
    }
}
