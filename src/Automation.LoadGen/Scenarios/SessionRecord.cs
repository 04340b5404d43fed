namespace Automation.LoadGen.Scenarios;

/// <summary>What one pass of issuing queries measured (LoadGen's PerformanceResult), times in ns from the pass start.</summary>
internal sealed record SessionRecord(
    long[] SampleLatenciesNs,
    long[] QueryLatenciesNs,
    long QueriesIssued,
    long MaxLatencyNs,
    long FinalQueryScheduledNs,
    long FinalQueryIssuedNs,
    long FinalQueryDoneNs,
    long StartNs,
    long MaxCompletionNs,
    DateTimeOffset StartWallClock);
