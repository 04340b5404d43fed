namespace Automation.Core.World;

/// <summary>
/// Starts a command as the leader of a new session and process group (util-linux <c>setsid</c>, which execs in
/// place: our child is never a group leader, so the pid we get is the group id), under a small fixed bash script
/// that ends the group when cm can no longer do it itself:
/// <list type="bullet">
/// <item>cm holds the write end of the wrapper's stdin (the lifeline) and never writes to it. When cm dies in any
/// way, kill -9 included, the kernel closes it; a watcher in the group reads EOF and ends the group: TERM, up to
/// 2 s for the command to exit (a zombie has exited: a container's init may be slow to reap it), then KILL. When cm ends the lifeline after the command exited, the watcher just
/// leaves, so what a step starts in the background on purpose outlives it, as under CM.</item>
/// <item>With a busy file, every process of the command holds a shared flock on it (an inherited fd 9). Whoever
/// wants to reuse the folder takes it exclusively first, so it waits until the last process of a dead run is gone
/// (<see cref="BusyFileName"/>).</item>
/// </list>
/// The watcher is forked twice, so it is nobody's child in the step: a command that waits for all its children
/// (wait(-1) after an exec) does not wait for it.
/// The command gets /dev/null as stdin, as before (it had an empty pipe). The script is a constant and the command
/// and its arguments are passed as data ("$@"), never spliced into a shell line.
/// </summary>
public static class SessionWrapper
{
    /// <summary>The busy file a step's processes hold in its work folder while they live.</summary>
    public const string BusyFileName = ".cm-busy";

    private const string Script = """
        busy=$1; shift
        if [ -n "$busy" ] && [ -d "${busy%/*}" ] && command -v flock >/dev/null 2>&1; then exec 9>>"$busy" && flock -s -w 10 9; fi
        exec 3<&0 0</dev/null
        leader=$$
        ( (
          trap '' TERM INT HUP
          exec 9>&- >/dev/null 2>&1
          running() {
            kill -0 "$leader" 2>/dev/null || return 1
            read -r s 2>/dev/null < "/proc/$leader/stat" || return 0
            s=${s##*) }; [ "${s%% *}" != Z ]
          }
          while read -r -u 3 _; do :; done
          running || exit 0
          kill -TERM 0
          i=0
          while running && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i+1)); done
          kill -KILL 0
        ) & )
        exec 3<&- "$@"
        """;

    private static readonly Lazy<string?> Setsid = new(() =>
        OperatingSystem.IsWindows() ? null : Executables.FindOnPath("setsid", Environment.GetEnvironmentVariable("PATH")) ?? Existing("/usr/bin/setsid", "/bin/setsid"));

    /// <summary>False on Windows and where util-linux's setsid is missing: commands then run as before, in cm's group.</summary>
    public static bool Available => Setsid.Value is not null;

    /// <summary>util-linux's setsid, or null (<see cref="Available"/>).</summary>
    public static string? SetsidPath => Setsid.Value;

    /// <summary>The program and arguments that run <paramref name="fileName"/> with <paramref name="arguments"/> in their own session.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Wrap(string fileName, IEnumerable<string> arguments, string? busyFile = null) =>
        (Setsid.Value ?? throw new PlatformNotSupportedException("setsid is not available"),
            ["bash", "-c", Script, "cm-step", busyFile ?? "", fileName, .. arguments]);

    private static string? Existing(params string[] paths) => paths.FirstOrDefault(File.Exists);
}
