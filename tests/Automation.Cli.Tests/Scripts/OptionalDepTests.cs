using Automation.Core.Detection;
using Xunit;

namespace Automation.Cli.Tests.Scripts;

/// <summary>GPU scripts as deps of callers that can run without a GPU: "optional": true (unavailable_env) and skip_if_env.</summary>
public sealed class OptionalDepTests() : ScriptTestBase(ScriptHarness.Fixtures)
{
    [Fact]
    public async Task An_optional_gpu_dep_that_fails_exports_its_unavailable_flag_and_the_caller_runs_on_cpu()
    {
        var smi = Fx.AddTool("nvidia-smi", stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", exitCode: 9, folder: "x", onPath: false);

        var run = await Cm.RunAsync("app,gpu-optional", new Dictionary<string, string> { ["CM_NVIDIA_SMI_BIN_WITH_PATH"] = smi });

        var env = run.Root.Outcome.NewEnv;
        Assert.Equal("no", env["CM_CUDA_DEVICES_AVAILABLE"]);
        Assert.Equal("0", env["CM_CUDA_NUM_DEVICES"]);
        Assert.Equal("cpu", env["CM_APP_DEVICE"]);
        Assert.StartsWith("Script 'get-cuda-devices'", env["CM_APP_REASON"]);
        var warning = Assert.Single(Cm.Warnings);
        Assert.Contains("optional dep 'get-cuda-devices' of 'app-gpu-optional' is unavailable", warning);
        Assert.Contains("couldn't communicate with the NVIDIA driver", warning);
    }

    [Fact]
    public async Task An_optional_gpu_dep_that_works_passes_its_devices_on()
    {
        Fx.AddTool("nvidia-smi", stdout: "0, NVIDIA L4, 23034, 8.9, 535.183.01");

        var run = await Cm.RunAsync("app,gpu-optional", new Dictionary<string, string> { ["PATH"] = Fx.PathEnv + ":/usr/bin:/bin" });

        Assert.Equal("cuda", run.Root.Outcome.NewEnv["CM_APP_DEVICE"]);
        Assert.Equal("1", run.Root.Outcome.NewEnv["CM_CUDA_NUM_DEVICES"]);
        Assert.Empty(Cm.Warnings);
    }

    [Fact]
    public async Task A_required_gpu_dep_still_fails_the_run()
    {
        var smi = Fx.AddTool("nvidia-smi", stdout: "No devices were found", exitCode: 6, folder: "x", onPath: false);

        var e = await Assert.ThrowsAsync<DetectionException>(() =>
            Cm.RunAsync("app,device-choice", new Dictionary<string, string> { ["CM_NVIDIA_SMI_BIN_WITH_PATH"] = smi }, inputs: new Dictionary<string, string> { ["device"] = "cuda" }));

        Assert.Contains("No devices were found", e.Message);
    }

    [Fact]
    public void Skip_if_env_leaves_the_gpu_dep_out_of_the_plan_for_cpu()
    {
        var cpu = Cm.Resolve("app,device-choice");
        var cuda = Cm.Resolve("app,device-choice", inputs: new Dictionary<string, string> { ["device"] = "cuda" });

        Assert.DoesNotContain(cpu.Nodes, n => n.Script.Alias == "get-cuda-devices");
        Assert.Contains(cuda.Nodes, n => n.Script.Alias == "get-cuda-devices");
    }
}
