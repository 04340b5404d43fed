using Automation.LoadGen.Timing;
using Xunit;

namespace Automation.LoadGen.Tests;

/// <summary>The real clock's waits: never early, whichever of sleep, nanosleep, yield and spin ends them.</summary>
public sealed class ClockTests
{
    [Theory]
    [InlineData(20_000)]      // spin only
    [InlineData(120_000)]     // yield, then spin
    [InlineData(900_000)]     // nanosleep, yield, spin
    [InlineData(4_000_000)]   // Thread.Sleep first
    public void WaitUntilNeverReturnsBeforeTheDeadline(long aheadNs)
    {
        var clock = StopwatchClock.Instance;
        for (var i = 0; i < 20; i++)
        {
            var deadline = clock.NowNs() + aheadNs;
            clock.WaitUntil(deadline);
            Assert.True(clock.NowNs() >= deadline);
        }
    }

    [Fact]
    public void NanosleepIsUsedOnUnix()
    {
        var before = StopwatchClock.Instance.NowNs();
        var slept = PreciseSleep.TrySleep(200_000);
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), slept);
        if (slept) Assert.True(StopwatchClock.Instance.NowNs() - before >= 200_000);
    }
}
