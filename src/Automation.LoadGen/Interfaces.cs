namespace Automation.LoadGen;

/// <summary>One sample of a query: an opaque response id (0 is reserved) and the QSL index of the sample.</summary>
public readonly record struct QuerySample(ulong Id, int Index);

/// <summary>A finished sample: the id it was issued with and the response bytes (logged as hex in accuracy mode).</summary>
public readonly record struct QuerySampleResponse(ulong Id, ReadOnlyMemory<byte> Data);

/// <summary>Receives completions. Thread-safe: a SUT may call it from any thread, at any time after IssueQuery.</summary>
public interface IQueryCompleter
{
    void QuerySamplesComplete(ReadOnlySpan<QuerySampleResponse> responses);
}

/// <summary>LoadGen's QuerySampleLibrary: the data set a SUT is measured on.</summary>
public interface IQuerySampleLibrary
{
    string Name { get; }
    int TotalSampleCount { get; }
    int PerformanceSampleCount { get; }
    void LoadSamplesToRam(IReadOnlyList<int> sampleIndices);
    void UnloadSamplesFromRam(IReadOnlyList<int> sampleIndices);
}

/// <summary>
/// LoadGen's SystemUnderTest. IssueQuery must return quickly; the SUT may keep <paramref name="samples"/>
/// until it has completed every sample in it through <paramref name="completer"/>.
/// </summary>
public interface ISystemUnderTest
{
    string Name { get; }
    void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer);
    /// <summary>Called once every query has been issued.</summary>
    void FlushQueries();
}
