using Automation.LoadGen;

namespace Automation.Mlperf.Progress;

/// <summary>
/// Passes queries to the SUT unchanged and counts what LoadGen issued and what the SUT completed, for the progress
/// line of a long run. Counting is two interlocked adds per query: nothing LoadGen measures changes.
/// </summary>
public sealed class CountingSut(ISystemUnderTest inner) : ISystemUnderTest
{
    private long _queries;
    private long _samplesIssued;
    private long _samplesCompleted;
    private IQueryCompleter? _lastInner;
    private Completer? _lastWrapper;

    public string Name => inner.Name;
    public long QueriesIssued => Interlocked.Read(ref _queries);
    public long SamplesIssued => Interlocked.Read(ref _samplesIssued);
    public long SamplesCompleted => Interlocked.Read(ref _samplesCompleted);

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        Interlocked.Increment(ref _queries);
        Interlocked.Add(ref _samplesIssued, samples.Count);
        // LoadGen passes the same completer with every query: one wrapper for it, not one per query.
        var wrapper = _lastWrapper;
        if (wrapper is null || !ReferenceEquals(_lastInner, completer))
        {
            wrapper = new Completer(completer, this);
            (_lastInner, _lastWrapper) = (completer, wrapper);
        }
        inner.IssueQuery(samples, wrapper);
    }

    public void FlushQueries() => inner.FlushQueries();

    private sealed class Completer(IQueryCompleter inner, CountingSut owner) : IQueryCompleter
    {
        public void QuerySamplesComplete(ReadOnlySpan<QuerySampleResponse> responses)
        {
            inner.QuerySamplesComplete(responses);
            Interlocked.Add(ref owner._samplesCompleted, responses.Length);
        }
    }
}
