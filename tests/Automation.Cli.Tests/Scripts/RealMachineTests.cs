using System.Diagnostics;
using Automation.Core.Detection;
using Automation.Core.Errors;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>The scripts on this machine's real tools (host PATH); each is skipped with a message where its tool is absent.</summary>
public sealed class RealMachineTests() : ScriptTestBase()
{
    private async Task<IReadOnlyDictionary<string, string>> Detect(string tags, string pathKey, string tool, params string[] versionArgs)
    {
        var env = (await Cm.RunAsync(tags)).Root.Outcome.NewEnv;
        var path = env[pathKey];
        Assert.True(File.Exists(path), $"{path} does not exist");
        var version = env.First(kv => kv.Key.EndsWith("_VERSION", StringComparison.Ordinal) && kv.Key.Contains(tool, StringComparison.Ordinal)).Value;
        Assert.Contains(version, Run(path, versionArgs.Length == 0 ? ["--version"] : versionArgs));
        return env;
    }

    [WithToolFact("git")]
    public Task Git() => Detect("get,git", "CM_GIT_BIN_WITH_PATH", "GIT");

    [WithToolFact("cmake")]
    public Task CMake() => Detect("get,cmake", "CM_CMAKE_BIN_WITH_PATH", "CMAKE");

    [WithToolFact("gcc")]
    public async Task Gcc()
    {
        var env = await Detect("get,gcc", "CM_GCC_BIN_WITH_PATH", "GCC");
        Assert.Equal("GCC", env["CM_COMPILER_FAMILY"]);
    }

    [WithToolFact("clang", "clang-14", "clang-15", "clang-16", "clang-17", "clang-18", "clang-19")]
    public async Task Clang()
    {
        var env = await Detect("get,llvm", "CM_LLVM_CLANG_BIN_WITH_PATH", "LLVM");
        Assert.True(File.Exists(env["CM_CXX_COMPILER_WITH_PATH"]), env["CM_CXX_COMPILER_WITH_PATH"]);
    }

    [WithToolFact("dotnet")]
    public async Task Dotnet()
    {
        var env = await Detect("get,dotnet", "CM_DOTNET_BIN_WITH_PATH", "DOTNET");
        Assert.True(Directory.Exists(Path.Combine(env["CM_DOTNET_ROOT"], "sdk")), env["CM_DOTNET_ROOT"]);
    }

    [WithToolFact("python3")]
    public async Task Python3()
    {
        var env = (await Cm.RunAsync("get,python3")).Root.Outcome.NewEnv;
        Assert.Equal(env["CM_PYTHON_VERSION"], Run(env["CM_PYTHON_BIN_WITH_PATH"], "-c", "import platform; print(platform.python_version())").Trim());
    }

    [Fact]
    public async Task Detect_os_and_cpu_report_this_host()
    {
        var os = (await Cm.RunAsync("detect,os")).Root.Outcome.NewEnv;
        var env = (await Cm.RunAsync("detect,cpu")).Root.Outcome.NewEnv;

        Assert.Equal(OperatingSystem.IsLinux() ? "linux" : "darwin", os["CM_HOST_OS_TYPE"]);
        Assert.Equal(Environment.ProcessorCount.ToString(), env["CM_HOST_CPU_TOTAL_LOGICAL_CORES"]);
        Assert.NotEqual("unknown", env["CM_HOST_CPU_MODEL_NAME"]);
    }

    [Fact]
    public async Task Onnxruntime_is_loaded_in_process_with_the_cpu_provider()
    {
        var env = (await Cm.RunAsync("get,onnxruntime")).Root.Outcome.NewEnv;

        Assert.Equal(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version!.ToString(3), env["CM_ONNXRUNTIME_VERSION"]);
        Assert.Contains("CPUExecutionProvider", env["CM_ONNXRUNTIME_PROVIDERS"].Split(','));
        Assert.True(File.Exists(env["CM_ONNXRUNTIME_LIB_PATH"]), env["CM_ONNXRUNTIME_LIB_PATH"]);
        Assert.Equal("cpu", env["CM_ONNXRUNTIME_DEVICE"]);
    }

    [Fact]
    public async Task Onnxruntime_cuda_explains_that_the_gpu_build_is_not_linked_in()
    {
        var e = await Assert.ThrowsAsync<AutomationException>(() => Cm.RunAsync("get,onnxruntime,_cuda"));

        Assert.Contains("CUDAExecutionProvider", e.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", e.Message);
        Assert.Contains("package registry does not serve", e.Message);
    }

    [Fact]
    public async Task Onnxruntime_rejects_a_version_it_does_not_carry()
    {
        var e = await Assert.ThrowsAsync<AutomationException>(() => Cm.RunAsync("get,onnxruntime", version: new Core.Versioning.VersionConstraint(Min: "99.0")));

        Assert.Contains("does not satisfy >= 99.0", e.Message);
    }

    /// <summary>On this machine (no GPU) each CUDA script fails saying what is missing; on a GPU machine it must succeed.</summary>
    [Theory]
    [InlineData("get,cuda-devices", "nvidia-smi", "CM_CUDA_NUM_DEVICES", "No working NVIDIA GPU")]
    [InlineData("get,cuda", "nvcc", "CM_CUDA_VERSION", "No CUDA toolkit")]
    [InlineData("get,cudnn", "cudnn_version.h", "CM_CUDNN_VERSION", "No cuDNN headers")]
    [InlineData("get,tensorrt", "NvInferVersion.h", "CM_TENSORRT_VERSION", "No TensorRT headers")]
    public async Task Gpu_scripts_work_or_say_what_is_missing(string tags, string tool, string key, string missing)
    {
        try
        {
            var env = (await Cm.RunAsync(tags)).Root.Outcome.NewEnv;
            Assert.NotEmpty(env[key]);
        }
        catch (DetectionException e)
        {
            Assert.Contains($"No usable {tool}", e.Message);
            Assert.Contains(missing, e.Message);
        }
    }

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C";
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return output.Result + error.Result;
    }
}
