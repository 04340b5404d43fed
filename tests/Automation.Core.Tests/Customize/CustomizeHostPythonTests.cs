using Xunit;

namespace Automation.Core.Tests.Customize;

/// <summary>The customize.py host's own tests (Python unittest): protocol, automation API, utils.</summary>
public sealed class CustomizeHostPythonTests
{
    [WithPython3Fact]
    public async Task The_hosts_python_unit_tests_pass()
    {
        var result = await Python3.RunAsync("-m", "unittest", "discover", "-s", ".", "-p", "test_*.py", "-v");

        Assert.True(result.ExitCode == 0, $"python3 -m unittest failed (exit {result.ExitCode}):\n{result.CombinedOutput}");
        Assert.Matches(@"Ran [1-9][0-9]* tests", result.StandardError);
    }
}
