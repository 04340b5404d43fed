using System.Collections.Concurrent;
using Automation.LoadGen;

namespace Automation.Mlperf.Tests.Support;

/// <summary>A fake LoadGen completer: records every response (copying its bytes) from any thread.</summary>
public sealed class RecordingCompleter : IQueryCompleter
{
    private readonly ConcurrentQueue<(ulong Id, byte[] Data)> _responses = new();
    private int _count;

    public IReadOnlyList<(ulong Id, byte[] Data)> Responses => [.. _responses];
    public int CallCount;

    public void QuerySamplesComplete(ReadOnlySpan<QuerySampleResponse> responses)
    {
        Interlocked.Increment(ref CallCount);
        foreach (var r in responses) _responses.Enqueue((r.Id, r.Data.ToArray()));
        Interlocked.Add(ref _count, responses.Length);
    }

    public void WaitFor(int count, int timeoutMs = 30_000)
    {
        if (!SpinWait.SpinUntil(() => Volatile.Read(ref _count) >= count, timeoutMs))
            throw new TimeoutException($"Only {Volatile.Read(ref _count)} of {count} samples completed.");
    }
}
