using Automation.Core.World;
using Xunit;

namespace Automation.Experiments.Tests;

/// <summary>`cm docker script` end to end through the CLI: the Dockerfile's content, its determinism, and --build without docker.</summary>
public sealed class DockerTests
{
    private static Task<ProcessResult> Cm(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        CliWrapProcessRunner.Instance.RunAsync(new ProcessRequest(TestEnvironment.Cm.FileName, TestEnvironment.Cm.Arguments(args), TestEnvironment.RepoRoot, env));

    [Fact]
    public async Task Dockerfile_installs_the_plans_packages_runs_the_same_command_and_is_deterministic()
    {
        var a = TestEnvironment.TempDir("docker-a");
        var b = TestEnvironment.TempDir("docker-b");
        var first = await Cm(null, "docker", "script", "--tags=app,hello,platform", "--results_dir=/workspace/out", "--output=" + a);
        Assert.True(first.ExitCode == 0, first.CombinedOutput);
        var second = await Cm(null, "docker", "script", "--tags=app,hello,platform", "--results_dir=/workspace/out", "--output=" + b);
        Assert.Equal(0, second.ExitCode);

        var dockerfile = await File.ReadAllTextAsync(Path.Combine(a, "Dockerfile"));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(a, "Dockerfile")), await File.ReadAllBytesAsync(Path.Combine(b, "Dockerfile")));
        // get-python3 → python3, detect-cpu → util-linux, detect-os → lsb-release; sorted.
        Assert.Contains("apt-get install -y --no-install-recommends lsb-release python3 util-linux \\", dockerfile);
        Assert.Contains("""CMD ["cm", "run", "script", "--tags=app,hello,platform", "--results_dir=/workspace/out"]""", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile);
        Assert.Contains("cache", await File.ReadAllTextAsync(Path.Combine(a, "Dockerfile.dockerignore")));
        Assert.Contains("docker build -t cm-app-hello-platform -f " + Path.Combine(a, "Dockerfile"), first.StandardOutput);
    }

    [Fact]
    public async Task Sys_util_variations_map_to_their_apt_package()
    {
        var dir = TestEnvironment.TempDir("docker-util");
        var run = await Cm(null, "docker", "script", "--tags=get,generic-sys-util,_cmake", "--output=" + dir);
        Assert.True(run.ExitCode == 0, run.CombinedOutput);
        Assert.Contains(" cmake ", await File.ReadAllTextAsync(Path.Combine(dir, "Dockerfile")));
    }

    [Fact]
    public async Task Build_without_docker_says_docker_is_missing()
    {
        var dir = TestEnvironment.TempDir("docker-build");
        var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath)!;
        var run = await Cm(new Dictionary<string, string> { ["PATH"] = dotnetDir + ":/nonexistent" }, "docker", "script", "--tags=app,hello,platform", "--output=" + dir, "--build");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("`docker` is not installed (not found on PATH)", run.StandardError);
        Assert.True(File.Exists(Path.Combine(dir, "Dockerfile")), "the Dockerfile is still written");
    }

    [Theory]
    [InlineData("plain value", "plain value")]
    [InlineData("a\nRUN touch /x", "a\\nRUN touch /x")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\tstays", "tab\tstays")]
    [InlineData("bell\u0007 and \u2028", "bell\\x07 and \\x2028")]
    [InlineData("ends with \\", "ends with \\\\")]
    public void Every_dockerfile_value_stays_on_its_line(string value, string expected)
    {
        var line = Automation.Experiments.Containers.DockerfileGenerator.Line(value);

        Assert.Equal(expected, line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
    }
}
