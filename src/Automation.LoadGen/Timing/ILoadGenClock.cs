using System.Diagnostics;

namespace Automation.LoadGen.Timing;

/// <summary>LoadGen's PerfClock: a monotonic nanosecond clock, and a way to wait for a point on it.</summary>
public interface ILoadGenClock
{
    /// <summary>Nanoseconds since an arbitrary, fixed origin.</summary>
    long NowNs();

    /// <summary>Returns at or after <paramref name="deadlineNs"/> (Server scenario's sleep_until).</summary>
    void WaitUntil(long deadlineNs);
}

/// <summary>
/// Stopwatch-backed clock. WaitUntil sleeps while the deadline is far, yields while it is near, and spins for the
/// last tens of microseconds, because Thread.Sleep alone overshoots by up to a scheduler tick and that overshoot
/// would count as Server latency.
/// </summary>
public sealed class StopwatchClock : ILoadGenClock
{
    private const long SleepMarginNs = 2_000_000;
    private const long SpinWindowNs = 50_000;
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    public static StopwatchClock Instance { get; } = new();

    public long NowNs() => Stopwatch.Frequency == 1_000_000_000
        ? Stopwatch.GetTimestamp()
        : (long)(Stopwatch.GetTimestamp() * NsPerTick);

    public void WaitUntil(long deadlineNs)
    {
        long remaining;
        while ((remaining = deadlineNs - NowNs()) > SleepMarginNs)
        {
            Thread.Sleep(TimeSpan.FromTicks((remaining - SleepMarginNs / 2) / 100));
        }
        while ((remaining = deadlineNs - NowNs()) > SpinWindowNs)
        {
            Thread.Yield();
        }
        while (NowNs() < deadlineNs)
        {
            Thread.SpinWait(8);
        }
    }
}

/// <summary>
/// A clock that only moves when told to, for deterministic tests: WaitUntil jumps to the deadline, and a fake SUT
/// calls <see cref="Advance"/> to model processing time.
/// </summary>
public sealed class ManualClock(long startNs = 0) : ILoadGenClock
{
    private long _now = startNs;

    public long NowNs() => Interlocked.Read(ref _now);

    public void Advance(long ns) => Interlocked.Add(ref _now, ns);

    public void WaitUntil(long deadlineNs)
    {
        long current;
        while ((current = Interlocked.Read(ref _now)) < deadlineNs)
        {
            Interlocked.CompareExchange(ref _now, deadlineNs, current);
        }
    }
}
