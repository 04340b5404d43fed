using System.Runtime.InteropServices;

namespace Automation.LoadGen.Official.Interop;

/// <summary>
/// The built shim (native/shim.h) loaded from a path: its exports as function pointers, checked against the ABI
/// version this assembly was written for. Loaded once per path and kept for the life of the process, because
/// LoadGen's logger and issue threads are process-wide.
/// </summary>
internal sealed unsafe class ShimLibrary
{
    public const int ExpectedAbiVersion = 1;

    private static readonly Dictionary<string, ShimLibrary> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock LoadLock = new();

    private ShimLibrary(string path, nint handle)
    {
        Path = path;
        var abi = (delegate* unmanaged<int>)Export(handle, path, "shim_abi_version");
        var version = (delegate* unmanaged<byte*>)Export(handle, path, "shim_loadgen_version");
        StartTest = (delegate* unmanaged<ShimCallbacks*, ShimTestSettings*, ShimLogSettings*, byte*, byte*, nuint, int>)Export(handle, path, "shim_start_test");
        QuerySamplesComplete = (delegate* unmanaged<ShimResponse*, nuint, void>)Export(handle, path, "shim_query_samples_complete");
        AbiVersion = abi();
        if (AbiVersion != ExpectedAbiVersion)
        {
            throw new OfficialLoadGenException(
                $"the LoadGen shim '{path}' has ABI version {AbiVersion}, this program needs {ExpectedAbiVersion}. " +
                "Rebuild it (cm run script --tags=get,mlperf,inference,loadgen, which rebuilds when the shim's version changes).");
        }
        LoadGenVersion = Marshal.PtrToStringUTF8((nint)version()) ?? "";
    }

    public string Path { get; }
    public int AbiVersion { get; }
    /// <summary>The official LoadGen's VERSION.txt, e.g. "6.0.17".</summary>
    public string LoadGenVersion { get; }
    public delegate* unmanaged<ShimCallbacks*, ShimTestSettings*, ShimLogSettings*, byte*, byte*, nuint, int> StartTest { get; }
    public delegate* unmanaged<ShimResponse*, nuint, void> QuerySamplesComplete { get; }

    public static ShimLibrary Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        lock (LoadLock)
        {
            if (Loaded.TryGetValue(full, out var existing)) return existing;
            if (!File.Exists(full))
            {
                throw new OfficialLoadGenException(
                    $"the LoadGen shim library '{full}' does not exist. Build it with `cm run script --tags=get,mlperf,inference,loadgen` " +
                    "and pass the CM_MLPERF_LOADGEN_SHIM_LIB it prints.");
            }
            nint handle;
            try
            {
                handle = NativeLibrary.Load(full);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new OfficialLoadGenException($"the LoadGen shim library '{full}' could not be loaded ({e.Message}). Rebuild it for this machine.", e);
            }
            var library = new ShimLibrary(full, handle);
            Loaded[full] = library;
            return library;
        }
    }

    private static nint Export(nint handle, string path, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new OfficialLoadGenException($"the library '{path}' has no export '{name}': it is not this project's LoadGen shim (native/shim.h).");
}
