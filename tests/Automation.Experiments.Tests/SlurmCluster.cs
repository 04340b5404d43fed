using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Automation.Experiments.Tests;

/// <summary>A [Fact] that is skipped, with the reason, where a real Slurm cannot be started (see <see cref="SlurmCluster.Unavailable"/>).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Unavailable is { } why) Skip = why;
    }
}

/// <summary>
/// A real single-node Slurm (Debian's slurm-wlm and munge; recipe in shared/reference/slurm-single-node.md), private
/// to this test run: its own munge socket and key, slurm.conf (SLURM_CONF), free loopback ports, state and spool in a
/// temp folder, so it neither needs nor disturbs a system Slurm. Daemons run in the foreground and are stopped by PID.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly List<(string Name, Process Process)> daemons = [];

    public string Root { get; }
    public string Conf { get; }

    /// <summary>Why this machine cannot host the test cluster, or null when it can.</summary>
    public static string? Unavailable { get; } = CheckAvailable();

    private static string? CheckAvailable()
    {
        if (!OperatingSystem.IsLinux()) return "Slurm tests need Linux";
        foreach (var daemon in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged" })
            if (!File.Exists(daemon)) return $"{daemon} is not installed; install Debian's slurm-wlm and munge (./run-tests does so when run as root) to run the real Slurm tests";
        if (!Environment.IsPrivilegedProcess) return "the real Slurm tests start slurmd, which needs root; run the tests as root";
        return null;
    }

    public SlurmCluster()
    {
        Root = Path.Combine(Path.GetTempPath(), $"cm-slurm-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30]);
        Conf = Path.Combine(Root, "slurm.conf");
        if (Unavailable is not null || OperatingSystem.IsWindows()) return; // every test is skipped; start nothing
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void Start()
    {
        foreach (var d in new[] { "munge", "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Root, d));
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        var munge = Path.Combine(Root, "munge");
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(munge, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(munge, "munge.socket");

        var node = Run("hostname", "-s").Trim();
        if (node.Length == 0) node = Environment.MachineName;
        var (ctldPort, slurmdPort) = (FreePort(), FreePort());
        File.WriteAllText(Conf, $"""
            ClusterName=cmtest
            SlurmctldHost={node}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            MpiDefault=none
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/filetxt
            JobCompLoc={Root}/log/jobcomp.log
            SwitchType=switch/none
            ReturnToService=2
            SlurmctldPidFile={Root}/slurmctld.pid
            SlurmdPidFile={Root}/slurmd.pid
            SlurmctldPort={ctldPort}
            SlurmdPort={slurmdPort}
            StateSaveLocation={Root}/state
            SlurmdSpoolDir={Root}/spool
            SlurmctldLogFile={Root}/log/slurmctld.log
            SlurmdLogFile={Root}/log/slurmd.log
            SchedulerType=sched/backfill
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            MinJobAge=600
            NodeName={node} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} RealMemory=512 State=UNKNOWN
            PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """);
        // sbatch/squeue in this process and in the jobs it submits find the private cluster through SLURM_CONF.
        Environment.SetEnvironmentVariable("SLURM_CONF", Conf);

        StartDaemon("munged", "/usr/sbin/munged", ["-F", "--force", "--socket=" + socket, "--key-file=" + key, "--pid-file=" + Path.Combine(munge, "munged.pid"),
            "--log-file=" + Path.Combine(Root, "log", "munged.log"), "--seed-file=" + Path.Combine(munge, "seed")]);
        WaitFor("munged", () => RunCode("munge", "-n", "--socket=" + socket) == 0, 20, 200);
        StartDaemon("slurmctld", "/usr/sbin/slurmctld", ["-D", "-f", Conf]);
        WaitFor("slurmctld", () => Run("scontrol", "ping").Contains("UP", StringComparison.Ordinal), 40, 300);
        StartDaemon("slurmd", "/usr/sbin/slurmd", ["-D", "-f", Conf]);
        WaitFor("slurmd (node idle)", () => Run("sinfo", "-h", "-o", "%t").Trim().StartsWith("idle", StringComparison.Ordinal), 40, 500);
    }

    private void StartDaemon(string name, string path, string[] args)
    {
        // exec keeps the shell's PID, so Process.Id is the daemon's own (foreground mode) and stopping by PID is exact.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", $"exec \"$0\" \"$@\" > '{Root}/log/{name}.fg.log' 2>&1", path }.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = Conf;
        daemons.Add((name, Process.Start(info) ?? throw new InvalidOperationException($"cannot start {name}")));
    }

    private void WaitFor(string what, Func<bool> ready, int tries, int delayMs)
    {
        for (var i = 0; i < tries; i++)
        {
            if (daemons.FirstOrDefault(d => d.Process.HasExited) is { Process: not null } dead)
                throw new InvalidOperationException($"{dead.Name} exited with {dead.Process.ExitCode} while waiting for {what}: {Tail(dead.Name)}");
            if (ready()) return;
            Thread.Sleep(delayMs);
        }
        throw new TimeoutException($"{what} was not ready after {tries * delayMs / 1000.0:0.#} s; logs in {Root}/log: {Tail(daemons[^1].Name)}");
    }

    private string Tail(string name)
    {
        var log = Path.Combine(Root, "log", name + ".fg.log");
        return File.Exists(log) ? string.Join(" | ", File.ReadAllLines(log).TakeLast(5)) : "(no log)";
    }

    public static string Run(string file, params string[] args)
    {
        var (_, output) = RunProcess(file, args);
        return output;
    }

    private static int RunCode(string file, params string[] args) => RunProcess(file, args).Code;

    private static (int Code, string Output) RunProcess(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000)) { p.Kill(true); return (124, ""); }
        return (p.ExitCode, output.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // Reverse order of start, each by its own PID, with a bounded wait.
        foreach (var (_, process) in Enumerable.Reverse(daemons))
        {
            try
            {
                if (!process.HasExited)
                {
                    Run("kill", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)); // SIGTERM: a clean shutdown
                    if (!process.WaitForExit(10_000)) process.Kill();
                    process.WaitForExit(5_000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            process.Dispose();
        }
        daemons.Clear();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a job's output still being written; the temp folder is harmless
        }
    }
}
