using Automation.Core.Execution;

namespace Automation.Cli.Hosting;

/// <summary>The built-in actions scripts may name in their meta.</summary>
public static class BuiltinActions
{
    public static IEnumerable<IBuiltinAction> All(Engine engine) =>
    [
        new Automation.Mlperf.Submission.GenerateSubmissionAction(),
        new Automation.Mlperf.Submission.CheckSubmissionAction(),
    ];
}
