using System.Runtime.InteropServices;

namespace Automation.LoadGen.Timing;

/// <summary>Sub-millisecond sleeps through nanosleep(2), where Thread.Sleep only has milliseconds.</summary>
internal static class PreciseSleep
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int NanoSleep(ref TimeSpec request, nint remaining);

    private static bool _unavailable = !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD());

    /// <summary>Sleeps about <paramref name="ns"/>; false when this platform has no nanosleep (the caller then yields).</summary>
    public static bool TrySleep(long ns)
    {
        if (_unavailable) return false;
        try
        {
            var request = new TimeSpec { Seconds = (nint)(ns / 1_000_000_000), Nanoseconds = (nint)(ns % 1_000_000_000) };
            NanoSleep(ref request, 0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }
}
