using System.Collections;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// The query handed to ISystemUnderTest.IssueQuery, built over the run's storage instead of a list per query.
/// Response ids are the sample's sequence number plus one, since 0 is reserved.
/// </summary>
internal abstract class SampleList : IReadOnlyList<QuerySample>
{
    public abstract int Count { get; }
    public abstract QuerySample this[int index] { get; }

    public IEnumerator<QuerySample> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A reusable buffer for closed-loop scenarios, where a query is done before the next one is built.</summary>
internal sealed class BufferSampleList(int length) : SampleList
{
    public int[] Indices { get; } = new int[length];
    public long FirstSequence { get; set; }
    public override int Count => Indices.Length;
    public override QuerySample this[int index] => new((ulong)(FirstSequence + index + 1), Indices[index]);
}

/// <summary>One Server query; allocated per query because many may be outstanding.</summary>
internal sealed class SingleSampleList(QuerySample sample) : SampleList
{
    public override int Count => 1;
    public override QuerySample this[int index] => index == 0 ? sample : throw new ArgumentOutOfRangeException(nameof(index));
}

/// <summary>The Offline query: either explicit indices or the loaded set repeated, computed on demand.</summary>
internal sealed class OfflineSampleList(long firstSequence, int count, int[]? explicitIndices, int[] loaded) : SampleList
{
    public override int Count => count;

    public override QuerySample this[int index] =>
        (uint)index < (uint)count
            ? new((ulong)(firstSequence + index + 1), explicitIndices is null ? loaded[index % loaded.Length] : explicitIndices[index])
            : throw new ArgumentOutOfRangeException(nameof(index));
}
