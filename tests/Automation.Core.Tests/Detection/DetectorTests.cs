using Automation.Core.Detection;
using Automation.Core.Versioning;
using Automation.Core.World;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Detection;

/// <summary>Spack detection_test.yaml style: fake executables with canned output, real search and probing.</summary>
public sealed class DetectorTests : IDisposable
{
    private readonly FakeToolFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static DetectSpec Python => FakeToolFixture.Spec(ToolSpecs.Python3, "get-python3");

    [Fact]
    public async Task Python_two_installs_on_path_newest_wins()
    {
        var old = _fx.AddTool("python3", stdout: "Python 3.11.4", folder: "a");
        var newer = _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "b");

        var result = await _fx.DetectAsync(Python);

        Assert.Equal(newer, result.Path);
        Assert.Equal("3.12.1", result.Version.Original);
        Assert.Equal([old, newer], result.Candidates.Select(c => c.Path));
        Assert.Equal(newer, result.Env["CM_PYTHON_BIN_WITH_PATH"]);
        Assert.Equal(Path.GetDirectoryName(newer), result.Env["CM_PYTHON_BIN_PATH"]);
        Assert.Equal("python3", result.Env["CM_PYTHON_BIN"]);
        Assert.Equal("3.12.1", result.Env["CM_PYTHON_VERSION"]);
        Assert.Equal("3", result.Env["CM_PYTHON_MAJOR_VERSION"]);
        Assert.Equal("12", result.Env["CM_PYTHON_MINOR_VERSION"]);
        Assert.Equal(Path.GetDirectoryName(newer), result.Env["+PATH"]);
        Assert.Equal(["--version"], _fx.CallsOf(newer));
    }

    [Fact]
    public async Task Python_max_constraint_picks_the_older_install()
    {
        var old = _fx.AddTool("python3", stdout: "Python 3.11.4", folder: "a");
        _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "b");

        var result = await _fx.DetectAsync(Python, new VersionConstraint(Max: "3.11.99"));

        Assert.Equal(old, result.Path);
        Assert.Contains("<= 3.11.99", result.Evidence.Reason);
        Assert.Equal("does not satisfy <= 3.11.99", result.Candidates[1].Rejection);
    }

    [Fact]
    public async Task Python_none_satisfies_the_constraint_error_lists_both_candidates_and_the_fix()
    {
        var a = _fx.AddTool("python3", stdout: "Python 3.11.4", folder: "a");
        var b = _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "b");

        var error = await Assert.ThrowsAsync<DetectionException>(() =>
            _fx.DetectAsync(Python, new VersionConstraint(Min: "3.13", Origin: "mlperf-inference")));

        Assert.Contains($"{a} 3.11.4 (does not satisfy >= 3.13)", error.Message);
        Assert.Contains($"{b} 3.12.1 (does not satisfy >= 3.13)", error.Message);
        Assert.Contains("satisfying >= 3.13 (asked by mlperf-inference)", error.Message);
        Assert.Contains($"PATH ({_fx.PathEnv})", error.Message);
        Assert.Contains("CM_PYTHON_BIN_WITH_PATH (unset)", error.Message);
        Assert.Contains("script/get-python3/_cm.json", error.Message);
        Assert.EndsWith("Install Python 3 (apt-get install python3) or point CM_PYTHON_BIN_WITH_PATH at it.", error.Message);
        Assert.Equal(2, error.Candidates.Count);
    }

    [Fact]
    public async Task Without_all_matches_the_first_satisfying_install_in_search_order_wins_and_probing_stops()
    {
        var spec = FakeToolFixture.Spec(ToolSpecs.Git);
        var first = _fx.AddTool("git", stdout: "git version 2.30.0", folder: "a");
        var second = _fx.AddTool("git", stdout: "git version 2.39.5", folder: "b");
        var third = _fx.AddTool("git", stdout: "git version 2.45.0", folder: "c");

        var any = await _fx.DetectAsync(spec);
        Assert.Equal(first, any.Path);
        Assert.Single(any.Candidates);
        Assert.Empty(_fx.CallsOf(second));

        var atLeast = await _fx.DetectAsync(spec, new VersionConstraint(Min: "2.35"));
        Assert.Equal(second, atLeast.Path);
        Assert.Equal(2, atLeast.Candidates.Count);
        Assert.Empty(_fx.CallsOf(third));
        Assert.StartsWith("first candidate in search order", atLeast.Evidence.Reason);
    }

    [Fact]
    public async Task Glob_names_find_versioned_siblings_and_exclude_drops_config_scripts()
    {
        var generic = _fx.AddTool("python3", stdout: "Python 3.11.4");
        var p312 = _fx.AddTool("python3.12", stdout: "Python 3.12.1");
        var config = _fx.AddTool("python3.12-config", stdout: "Usage: python3.12-config --prefix", exitCode: 1);

        var result = await _fx.DetectAsync(Python);

        Assert.Equal(p312, result.Path);
        Assert.Equal([generic, p312], result.Candidates.Select(c => c.Path));
        Assert.Empty(_fx.CallsOf(config));
    }

    [Fact]
    public async Task Same_version_twice_ties_go_to_search_order()
    {
        var first = _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "a");
        _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "b");

        var result = await _fx.DetectAsync(Python);

        Assert.Equal(first, result.Path);
    }

    [Fact]
    public async Task Links_and_repeated_path_entries_are_probed_once()
    {
        var real = _fx.AddTool("python3.12", stdout: "Python 3.12.1", folder: "usr/bin");
        _fx.AddLink("usr/bin/python3", "python3.12");
        _fx.AddLink("bin", Path.Combine(_fx.Root, "usr/bin"), onPath: true);
        var env = _fx.Env();
        env["PATH"] += Path.PathSeparator + _fx.PathEnv;

        var result = await _fx.DetectAsync(Python, env: env);

        var only = Assert.Single(result.Candidates);
        Assert.Equal(Path.Combine(_fx.Folder("usr/bin"), "python3"), only.Path);
        Assert.Equal(real, only.RealPath);
        Assert.Single(_fx.CallsOf(real));
    }

    [Theory]
    [InlineData(ToolSpecs.Git, "git", "git version 2.39.5", "2.39.5", "CM_GIT_VERSION")]
    [InlineData(ToolSpecs.CMake, "cmake", "cmake version 3.25.1\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).", "3.25.1", "CM_CMAKE_VERSION")]
    [InlineData(ToolSpecs.Gcc, "gcc", "gcc (Debian 12.2.0-14) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.", "12.2.0", "CM_COMPILER_VERSION")]
    [InlineData(ToolSpecs.Clang, "clang", "Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\nThread model: posix", "14.0.6", "CM_COMPILER_VERSION")]
    [InlineData(ToolSpecs.Dotnet, "dotnet", "10.0.401", "10.0.401", "CM_DOTNET_SDK_VERSION")]
    [InlineData(ToolSpecs.Nvcc, "nvcc", "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.4, V12.4.131\nBuild cuda_12.4.r12.4/compiler.34097967_0", "12.4.131", "CM_CUDA_VERSION")]
    public async Task Known_tools_report_their_version(string specJson, string tool, string output, string version, string versionKey)
    {
        var path = _fx.AddTool(tool, stdout: output);

        // Install-root variables of the host must not pull in the real tools.
        var env = _fx.Env(("DOTNET_ROOT", ""), ("CUDA_HOME", ""), ("CUDA_PATH", ""));

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(specJson), env: env);

        Assert.Equal(path, result.Path);
        Assert.Equal(version, result.Version.Original);
        Assert.Equal(tool == "nvcc" ? "12.4" : version, result.Env[versionKey]);
        Assert.Equal(output + "\n", result.Evidence.Output);
    }

    [Fact]
    public async Task Clang_versioned_names_newest_wins()
    {
        _fx.AddTool("clang", stdout: "Debian clang version 14.0.6");
        var clang16 = _fx.AddTool("clang-16", stdout: "Debian clang version 16.0.6 (15)");
        _fx.AddTool("clang-tidy", stdout: "LLVM version 16.0.6");

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Clang));

        Assert.Equal(clang16, result.Path);
        Assert.Equal(2, result.Candidates.Count);
    }

    [Fact]
    public async Task Nvcc_found_through_cuda_home_exports_prefix_and_named_groups()
    {
        var nvcc = _fx.AddTool("nvcc", stdout: "Cuda compilation tools, release 12.4, V12.4.131", folder: "cuda-12.4/bin", onPath: false);
        _fx.Folder("empty");
        var cudaHome = Path.Combine(_fx.Root, "cuda-12.4");

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Nvcc), env: _fx.Env(("CUDA_HOME", cudaHome), ("CUDA_PATH", "")));

        Assert.Equal(nvcc, result.Path);
        Assert.Equal("env CUDA_HOME", result.Candidates[0].Source);
        Assert.Equal(cudaHome, result.Env["CM_CUDA_INSTALLED_PATH"]);
        Assert.Equal("12.4", result.Env["CM_CUDA_VERSION"]);
        Assert.Equal("cu124", result.Env["CM_CUDA_VERSION_STRING"]);
        Assert.Equal(cudaHome + "/lib64", result.Env["+LD_LIBRARY_PATH"]);
    }

    [Fact]
    public async Task Nvidia_smi_csv_for_two_gpus_produces_indexed_env()
    {
        var smi = _fx.AddTool("nvidia-smi", stdout: "NVIDIA A100-SXM4-40GB, 40960 MiB, 8.0, 550.54.15\nTesla T4, 15360 MiB, 7.5, 550.54.15");

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.NvidiaSmi, "get-cuda-devices"));

        Assert.Equal(["--query-gpu=name,memory.total,compute_cap,driver_version --format=csv,noheader"], _fx.CallsOf(smi));
        Assert.Equal("550.54.15", result.Version.Original);
        Assert.Equal(new Dictionary<string, string>
        {
            ["CM_NVIDIA_SMI_BIN_WITH_PATH"] = smi,
            ["CM_CUDA_NUM_DEVICES"] = "2",
            ["CM_NVIDIA_DRIVER_VERSION"] = "550.54.15",
            ["CM_CUDA_DEVICE_0_NAME"] = "NVIDIA A100-SXM4-40GB",
            ["CM_CUDA_DEVICE_0_MEMORY_TOTAL"] = "40960 MiB",
            ["CM_CUDA_DEVICE_0_COMPUTE_CAP"] = "8.0",
            ["CM_CUDA_DEVICE_1_NAME"] = "Tesla T4",
            ["CM_CUDA_DEVICE_1_MEMORY_TOTAL"] = "15360 MiB",
            ["CM_CUDA_DEVICE_1_COMPUTE_CAP"] = "7.5",
        }, result.Env);
        Assert.StartsWith("csv columns=name,memory_total,compute_cap,driver_version", result.Evidence.Regex);
    }

    [Fact]
    public async Task Nvidia_smi_without_a_driver_is_a_detection_error_quoting_its_output()
    {
        _fx.AddTool("nvidia-smi", stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", exitCode: 9);

        var error = await Assert.ThrowsAsync<DetectionException>(() =>
            _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.NvidiaSmi, "get-cuda-devices")));

        Assert.Contains("query exited with code 9", error.Message);
        Assert.Contains("couldn't communicate with the NVIDIA driver", error.Message);
        Assert.EndsWith("run without a GPU (--device=cpu).", error.Message);
    }

    [Fact]
    public async Task Csv_row_with_the_wrong_number_of_fields_is_rejected()
    {
        _fx.AddTool("nvidia-smi", stdout: "Tesla T4, 15360 MiB, 550.54.15");

        var error = await Assert.ThrowsAsync<DetectionException>(() => _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.NvidiaSmi)));

        Assert.Contains("CSV row 0 has 3 fields, expected 4", error.Message);
    }

    [Fact]
    public async Task Env_pointed_path_wins_over_a_newer_install_on_path()
    {
        var pointed = _fx.AddTool("python3", stdout: "Python 3.10.12", folder: "venv/bin", onPath: false);
        var onPath = _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "usr/bin");

        var result = await _fx.DetectAsync(Python, env: _fx.Env(("CM_PYTHON_BIN_WITH_PATH", pointed)));

        Assert.Equal(pointed, result.Path);
        Assert.Equal("env CM_PYTHON_BIN_WITH_PATH", Assert.Single(result.Candidates).Source);
        Assert.StartsWith("pointed at by CM_PYTHON_BIN_WITH_PATH", result.Evidence.Reason);
        Assert.Empty(_fx.CallsOf(onPath));
    }

    [Fact]
    public async Task Env_pointer_to_a_folder_searches_that_folder()
    {
        var venv = _fx.AddTool("python3", stdout: "Python 3.10.12", folder: "venv/bin", onPath: false);
        _fx.AddTool("python3", stdout: "Python 3.12.1", folder: "usr/bin");

        var result = await _fx.DetectAsync(Python, env: _fx.Env(("CM_PYTHON_BIN_WITH_PATH", Path.GetDirectoryName(venv)!)));

        Assert.Equal(venv, result.Path);
    }

    [Fact]
    public async Task Env_pointer_to_a_missing_file_is_an_error_naming_the_key()
    {
        _fx.AddTool("python3", stdout: "Python 3.12.1");
        var missing = Path.Combine(_fx.Root, "nowhere/python3");

        var error = await Assert.ThrowsAsync<DetectionException>(() =>
            _fx.DetectAsync(Python, env: _fx.Env(("CM_PYTHON_BIN_WITH_PATH", missing))));

        Assert.Contains($"CM_PYTHON_BIN_WITH_PATH points at '{missing}', which does not exist", error.Message);
        Assert.EndsWith("or unset it to search PATH.", error.Message);
    }

    [Fact]
    public async Task Non_executable_file_is_skipped_and_reported()
    {
        var plain = _fx.AddFile("git", "not a program", folder: "a");
        var real = _fx.AddTool("git", stdout: "git version 2.39.5", folder: "b");

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Git));

        Assert.Equal(real, result.Path);
        Assert.Equal(new DetectionCandidate(plain, plain, "PATH", null, false, "not executable"), result.Candidates[0]);
    }

    [Fact]
    public async Task Version_regex_without_a_match_is_a_clear_error()
    {
        _fx.AddTool("cmake", stderr: "cmake: error while loading shared libraries: libjsoncpp.so.25", exitCode: 127);

        var error = await Assert.ThrowsAsync<DetectionException>(() => _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.CMake)));

        Assert.Contains(@"output did not match version_regex /cmake version\s+(\S+)/ (exit code 127", error.Message);
        Assert.Contains("libjsoncpp.so.25", error.Message);
        Assert.Contains("Install cmake or set CM_CMAKE_BIN_WITH_PATH to its full path.", error.Message);
    }

    [Fact]
    public async Task Nothing_on_path_says_so()
    {
        _fx.Folder("empty");

        var error = await Assert.ThrowsAsync<DetectionException>(() => _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Git)));

        Assert.Contains("No usable git was found", error.Message);
        Assert.Contains("No candidate was found", error.Message);
        Assert.Empty(error.Candidates);
    }

    [Fact]
    public async Task Pre_release_versions_parse_and_order_below_the_release()
    {
        var spec = FakeToolFixture.Spec("""{ "executables": ["tool", "tool-*"], "all_matches": true, "version_regex": "tool (\\S+)" }""");
        _fx.AddTool("tool", stdout: "tool 1.31.0");
        var rc = _fx.AddTool("tool-next", stdout: "tool 1.31.1-rc1");

        var newest = await _fx.DetectAsync(spec);
        Assert.Equal(rc, newest.Path);
        Assert.Equal("1.31.1-rc1", newest.Version.Original);
        Assert.True(newest.Version.Value.IsPrerelease);

        var error = await Assert.ThrowsAsync<DetectionException>(() => _fx.DetectAsync(spec, new VersionConstraint(Min: "1.31.1")));
        Assert.Contains("1.31.1-rc1 (does not satisfy >= 1.31.1)", error.Message);
    }

    [Fact]
    public async Task Hanging_version_command_times_out_as_a_rejection()
    {
        var spec = FakeToolFixture.Spec("""{ "executables": ["slow"], "timeout_s": 0.5 }""");
        _fx.AddScript("slow", "exec /bin/sleep 10\n");

        var error = await Assert.ThrowsAsync<DetectionException>(() => _fx.DetectAsync(spec));

        Assert.Contains("version command timed out after 0.5 s", error.Message);
    }

    [Fact]
    public async Task Probe_runs_with_the_callers_env_and_a_C_locale()
    {
        var spec = FakeToolFixture.Spec("""{ "executables": ["envtool"], "version_regex": "v(\\S+) (?<lang>\\S+) (?<flavour>\\S+)", "env": { "X": "{{lang}}/{{flavour}}" } }""");
        _fx.AddScript("envtool", "echo \"v1.0 $LC_ALL $FLAVOUR\"\n");

        var result = await _fx.DetectAsync(spec, env: _fx.Env(("FLAVOUR", "cpu"), ("+PATH", "/ignored")));

        Assert.Equal("C/cpu", result.Env["X"]);
    }

    [Fact]
    public async Task Evidence_records_command_output_rule_and_round_trips_through_json()
    {
        var git = _fx.AddTool("git", stdout: "git version 2.39.5");

        var result = await _fx.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Git));
        var json = result.Evidence.ToJson();

        Assert.Equal(git, (string?)json["command"]);
        Assert.Equal(new JArray("--version"), json["arguments"]);
        Assert.Equal("git version 2.39.5\n", (string?)json["output"]);
        Assert.Equal(@"git version\s+(\d+\.\d+\.\d+)", (string?)json["regex"]);
        Assert.Equal(git, (string?)json["chosen_path"]);
        Assert.Equal("2.39.5", (string?)json["version"]);
        Assert.Equal("first candidate in search order satisfying any version (1 examined)", (string?)json["reason"]);
        var back = DetectionEvidence.FromJson(JObject.Parse(json.ToString()));
        Assert.Equal(result.Evidence with { Arguments = back.Arguments }, back);
        Assert.Equal(result.Evidence.Arguments, back.Arguments);
    }

    [Fact]
    public async Task Windows_host_uses_windows_names_exe_suffix_and_semicolon_path()
    {
        var git = _fx.AddTool("git.exe", stdout: "git version 2.39.5.windows.1", folder: "a");
        var py = _fx.AddTool("py.exe", stdout: "Python 3.12.1", folder: "b");
        _fx.AddTool("git", stdout: "git version 2.45.0", folder: "a");
        var detector = new Detector(PhysicalFileSystem.Instance, new WindowsLikeHost(), CliWrapProcessRunner.Instance);
        var env = new Dictionary<string, string> { ["Path"] = $"{_fx.Folder("a")};{_fx.Folder("b")}" };

        var gitResult = await detector.DetectAsync(FakeToolFixture.Spec(ToolSpecs.Git), env, VersionConstraint.None, CancellationToken.None);
        var pyResult = await detector.DetectAsync(Python, env, VersionConstraint.None, CancellationToken.None);

        Assert.Equal(git, gitResult.Path);
        Assert.Equal(py, pyResult.Path);
    }

    private sealed class WindowsLikeHost : IHostEnvironment
    {
        public string? GetVariable(string name) => null;
        public IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>();
        public string CurrentDirectory => "/";
        public bool IsWindows => true;
        public char PathListSeparator => ';';
    }
}
