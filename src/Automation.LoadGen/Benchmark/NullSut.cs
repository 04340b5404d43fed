namespace Automation.LoadGen.Benchmark;

/// <summary>
/// A SUT that does no work: it completes every sample inside IssueQuery, with empty responses, in batches so a big
/// Offline query does not need one call per sample. What it measures is LoadGen's own overhead.
/// </summary>
public sealed class NullSut(string name = "NullSUT") : ISystemUnderTest
{
    private const int BatchSize = 1024;

    [ThreadStatic]
    private static QuerySampleResponse[]? _batch;

    public string Name => name;

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        var batch = _batch ??= new QuerySampleResponse[BatchSize];
        var count = samples.Count;
        for (var offset = 0; offset < count; offset += BatchSize)
        {
            var length = Math.Min(BatchSize, count - offset);
            for (var i = 0; i < length; i++) batch[i] = new QuerySampleResponse(samples[offset + i].Id, ReadOnlyMemory<byte>.Empty);
            completer.QuerySamplesComplete(batch.AsSpan(0, length));
        }
    }

    public void FlushQueries()
    {
    }
}

/// <summary>A QSL with nothing to load: it only reports its sizes and remembers what LoadGen asked it to load.</summary>
public sealed class InMemoryQsl(int totalSampleCount, int performanceSampleCount, string name = "InMemoryQSL") : IQuerySampleLibrary
{
    private readonly HashSet<int> _loaded = [];

    public string Name => name;
    public int TotalSampleCount => totalSampleCount;
    public int PerformanceSampleCount => performanceSampleCount;
    public IReadOnlyCollection<int> Loaded => _loaded;
    public int LoadCalls { get; private set; }

    public void LoadSamplesToRam(IReadOnlyList<int> sampleIndices)
    {
        LoadCalls++;
        foreach (var i in sampleIndices) _loaded.Add(i);
    }

    public void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices)
    {
        foreach (var i in sampleIndices) _loaded.Remove(i);
    }
}
