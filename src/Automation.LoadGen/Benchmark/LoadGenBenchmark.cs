using System.Diagnostics;
using Automation.LoadGen.Results;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Benchmark;

/// <summary>What one benchmark run of an engine against the null SUT measured.</summary>
public sealed record BenchmarkReport(
    string EngineName,
    TestScenario Scenario,
    bool IsValid,
    IReadOnlyList<string> InvalidReasons,
    /// <summary>The scenario's throughput figure: samples/s (Offline), completed samples/s (Server), QPS with overhead (SingleStream), queries/s (MultiStream).</summary>
    double Throughput,
    long QueryCount,
    long SampleCount,
    double WallSeconds,
    long PeakWorkingSetBytes,
    long ManagedHeapBytesAfter,
    long AllocatedBytes,
    LoadGenResult Result)
{
    public double PeakWorkingSetMiB => PeakWorkingSetBytes / (1024.0 * 1024.0);
}

/// <summary>Runs a LoadGen engine against <see cref="NullSut"/> to measure the engine itself.</summary>
public static class LoadGenBenchmark
{
    /// <param name="settings">Scenario and sizing; trace logging stays off unless <paramref name="log"/> turns it on.</param>
    /// <param name="qslSize">Samples in the null QSL (also its performance sample count).</param>
    public static BenchmarkReport Run(TestSettings settings, ILoadGenEngine? engine = null, LogSettings? log = null, int qslSize = 1024)
    {
        engine ??= new NativeLoadGen();
        log ??= new LogSettings { OutputDirectory = Path.Combine(Path.GetTempPath(), $"loadgen-bench-{Guid.NewGuid():N}") };
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var stopwatch = Stopwatch.StartNew();
        var result = engine.Run(new NullSut(), new InMemoryQsl(qslSize, qslSize), settings, log);
        stopwatch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new BenchmarkReport(
            engine.EngineName,
            settings.Scenario,
            result.IsValid,
            result.InvalidReasons,
            Throughput(result),
            result.QueryCount,
            result.SampleCount,
            stopwatch.Elapsed.TotalSeconds,
            process.PeakWorkingSet64,
            GC.GetTotalMemory(false),
            GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            result);
    }

    private static double Throughput(LoadGenResult result) => result.Scenario switch
    {
        TestScenario.Offline => result.SamplesPerSecond ?? 0,
        TestScenario.Server => result.CompletedSamplesPerSecond ?? 0,
        TestScenario.SingleStream => result.QpsWithLoadgenOverhead ?? 0,
        _ => result.Performance is { } p ? (p.QueryCount - 1) / p.FinalQueryIssuedSeconds : 0,
    };
}
