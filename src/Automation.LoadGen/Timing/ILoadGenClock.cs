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
/// Stopwatch-backed clock. WaitUntil sleeps while the deadline is far, sleeps with nanosleep(2) while it is a
/// fraction of a millisecond away (Unix), yields while it is near, and spins for the last tens of microseconds:
/// Thread.Sleep alone overshoots by up to a scheduler tick, which would count as Server latency, and yielding through
/// the last two milliseconds of every gap kept a core busy at a few hundred queries per second.
/// </summary>
public sealed class StopwatchClock : ILoadGenClock
{
    private const long SleepMarginNs = 2_000_000;
    private const long SpinWindowNs = 50_000;
    // nanosleep wakes up ~50-80 µs late (the default timer slack is 50 µs), so it stops this far before the deadline.
    private const long PreciseSleepMarginNs = 150_000;
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
        while ((remaining = deadlineNs - NowNs()) > PreciseSleepMarginNs && PreciseSleep.TrySleep(remaining - PreciseSleepMarginNs))
        {
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
