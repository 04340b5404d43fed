using Automation.Experiments.Backends.Slurm;
using Xunit;

namespace Automation.Experiments.Tests;

/// <summary>The parsers on output captured from Slurm 22.05 (squeue --json v0.0.38, scontrol -o) and the newer JSON shape.</summary>
public sealed class SlurmStateParserTests
{
    [Fact]
    public void Squeue_json_v0038_gives_tasks_wait_status_exit_codes_and_compressed_pending_tasks()
    {
        const string json = """
            {"meta": {"plugin": {"type": "openapi/v0.0.38"}}, "errors": [], "jobs": [
              {"job_id": 1, "array_job_id": 1, "array_task_id": null, "array_task_string": "2-4", "job_state": "PENDING", "exit_code": 0},
              {"job_id": 3, "array_job_id": 1, "array_task_id": 0, "job_state": "COMPLETED", "exit_code": 0},
              {"job_id": 4, "array_job_id": 1, "array_task_id": 1, "job_state": "FAILED", "exit_code": 768, "state_reason": "NonZeroExitCode"},
              {"job_id": 9, "array_job_id": 0, "array_task_id": null, "job_state": "CANCELLED", "exit_code": 15}
            ]}
            """;
        var s = SlurmStateParser.ParseSqueueJson(json);
        Assert.Equal(["1_0 COMPLETED 0", "1_1 FAILED 3", "9 CANCELLED 143"], s.Jobs.Select(j => $"{j.DisplayId} {j.State} {j.ExitCode}"));
        Assert.Equal([2, 3, 4], s.PendingArrayTasks[1].Order());
    }

    [Fact]
    public void Squeue_json_of_newer_slurm_with_state_lists_and_exit_code_objects()
    {
        const string json = """
            {"jobs": [{"job_id": {"set": true, "number": 7}, "array_job_id": {"set": true, "number": 0}, "array_task_id": {"set": false, "number": 0},
              "job_state": ["OUT_OF_MEMORY"], "exit_code": {"status": ["FAILED"], "return_code": {"set": true, "number": 137}}}]}
            """;
        var job = Assert.Single(SlurmStateParser.ParseSqueueJson(json).Jobs);
        Assert.Equal(("7", "FAILED", "OUT_OF_MEMORY", 137), (job.DisplayId, job.State, job.RawState, job.ExitCode));
    }

    [Fact]
    public void Scontrol_one_liners_and_task_lists()
    {
        const string text = """
            JobId=1 ArrayJobId=1 ArrayTaskId=2-3 JobName=wrap JobState=PENDING Reason=Resources ExitCode=0:0
            JobId=4 ArrayJobId=1 ArrayTaskId=1 JobName=wrap JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0
            JobId=5 JobName=collect JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15
            """;
        var s = SlurmStateParser.ParseScontrol(text);
        Assert.Equal(["1_1 FAILED 3", "5 TIMEOUT 0"], s.Jobs.Select(j => $"{j.DisplayId} {j.State} {j.ExitCode}"));
        Assert.Equal([2, 3], s.PendingArrayTasks[1].Order());
        Assert.Equal("0-2,5,7-8", SlurmStateParser.Compress([8, 0, 1, 2, 5, 7]));
        Assert.Equal([0, 1, 2, 5, 7, 8], SlurmStateParser.TaskIds("0-2,5,7-8%2"));
    }
}
