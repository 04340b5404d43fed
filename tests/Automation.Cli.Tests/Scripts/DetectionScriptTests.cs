using Automation.Core.Caching;
using Automation.Core.Detection;
using Automation.Core.Versioning;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>
/// Every detecting get-* script, run through the real engine from its real meta, against fake tools (Spack-style
/// fixtures) on a PATH from which the host's real tool is hidden.
/// </summary>
public sealed class DetectionScriptTests() : ScriptTestBase()
{
    private Dictionary<string, string> Env(string hide, params (string Key, string Value)[] extra)
    {
        // Package managers are hidden too: a "not found" here must not start a real install.
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = HostTools.PathWithout(Fx, [hide, .. HostTools.PackageManagers]) };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    private IReadOnlyDictionary<string, string> Exported(Core.Execution.RunResult run) => run.Root.Outcome.NewEnv;

    [Fact]
    public async Task Get_git_exports_the_fake_git_records_evidence_and_serves_the_second_run_from_cache()
    {
        var git = Fx.AddTool("git", stdout: "git version 2.45.1");

        var first = await Cm.RunAsync("get,git", Env("git"));
        var second = await Cm.RunAsync("get,git", Env("git"));

        Assert.Equal(git, Exported(first)["CM_GIT_BIN_WITH_PATH"]);
        Assert.Equal("2.45.1", Exported(first)["CM_GIT_VERSION"]);
        Assert.Equal(Path.GetDirectoryName(git), Exported(first)["+PATH"]);
        Assert.Equal("2.45.1", first.Root.Outcome.Version);
        Assert.False(first.Root.FromCache);
        Assert.True(second.Root.FromCache);
        Assert.Equal(Exported(first), Exported(second));
        Assert.Single(Fx.CallsOf(git)); // the cached run did not probe again

        var entry = new CacheStore(Cm.CacheDir, Core.World.SystemClock.Instance).TryGet(first.Root.Key)!;
        var evidence = DetectionEvidence.FromJson(entry.Evidence!);
        Assert.Equal(git, evidence.ChosenPath);
        Assert.Equal(["--version"], evidence.Arguments);
        Assert.Contains("git version 2.45.1", evidence.Output);
    }

    [Fact]
    public async Task Cached_detection_is_dropped_when_the_tool_disappears()
    {
        var git = Fx.AddTool("git", stdout: "git version 2.45.1");
        await Cm.RunAsync("get,git", Env("git"));
        File.Delete(git);
        var other = Fx.AddTool("git", stdout: "git version 2.30.0", folder: "other");

        var again = await Cm.RunAsync("get,git", Env("git"));

        Assert.False(again.Root.FromCache);
        Assert.Equal(other, Exported(again)["CM_GIT_BIN_WITH_PATH"]);
    }

    [Fact]
    public async Task Get_cmake_picks_the_newest_then_honours_version_min_max_and_exact()
    {
        Fx.AddTool("cmake", stdout: "cmake version 3.20.0\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).", folder: "a");
        var newer = Fx.AddTool("cmake3", stdout: "cmake3 version 3.28.1", folder: "b");

        var newest = await Cm.RunAsync("get,cmake", Env("cmake"));
        var capped = await Cm.RunAsync("get,cmake", Env("cmake"), version: new VersionConstraint(Max: "3.25"));
        var exact = await Cm.RunAsync("get,cmake", Env("cmake"), version: new VersionConstraint(Exact: "3.28.1"));

        Assert.Equal(newer, Exported(newest)["CM_CMAKE_BIN_WITH_PATH"]);
        Assert.Equal("3.28.1", Exported(newest)["CM_CMAKE_VERSION"]);
        Assert.Equal("3.20.0", Exported(capped)["CM_CMAKE_VERSION"]);
        Assert.Equal("3.28.1", exact.Root.Outcome.Version);
    }

    [Fact]
    public async Task Get_cmake_with_an_unsatisfiable_version_min_lists_every_candidate()
    {
        Fx.AddTool("cmake", stdout: "cmake version 3.20.0", folder: "a");
        Fx.AddTool("cmake", stdout: "cmake version 3.28.1", folder: "b");

        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,cmake", Env("cmake"), version: new VersionConstraint(Min: "4.0")));

        Assert.Contains(">= 4.0", e.Message);
        Assert.Contains("3.20.0", e.Message);
        Assert.Contains("3.28.1", e.Message);
        Assert.Contains("get-cmake", e.Message);
        Assert.Equal(2, e.Candidates.Count);
    }

    [Fact]
    public async Task Get_cmake_pointer_env_wins_over_path()
    {
        Fx.AddTool("cmake", stdout: "cmake version 3.28.1");
        var pointed = Fx.AddTool("cmake", stdout: "cmake version 3.22.2", folder: "opt", onPath: false);

        var run = await Cm.RunAsync("get,cmake", Env("cmake", ("CM_CMAKE_BIN_WITH_PATH", pointed)));

        Assert.Equal(pointed, Exported(run)["CM_CMAKE_BIN_WITH_PATH"]);
    }

    [Fact]
    public async Task Get_gcc_derives_the_cxx_compiler_from_the_gcc_name()
    {
        var gcc = Fx.AddTool("gcc-13", stdout: "gcc-13 (Ubuntu 13.2.0-4ubuntu3) 13.2.0\nCopyright (C) 2023 Free Software Foundation, Inc.");

        var run = await Cm.RunAsync("get,gcc", Env("gcc*"));

        var env = Exported(run);
        Assert.Equal(gcc, env["CM_C_COMPILER_WITH_PATH"]);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(gcc)!, "g++-13"), env["CM_CXX_COMPILER_WITH_PATH"]);
        Assert.Equal("13.2.0", env["CM_GCC_VERSION"]);
        Assert.Equal("GCC", env["CM_COMPILER_FAMILY"]);
    }

    [Fact]
    public async Task Get_gcc_rejects_a_gcc_that_is_really_clang()
    {
        Fx.AddTool("gcc", stdout: "Apple clang version 15.0.0 (clang-1500.3.9.4)\nTarget: arm64-apple-darwin23.4.0");

        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,gcc", Env("gcc*")));

        Assert.Contains("did not match version_regex", e.Message);
        Assert.Contains("Apple clang", e.Message);
    }

    [Fact]
    public async Task Get_llvm_picks_the_newest_clang_and_its_clangxx()
    {
        Fx.AddTool("clang-14", stdout: "Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu");
        var newest = Fx.AddTool("clang-17", stdout: "Ubuntu clang version 17.0.6 (++20231209124227+6009708b4367-1~exp1~20231209124336.77)");

        var run = await Cm.RunAsync("get,llvm", Env("clang*", ("LLVM_HOME", "")));

        var env = Exported(run);
        Assert.Equal(newest, env["CM_LLVM_CLANG_BIN_WITH_PATH"]);
        Assert.Equal("17.0.6", env["CM_LLVM_CLANG_VERSION"]);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(newest)!, "clang++-17"), env["CM_CXX_COMPILER_WITH_PATH"]);
    }

    [Fact]
    public async Task Get_dotnet_prefers_dotnet_root_over_path_and_reports_the_real_root()
    {
        Fx.AddTool("dotnet", stdout: "10.0.100");
        var root = Fx.Folder("dotnet-home", onPath: false);
        var home = Fx.AddTool("dotnet", stdout: "8.0.404", folder: "dotnet-home", onPath: false);

        var run = await Cm.RunAsync("get,dotnet", Env("dotnet", ("DOTNET_ROOT", root)));

        var env = Exported(run);
        Assert.Equal(home, env["CM_DOTNET_BIN_WITH_PATH"]);
        Assert.Equal("8.0.404", env["CM_DOTNET_SDK_VERSION"]);
        Assert.Equal("8", env["CM_DOTNET_SDK_MAJOR_VERSION"]);
        Assert.Equal(root, env["CM_DOTNET_ROOT"]);
    }

    [Fact]
    public async Task Get_python3_takes_the_newest_python_within_version_max()
    {
        Fx.AddTool("python3", stdout: "Python 3.9.18");
        var py312 = Fx.AddTool("python3.12", stdout: "Python 3.12.1");
        Fx.AddTool("python3.12-config", stdout: "not a python");

        var newest = await Cm.RunAsync("get,python3", Env("python3*", ("CM_PYTHON_BIN_WITH_PATH", "")));
        var capped = await Cm.RunAsync("get,python3", Env("python3*", ("CM_PYTHON_BIN_WITH_PATH", "")), version: new VersionConstraint(Max: "3.10"));

        Assert.Equal(py312, Exported(newest)["CM_PYTHON_BIN_WITH_PATH"]);
        Assert.Equal("3.9.18", Exported(capped)["CM_PYTHON_VERSION"]);
    }

    private const string NvccBanner = "nvcc: NVIDIA (R) Cuda compiler driver\nCopyright (c) 2005-2024 NVIDIA Corporation\nBuilt on Thu_Mar_28_02:18:24_PDT_2024\nCuda compilation tools, release 12.4, V12.4.131\nBuild cuda_12.4.r12.4/compiler.34097967_0";

    [Fact]
    public async Task Get_cuda_finds_nvcc_under_cuda_home_and_exports_paths_and_version_string()
    {
        var home = Fx.Folder("cuda-12.4", onPath: false);
        Fx.AddTool("nvcc", stdout: NvccBanner, folder: "cuda-12.4/bin", onPath: false);

        var run = await Cm.RunAsync("get,cuda", Env("nvcc", ("CUDA_HOME", home), ("CUDA_PATH", "")));

        var env = Exported(run);
        Assert.Equal("yes", env["CM_CUDA_AVAILABLE"]);
        Assert.Equal("12.4", env["CM_CUDA_VERSION"]);
        Assert.Equal("12.4.131", env["CM_CUDA_FULL_VERSION"]);
        Assert.Equal("cu124", env["CM_CUDA_VERSION_STRING"]);
        Assert.Equal(home, env["CM_CUDA_INSTALLED_PATH"]);
        Assert.Equal(Path.Combine(home, "include"), env["CM_CUDA_PATH_INCLUDE"]);
        Assert.Equal(Path.Combine(home, "lib64"), env["+LD_LIBRARY_PATH"]);
        Assert.Equal("12.4.131", run.Root.Outcome.Version);
    }

    [Fact]
    public async Task Get_cuda_with_cudnn_variation_also_reads_the_cudnn_header()
    {
        var home = Fx.Folder("cuda", onPath: false);
        Fx.AddTool("nvcc", stdout: NvccBanner, folder: "cuda/bin", onPath: false);
        Fx.AddFile("cudnn_version.h", CudnnHeader(9, 1, 0), folder: "cuda/include", onPath: false);

        var run = await Cm.RunAsync("get,cuda,_cudnn", Env("nvcc", ("CUDA_HOME", home), ("CUDA_PATH", ""), ("CUDNN_PATH", ""), ("CUDNN_HOME", "")));

        Assert.Equal("9.1.0", Exported(run)["CM_CUDNN_VERSION"]);
        Assert.Equal("12.4", Exported(run)["CM_CUDA_VERSION"]);
        Assert.Contains(run.Steps, s => s.Script == "get-cudnn");
    }

    [Fact]
    public async Task Get_cuda_rejects_a_broken_nvcc_pointer_with_its_output()
    {
        var broken = Fx.AddTool("nvcc", stderr: "nvcc fatal : Unsupported gpu architecture", exitCode: 1, onPath: false, folder: "broken");

        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,cuda", Env("nvcc", ("CM_NVCC_BIN_WITH_PATH", broken))));

        Assert.Contains("Unsupported gpu architecture", e.Message);
        Assert.Contains("No CUDA toolkit", e.Message);
    }

    [Fact]
    public async Task Get_cuda_devices_reads_every_gpu_from_the_nvidia_smi_query()
    {
        var smi = Fx.AddTool("nvidia-smi", stdout: "0, NVIDIA H100 80GB HBM3, 81559, 9.0, 550.54.15\n1, NVIDIA A100-SXM4-40GB, 40960, 8.0, 550.54.15");

        var run = await Cm.RunAsync("get,cuda-devices", Env("nvidia-smi"));

        var env = Exported(run);
        Assert.Equal("2", env["CM_CUDA_NUM_DEVICES"]);
        Assert.Equal("NVIDIA H100 80GB HBM3", env["CM_CUDA_DEVICE_0_NAME"]);
        Assert.Equal("81559", env["CM_CUDA_DEVICE_0_MEMORY_TOTAL_MIB"]);
        Assert.Equal("9.0", env["CM_CUDA_DEVICE_0_COMPUTE_CAP"]);
        Assert.Equal("8.0", env["CM_CUDA_DEVICE_1_COMPUTE_CAP"]);
        Assert.Equal("550.54.15", env["CM_NVIDIA_DRIVER_VERSION"]);
        Assert.Equal("yes", env["CM_CUDA_DEVICES_AVAILABLE"]);
        Assert.Equal(["--query-gpu=index,name,memory.total,compute_cap,driver_version --format=csv,noheader,nounits"], Fx.CallsOf(smi));
    }

    private const string NoDriver = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";

    [Fact]
    public async Task Get_cuda_devices_without_a_driver_fails_saying_so()
    {
        var smi = Fx.AddTool("nvidia-smi", stdout: NoDriver, exitCode: 9, folder: "nodriver", onPath: false);

        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,cuda-devices", Env("nvidia-smi", ("CM_NVIDIA_SMI_BIN_WITH_PATH", smi))));

        Assert.Contains("couldn't communicate with the NVIDIA driver", e.Message);
        Assert.Contains("No working NVIDIA GPU", e.Message);
        Assert.Contains("exited with code 9", e.Message);
    }

    private static string CudnnHeader(int major, int minor, int patch) =>
        $"/* cudnn_version.h */\n#ifndef CUDNN_VERSION_H_\n#define CUDNN_VERSION_H_\n\n#define CUDNN_MAJOR {major}\n#define CUDNN_MINOR {minor}\n#define CUDNN_PATCHLEVEL {patch}\n\n#define CUDNN_VERSION (CUDNN_MAJOR * 10000 + CUDNN_MINOR * 100 + CUDNN_PATCHLEVEL)\n#endif\n";

    private Dictionary<string, string> NoCudaHomes(params (string Key, string Value)[] extra) =>
        Env("nvcc", [("CUDNN_PATH", ""), ("CUDNN_HOME", ""), ("CUDA_HOME", ""), ("CUDA_PATH", ""), ("TENSORRT_ROOT", ""), ("TRT_ROOT", ""), ("TENSORRT_HOME", ""), .. extra]);

    [Fact]
    public async Task Get_cudnn_reads_the_version_from_cudnn_version_h_under_cudnn_path()
    {
        var root = Fx.Folder("cudnn-8.9", onPath: false);
        var header = Fx.AddFile("cudnn_version.h", CudnnHeader(8, 9, 7), folder: "cudnn-8.9/include", onPath: false);

        var run = await Cm.RunAsync("get,cudnn", NoCudaHomes(("CUDNN_PATH", root)));

        var env = Exported(run);
        Assert.Equal("8.9.7", env["CM_CUDNN_VERSION"]);
        Assert.Equal("8", env["CM_CUDNN_MAJOR_VERSION"]);
        Assert.Equal(header, env["CM_CUDNN_VERSION_HEADER"]);
        Assert.Equal(root, env["CM_CUDNN_INSTALLED_PATH"]);
        var evidence = new CacheStore(Cm.CacheDir, Core.World.SystemClock.Instance).TryGet(run.Root.Key)!.Evidence!;
        Assert.Empty(evidence["arguments"]!);
        Assert.Contains("{{major}}.{{minor}}.{{patch}}", (string)evidence["regex"]!);
    }

    [Fact]
    public async Task Get_cudnn_reads_old_cudnn_h_and_honours_version_min()
    {
        var include = Fx.Folder("old/include", onPath: false);
        Fx.AddFile("cudnn.h", "#include <stdint.h>\n" + CudnnHeader(7, 6, 5), folder: "old/include", onPath: false);

        var found = await Cm.RunAsync("get,cudnn", NoCudaHomes(("CM_CUDNN_INCLUDE_PATH", include)));
        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,cudnn", NoCudaHomes(("CM_CUDNN_INCLUDE_PATH", include)), version: new VersionConstraint(Min: "8.0")));

        Assert.Equal("7.6.5", Exported(found)["CM_CUDNN_VERSION"]);
        Assert.Contains("7.6.5 (does not satisfy >= 8.0)", e.Message);
    }

    [Fact]
    public async Task Get_cudnn_rejects_a_header_without_version_defines()
    {
        var include = Fx.Folder("v8/include", onPath: false);
        Fx.AddFile("cudnn.h", "#include \"cudnn_version.h\"\n#include \"cudnn_ops_infer.h\"\n", folder: "v8/include", onPath: false);

        var e = await Assert.ThrowsAsync<DetectionException>(() => Cm.RunAsync("get,cudnn", NoCudaHomes(("CM_CUDNN_INCLUDE_PATH", include))));

        Assert.Contains("did not match version_regex", e.Message);
        Assert.Contains("Install cuDNN", e.Message);
    }

    [Theory]
    [InlineData("#define NV_TENSORRT_MAJOR 8 //!< TensorRT major version.\n#define NV_TENSORRT_MINOR 6\n#define NV_TENSORRT_PATCH 1\n#define NV_TENSORRT_BUILD 6\n#define NV_TENSORRT_SONAME_MAJOR 8\n", "8.6.1")]
    [InlineData("#define TRT_MAJOR_ENTERPRISE 10\n#define TRT_MINOR_ENTERPRISE 8\n#define TRT_PATCH_ENTERPRISE 0\n#define TRT_BUILD_ENTERPRISE 43\n#define NV_TENSORRT_MAJOR TRT_MAJOR_ENTERPRISE //!< TensorRT major version.\n#define NV_TENSORRT_MINOR TRT_MINOR_ENTERPRISE\n", "10.8.0")]
    public async Task Get_tensorrt_reads_both_header_layouts(string defines, string version)
    {
        var root = Fx.Folder("TensorRT", onPath: false);
        Fx.AddFile("NvInferVersion.h", "#ifndef NV_INFER_VERSION_H\n#define NV_INFER_VERSION_H\n" + defines + "#endif\n", folder: "TensorRT/include", onPath: false);

        var run = await Cm.RunAsync("get,tensorrt", NoCudaHomes(("TENSORRT_ROOT", root)));

        Assert.Equal(version, Exported(run)["CM_TENSORRT_VERSION"]);
        Assert.Equal(root, Exported(run)["CM_TENSORRT_INSTALL_PATH"]);
    }
}
