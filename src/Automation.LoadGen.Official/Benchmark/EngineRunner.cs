using System.Diagnostics;
using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Official.Benchmark;

/// <summary>Runs one engine once against the null SUT, in this process, and reports what it measured.</summary>
public static class EngineRunner
{
    public static EngineRunReport Run(ILoadGenEngine engine, TestSettings settings, string resultDirectory, int qslSize = 1024)
    {
        var startRss = PeakMemory.CurrentRssBytes();
        var sut = new IssueClockSut(new NullSut());
        var stopwatch = Stopwatch.StartNew();
        var result = engine.Run(sut, new InMemoryQsl(qslSize, qslSize), settings, new LogSettings { OutputDirectory = resultDirectory });
        stopwatch.Stop();
        return new EngineRunReport
        {
            Engine = engine.EngineName,
            Scenario = settings.Scenario,
            ServerTargetQps = settings.Scenario == TestScenario.Server ? settings.ServerTargetQps : null,
            IsValid = result.IsValid,
            InvalidReasons = result.InvalidReasons.Where(r => r.Length > 0).ToList(),
            Throughput = Throughput(result, sut),
            QueryCount = result.QueryCount,
            SampleCount = result.SampleCount,
            WallSeconds = stopwatch.Elapsed.TotalSeconds,
            PeakRssBytes = PeakMemory.PeakRssBytes(),
            StartRssBytes = startRss,
            ResultDirectory = result.ResultDirectory,
        };
    }

    private static double Throughput(LoadGenResult result, IssueClockSut sut) => result.Scenario switch
    {
        TestScenario.Offline => result.SamplesPerSecond ?? 0,
        TestScenario.Server => result.CompletedSamplesPerSecond ?? 0,
        TestScenario.SingleStream => result.QpsWithLoadgenOverhead ?? 0,
        // Neither LoadGen reports a MultiStream rate; the SUT's own clock measures both engines alike.
        _ => sut.QueriesPerSecond,
    };
}

/// <summary>Wraps a SUT and timestamps the first and the last IssueQuery.</summary>
internal sealed class IssueClockSut(ISystemUnderTest inner) : ISystemUnderTest
{
    private long _first;
    private long _last;
    private long _queries;

    public string Name => inner.Name;

    public double QueriesPerSecond
    {
        get
        {
            var seconds = (double)(_last - _first) / Stopwatch.Frequency;
            return _queries > 1 && seconds > 0 ? (_queries - 1) / seconds : 0;
        }
    }

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        var now = Stopwatch.GetTimestamp();
        if (Interlocked.Increment(ref _queries) == 1) _first = now;
        _last = now;
        inner.IssueQuery(samples, completer);
    }

    public void FlushQueries() => inner.FlushQueries();
}

/// <summary>This process's resident memory: Linux's VmRSS/VmHWM, elsewhere the runtime's working-set figures.</summary>
public static class PeakMemory
{
    public static long PeakRssBytes() => ReadStatus("VmHWM:") ?? CurrentProcess(p => p.PeakWorkingSet64);

    public static long CurrentRssBytes() => ReadStatus("VmRSS:") ?? CurrentProcess(p => p.WorkingSet64);

    private static long CurrentProcess(Func<Process, long> read)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return read(process);
    }

    private static long? ReadStatus(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var parts = line[field.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], out var kib) ? kib * 1024 : null;
        }
        return null;
    }
}
