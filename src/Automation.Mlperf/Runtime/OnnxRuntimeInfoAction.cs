using Automation.Core.Errors;
using Automation.Core.Execution;
using Microsoft.ML.OnnxRuntime;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Runtime;

/// <summary>
/// `get-onnxruntime`: ONNX Runtime is linked into cm (NuGet Microsoft.ML.OnnxRuntime), so instead of finding an
/// install this loads it in-process and reports its version, execution providers and native library.
/// The `_cuda` variation (CM_ONNXRUNTIME_DEVICE=cuda) fails with what is missing when the CUDA provider is absent.
/// </summary>
public sealed class OnnxRuntimeInfoAction : IBuiltinAction
{
    public const string PackageName = "Microsoft.ML.OnnxRuntime";
    public const string CudaProvider = "CUDAExecutionProvider";

    public string Name => "onnxruntime-info";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var script = context.Node.Script;
        string version;
        IReadOnlyList<string> providers;
        try
        {
            var ort = OrtEnv.Instance();
            version = ort.GetVersionString();
            providers = ort.GetAvailableProviders();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException or BadImageFormatException)
        {
            throw new AutomationException($"ONNX Runtime could not be loaded in-process: {e.GetBaseException().Message}", script.MetaFile, script.Alias,
                "The native library (libonnxruntime.so / onnxruntime.dll) must sit next to cm; it ships in cm's publish folder, so rebuild cm with ./cm or copy it back.");
        }
        var device = context.Env.GetValueOrDefault("CM_ONNXRUNTIME_DEVICE") is { Length: > 0 } d ? d : "cpu";
        if (device == "cuda" && !providers.Contains(CudaProvider))
            throw new AutomationException(
                $"the _cuda variation needs ONNX Runtime's {CudaProvider}, but the ONNX Runtime linked into cm ({PackageName} {version}, the CPU build) offers only {string.Join(", ", providers)}",
                script.MetaFile, script.Alias,
                "The GPU build is the NuGet package Microsoft.ML.OnnxRuntime.Gpu, which needs CUDA 12 and cuDNN 9 on the machine and which our package registry does not serve, so this cm cannot run ONNX models on a GPU. Use _cpu (the default), or build cm against Microsoft.ML.OnnxRuntime.Gpu where that package can be fetched.");
        if (!context.Node.Version.IsSatisfiedBy(version))
            throw new AutomationException($"cm carries ONNX Runtime {version}, which does not satisfy {context.Node.Version}{(context.Node.Version.Origin is { } o ? $" (asked by {o})" : "")}",
                script.MetaFile, script.Alias, "ONNX Runtime is linked into cm and cannot be swapped at run time: relax the version constraint, or rebuild cm with another Microsoft.ML.OnnxRuntime version in Directory.Packages.props.");

        var library = NativeLibraryPath();
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CM_ONNXRUNTIME_AVAILABLE"] = "yes",
            ["CM_ONNXRUNTIME_VERSION"] = version,
            ["CM_ONNXRUNTIME_PACKAGE"] = PackageName,
            ["CM_ONNXRUNTIME_PROVIDERS"] = string.Join(',', providers),
            ["CM_ONNXRUNTIME_DEVICE"] = device,
            ["CM_ONNXRUNTIME_LIB_PATH"] = library ?? "",
        };
        context.Log.WriteLine($"ONNX Runtime {version} ({string.Join(", ", providers)}) from {library ?? "an unknown location"}");
        var evidence = new JObject { ["version"] = version, ["providers"] = new JArray(providers), ["library"] = library };
        return Task.FromResult(new StepOutcome(env, new JObject(), version, evidence, library is null ? [] : [library]));
    }

    /// <summary>The loaded native library: from the process's memory map on Linux, else the file next to the app.</summary>
    public static string? NativeLibraryPath()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                if (slash >= 0 && line.Contains("libonnxruntime.so", StringComparison.Ordinal)) return line[slash..].Trim();
            }
        }
        var name = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        var nextToApp = Path.Combine(AppContext.BaseDirectory, name);
        if (File.Exists(nextToApp)) return nextToApp;
        var runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        return Directory.Exists(runtimes) ? Directory.EnumerateFiles(runtimes, name, SearchOption.AllDirectories).FirstOrDefault() : null;
    }
}
