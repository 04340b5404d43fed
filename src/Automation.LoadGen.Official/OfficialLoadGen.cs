using System.Runtime.InteropServices;
using System.Text;
using Automation.LoadGen.Official.Interop;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official;

/// <summary>
/// The official MLPerf C++ LoadGen, unaltered, behind <see cref="ILoadGenEngine"/>: the C# SUT and QSL are driven
/// through the project's C ABI shim (native/shim.h), LoadGen writes its own log files, and the result is read back
/// from them. This is the engine MLPerf's rules accept for submissions.
/// </summary>
/// <remarks>
/// LoadGen is a process-wide singleton (its logger and issue threads), so tests run one at a time per process; a
/// second <see cref="Run"/> waits for the first.
/// </remarks>
public sealed class OfficialLoadGen : ILoadGenEngine
{
    public const string EngineLabel = "official";
    /// <summary>The env key the get-mlperf-inference-loadgen script exports the built shim under.</summary>
    public const string ShimLibraryEnv = "CM_MLPERF_LOADGEN_SHIM_LIB";

    private static readonly Lock RunLock = new();
    private readonly ShimLibrary _library;
    private readonly string? _auditConfigPath;

    /// <param name="shimLibraryPath">The built shim, libmlperf_loadgen_shim.so.</param>
    /// <param name="auditConfigPath">A compliance test's audit.config, handed to StartTest as its audit_config_filename
    /// (LoadGen's own parameter; its default is "audit.config" in the working directory). Null: none (the shim never
    /// falls back to an audit.config in the working directory, matching <see cref="NativeLoadGen"/>).</param>
    /// <exception cref="OfficialLoadGenException">The library is missing, not the shim, or of another ABI version.</exception>
    public OfficialLoadGen(string shimLibraryPath, string? auditConfigPath = null)
    {
        _library = ShimLibrary.Load(shimLibraryPath);
        _auditConfigPath = auditConfigPath;
    }

    /// <summary>The engine built by get-mlperf-inference-loadgen, found through <see cref="ShimLibraryEnv"/>.</summary>
    /// <param name="auditConfigPath">A compliance test's audit.config (see the constructor).</param>
    public static OfficialLoadGen FromEnvironment(IReadOnlyDictionary<string, string>? env = null, string? auditConfigPath = null)
    {
        var path = env is null ? Environment.GetEnvironmentVariable(ShimLibraryEnv) : env.GetValueOrDefault(ShimLibraryEnv);
        if (string.IsNullOrEmpty(path))
        {
            throw new OfficialLoadGenException(
                $"{ShimLibraryEnv} is not set, so the official LoadGen cannot be found. Build it with " +
                "`cm run script --tags=get,mlperf,inference,loadgen` (offline: add --env.CM_MLPERF_LOADGEN_SOURCE=<archive or folder>) " +
                $"and set {ShimLibraryEnv} to the library it reports.");
        }
        return new OfficialLoadGen(path, auditConfigPath);
    }

    public string EngineName => EngineLabel;
    /// <summary>The official LoadGen's own version (VERSION.txt).</summary>
    public string LoadGenVersion => _library.LoadGenVersion;
    public string ShimLibraryPath => _library.Path;

    public unsafe LoadGenResult Run(ISystemUnderTest sut, IQuerySampleLibrary qsl, TestSettings settings, LogSettings log)
    {
        ArgumentNullException.ThrowIfNull(sut);
        ArgumentNullException.ThrowIfNull(qsl);
        Directory.CreateDirectory(log.OutputDirectory);
        var native = ShimSettings.From(settings);
        var sutName = sut.Name;
        var run = new ShimRun(_library, sut, qsl);
        var handle = GCHandle.Alloc(run);
        using var strings = new Utf8Strings();
        try
        {
            var callbacks = ShimRun.Callbacks(GCHandle.ToIntPtr(handle));
            callbacks.SutName = strings.Add(sutName);
            callbacks.QslName = strings.Add(qsl.Name);
            callbacks.TotalSampleCount = (ulong)qsl.TotalSampleCount;
            callbacks.PerformanceSampleCount = (ulong)qsl.PerformanceSampleCount;
            var logSettings = new ShimLogSettings
            {
                OutDir = strings.Add(Path.GetFullPath(log.OutputDirectory)),
                Prefix = strings.Add(log.Prefix),
                Suffix = strings.Add(log.Suffix),
                PrefixWithDatetime = log.PrefixWithDatetime ? 1 : 0,
                EnableTrace = log.EnableTrace ? 1 : 0,
            };
            var audit = _auditConfigPath is null ? null : strings.Add(Path.GetFullPath(_auditConfigPath));
            const int errorSize = 1024;
            var error = stackalloc byte[errorSize];
            int status;
            lock (RunLock) status = _library.StartTest(&callbacks, &native, &logSettings, audit, error, errorSize);
            if (status != 0) throw new OfficialLoadGenException($"the official LoadGen failed: {Marshal.PtrToStringUTF8((nint)error)}");
        }
        finally
        {
            handle.Free();
        }
        if (run.Failure is { } failure)
        {
            throw new OfficialLoadGenException($"the SUT or QSL threw while the official LoadGen ran ({failure.GetType().Name}: {failure.Message})", failure);
        }
        return OfficialResults.Read(log, settings, qsl, sutName, EngineName);
    }

    /// <summary>NUL-terminated UTF-8 copies that live until the native call returns.</summary>
    private sealed unsafe class Utf8Strings : IDisposable
    {
        private readonly List<nint> _allocated = [];

        public byte* Add(string value)
        {
            var bytes = Encoding.UTF8.GetByteCount(value);
            var p = (byte*)NativeMemory.Alloc((nuint)bytes + 1);
            Encoding.UTF8.GetBytes(value, new Span<byte>(p, bytes));
            p[bytes] = 0;
            _allocated.Add((nint)p);
            return p;
        }

        public void Dispose()
        {
            foreach (var p in _allocated) NativeMemory.Free((void*)p);
        }
    }
}
