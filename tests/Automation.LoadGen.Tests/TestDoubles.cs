using Automation.LoadGen.Timing;

namespace Automation.LoadGen.Tests;

/// <summary>A SUT that models a fixed service time on a <see cref="ManualClock"/> and completes inline.</summary>
internal sealed class TimedSut(ManualClock clock, long serviceNs, Func<QuerySample, byte[]>? respond = null) : ISystemUnderTest
{
    public List<QuerySample[]> Queries { get; } = [];
    public List<long> IssueTimes { get; } = [];
    public int Flushes { get; private set; }
    public string Name => "TimedSUT";

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        IssueTimes.Add(clock.NowNs());
        Queries.Add(samples.ToArray());
        clock.Advance(serviceNs);
        var responses = samples.Select(s => new QuerySampleResponse(s.Id, respond?.Invoke(s) ?? [])).ToArray();
        completer.QuerySamplesComplete(responses);
    }

    public void FlushQueries() => Flushes++;
}

/// <summary>A SUT that completes each query on the thread pool after a real delay, as an asynchronous SUT would.</summary>
internal sealed class ThreadPoolSut : ISystemUnderTest
{
    public string Name => "ThreadPoolSUT";
    public int Issued;

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        Interlocked.Increment(ref Issued);
        var ids = samples.Select(s => new QuerySampleResponse(s.Id, new byte[] { (byte)s.Index })).ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(_ => completer.QuerySamplesComplete(ids), null);
    }

    public void FlushQueries()
    {
    }
}

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("loadgen-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
