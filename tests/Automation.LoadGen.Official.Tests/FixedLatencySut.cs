using System.Diagnostics;

namespace Automation.LoadGen.Official.Tests;

/// <summary>
/// A small SUT with real per-sample latency: it busy-waits <paramref name="perSample"/> for each sample inside
/// IssueQuery and completes the sample with its QSL index as 4 bytes, so short runs meet LoadGen's minimum
/// duration and the accuracy log has data to show.
/// </summary>
public sealed class FixedLatencySut(TimeSpan perSample) : ISystemUnderTest
{
    private readonly long _ticks = (long)(perSample.TotalSeconds * Stopwatch.Frequency);
    private long _issued;

    public string Name => "FixedLatencySUT";
    public long IssuedSamples => Interlocked.Read(ref _issued);

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        Span<QuerySampleResponse> one = new QuerySampleResponse[1];
        for (var i = 0; i < samples.Count; i++)
        {
            var until = Stopwatch.GetTimestamp() + _ticks;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
            one[0] = new QuerySampleResponse(samples[i].Id, BitConverter.GetBytes(samples[i].Index));
            completer.QuerySamplesComplete(one);
        }
        Interlocked.Add(ref _issued, samples.Count);
    }

    public void FlushQueries()
    {
    }
}
