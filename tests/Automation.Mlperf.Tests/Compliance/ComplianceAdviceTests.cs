using Automation.Mlperf.Compliance;
using Xunit;

namespace Automation.Mlperf.Tests.Compliance;

public sealed class ComplianceAdviceTests
{
    private static ComplianceVerdict Verdict(ComplianceTest test, bool? accuracy, bool performance) => new(test, accuracy, performance, "/r/TEST", "");

    [Fact]
    public void A_failed_speed_comparison_names_how_to_run_the_tests_again_alone()
    {
        var text = ComplianceAdvice.For([Verdict(ComplianceTest.Test04, null, false)], "/r/host/m/Offline", "/r", maxReruns: 2);

        Assert.StartsWith("compliance: TEST04 FAIL (performance FAIL) for /r/host/m/Offline; a closed-division submission needs every test to pass", text);
        Assert.Contains("_compliance in place of _submission (--results_dir=/r)", text);
        Assert.Contains("--max_reruns=N (this run had 2)", text);
    }

    [Fact]
    public void A_failed_accuracy_check_is_not_blamed_on_a_drifting_machine()
    {
        var text = ComplianceAdvice.For([Verdict(ComplianceTest.Test01, false, true), Verdict(ComplianceTest.Test04, null, false)], "/s", "/r", 2);

        Assert.Contains("TEST01 FAIL (accuracy FAIL, performance pass), TEST04 FAIL (performance FAIL) for /s", text);
        Assert.DoesNotContain("drifts", text);
    }
}
