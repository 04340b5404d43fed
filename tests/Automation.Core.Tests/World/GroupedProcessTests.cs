using System.Diagnostics;
using Automation.Core.World;
using Xunit;

namespace Automation.Core.Tests.World;

/// <summary>Requests with their own process group (SessionWrapper): what they pass through, and how the group ends.</summary>
public sealed class GroupedProcessTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("grouped-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private ProcessRequest Bash(string script, TimeSpan? timeout = null, string? busyFile = null) =>
        new("bash", ["-c", script], dir, new Dictionary<string, string> { ["GROUPED_TEST"] = "value" }, Timeout: timeout, OwnProcessGroup: true, BusyFile: busyFile);

    private static Task<ProcessResult> Run(ProcessRequest request, CancellationToken ct = default) => CliWrapProcessRunner.Instance.RunAsync(request, ct);

    /// <summary>Waits for a pid the script wrote into a file.</summary>
    private int PidFrom(string name)
    {
        var file = Path.Combine(dir, name);
        for (var i = 0; i < 500 && !(File.Exists(file) && File.ReadAllText(file).EndsWith('\n')); i++) Thread.Sleep(10);
        return int.Parse(File.ReadAllText(file).Trim());
    }

    private static bool Exists(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    [UnixSessionFact]
    public async Task Output_exit_code_env_and_folder_pass_through_and_stdin_is_empty()
    {
        var result = await Run(Bash("""echo "$GROUPED_TEST in $PWD"; echo oops >&2; read -r line; echo "read=$?"; exit 3"""));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"value in {dir}\nread=1\n", result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
    }

    [UnixSessionFact]
    public async Task The_command_leads_its_own_session_and_process_group()
    {
        var result = await Run(Bash("""read -r _ _ _ _ pgrp session _ < /proc/$$/stat; echo "$$ $pgrp $session" """));
        var ids = result.StandardOutput.Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
    }

    [UnixSessionFact]
    public async Task A_command_that_waits_for_any_child_is_not_kept_waiting_by_the_watcher()
    {
        // The command is exec'd in place of the wrapper, so it inherits the wrapper's children; the watcher is not one.
        var result = await Run(Bash("""exec perl -e 'print wait(), "\n"'""", TimeSpan.FromSeconds(20)));
        Assert.Equal((0, "-1\n"), (result.ExitCode, result.StandardOutput));
    }

    [UnixSessionFact]
    public async Task A_missing_command_is_exit_code_127_with_the_reason()
    {
        var result = await Run(new ProcessRequest("no-such-command-here", [], dir, OwnProcessGroup: true));
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("no-such-command-here", result.StandardError);
    }

    [UnixSessionFact]
    public async Task Cancelling_ends_the_whole_group_even_a_child_that_ignores_TERM()
    {
        using var cancel = new CancellationTokenSource();
        var run = Run(Bash("""( trap '' TERM; echo $BASHPID > stubborn; sleep 60 ) & ( echo $BASHPID > child; sleep 60 ) & sleep 60"""), cancel.Token);
        var (stubborn, child) = (PidFrom("stubborn"), PidFrom("child"));
        var started = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAsync<ProcessCancelledException>(() => run);
        Assert.NotNull(e.ProcessGroup);
        Assert.False(ProcessGroups.IsAlive(e.ProcessGroup.Value));
        Assert.False(Exists(stubborn));
        Assert.False(Exists(child));
        Assert.True(started.Elapsed < ProcessGroups.Grace + TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [UnixSessionFact]
    public async Task A_timeout_is_exit_code_124_and_ends_the_group()
    {
        var result = await Run(Bash("""( echo $BASHPID > child; sleep 60 ) & sleep 60""", TimeSpan.FromSeconds(1)));
        Assert.Equal(124, result.ExitCode);
        Assert.False(Exists(PidFrom("child")));
    }

    [UnixSessionFact]
    public async Task What_a_command_leaves_running_on_purpose_outlives_its_normal_end()
    {
        var result = await Run(Bash("""( echo $BASHPID > daemon; exec sleep 60 ) >/dev/null 2>&1 & exit 0"""));
        Assert.Equal(0, result.ExitCode);
        var daemon = PidFrom("daemon");
        Thread.Sleep(300); // the watcher has seen the lifeline close by now
        try
        {
            Assert.True(Exists(daemon));
        }
        finally
        {
            Process.GetProcessById(daemon).Kill();
        }
    }

    [UnixSessionFact]
    public async Task When_the_lifeline_closes_without_a_word_the_watcher_ends_the_group()
    {
        // What cm's death looks like to the wrapper: its stdin's write end closes, nothing else happens.
        var (file, arguments) = SessionWrapper.Wrap("bash", ["-c", """( echo $BASHPID > child; sleep 60 ) & echo $$ > leader; sleep 60"""]);
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, WorkingDirectory = dir };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var wrapper = Process.Start(info)!;
        var (leader, child) = (PidFrom("leader"), PidFrom("child"));
        Assert.Equal(wrapper.Id, leader);
        wrapper.StandardInput.Close();
        var gone = Stopwatch.StartNew();
        while (ProcessGroups.IsAlive(leader) && gone.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        Assert.False(ProcessGroups.IsAlive(leader));
        Assert.False(Exists(child));
        Assert.True(gone.Elapsed < TimeSpan.FromSeconds(3), $"took {gone.Elapsed}");
    }

    [UnixSessionFact]
    public async Task Every_process_of_the_command_holds_the_busy_file_until_it_ends()
    {
        var busy = Path.Combine(dir, SessionWrapper.BusyFileName);
        var result = await Run(Bash("""( echo $BASHPID > child; exec sleep 1 ) >/dev/null 2>&1 & exit 0""", busyFile: busy));
        Assert.Equal(0, result.ExitCode);
        PidFrom("child");
        Assert.Throws<IOException>(() => new FileStream(busy, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
        Thread.Sleep(1500); // the child has ended
        new FileStream(busy, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
    }
}

/// <summary>Needs util-linux's setsid and /proc (Linux); skipped elsewhere.</summary>
public sealed class UnixSessionFactAttribute : FactAttribute
{
    public UnixSessionFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !SessionWrapper.Available) Skip = "needs Linux with util-linux's setsid";
    }
}
