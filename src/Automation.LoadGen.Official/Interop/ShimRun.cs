using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Automation.LoadGen.Official.Interop;

/// <summary>
/// One StartTest call: the SUT and QSL LoadGen calls back into (through a GCHandle passed as the callbacks' context),
/// and the completer the SUT reports to. Callbacks never let an exception reach native code: the first one is kept
/// and rethrown by <see cref="OfficialLoadGen"/> when the test ends.
/// </summary>
internal sealed unsafe class ShimRun(ShimLibrary library, ISystemUnderTest sut, IQuerySampleLibrary qsl) : IQueryCompleter
{
    private const int StackResponses = 256;
    private Exception? _failure;

    public Exception? Failure => _failure;

    public static ShimCallbacks Callbacks(nint context) => new()
    {
        Context = context,
        IssueQuery = &IssueQuery,
        FlushQueries = &FlushQueries,
        LoadSamples = &LoadSamples,
        UnloadSamples = &UnloadSamples,
    };

    public void QuerySamplesComplete(ReadOnlySpan<QuerySampleResponse> responses)
    {
        if (responses.Length <= StackResponses)
        {
            Span<ShimResponse> buffer = stackalloc ShimResponse[responses.Length];
            Complete(responses, buffer);
            return;
        }
        var rented = ArrayPool<ShimResponse>.Shared.Rent(responses.Length);
        try
        {
            Complete(responses, rented.AsSpan(0, responses.Length));
        }
        finally
        {
            ArrayPool<ShimResponse>.Shared.Return(rented);
        }
    }

    /// <summary>One native call per managed call, so LoadGen stamps the whole batch with one completion time.</summary>
    private void Complete(ReadOnlySpan<QuerySampleResponse> responses, Span<ShimResponse> buffer)
    {
        var withData = 0;
        for (var i = 0; i < responses.Length; i++)
        {
            buffer[i] = new ShimResponse { Id = (nuint)responses[i].Id };
            if (!responses[i].Data.IsEmpty) withData++;
        }
        if (withData == 0)
        {
            fixed (ShimResponse* p = buffer) library.QuerySamplesComplete(p, (nuint)buffer.Length);
            return;
        }
        // Response bytes stay pinned for the call: LoadGen copies the ones it logs before returning.
        var pins = new MemoryHandle[withData];
        try
        {
            for (int i = 0, pin = 0; i < responses.Length; i++)
            {
                var data = responses[i].Data;
                if (data.IsEmpty) continue;
                pins[pin] = data.Pin();
                buffer[i].Data = (nuint)pins[pin++].Pointer;
                buffer[i].Size = (nuint)data.Length;
            }
            fixed (ShimResponse* p = buffer) library.QuerySamplesComplete(p, (nuint)buffer.Length);
        }
        finally
        {
            foreach (var pin in pins) pin.Dispose();
        }
    }

    private void Fail(Exception e) => Interlocked.CompareExchange(ref _failure, e, null);

    private static ShimRun From(nint context) => (ShimRun)GCHandle.FromIntPtr(context).Target!;

    [UnmanagedCallersOnly]
    private static void IssueQuery(nint context, ShimQuerySample* samples, nuint count)
    {
        var run = From(context);
        try
        {
            run.Sut.IssueQuery(new NativeSampleList(samples, checked((int)count)), run);
        }
        catch (Exception e)
        {
            run.Fail(e);
            // Complete the query empty so that LoadGen, which waits for every sample, can end the test.
            var empty = new ShimResponse[(int)count];
            for (var i = 0; i < empty.Length; i++) empty[i].Id = samples[i].Id;
            fixed (ShimResponse* p = empty) run.Library.QuerySamplesComplete(p, count);
        }
    }

    [UnmanagedCallersOnly]
    private static void FlushQueries(nint context) => Guarded(context, run => run.Sut.FlushQueries());

    [UnmanagedCallersOnly]
    private static void LoadSamples(nint context, nuint* indices, nuint count)
    {
        var list = ToIndices(indices, count);
        Guarded(context, run => run.Qsl.LoadSamplesToRam(list));
    }

    [UnmanagedCallersOnly]
    private static void UnloadSamples(nint context, nuint* indices, nuint count)
    {
        var list = ToIndices(indices, count);
        Guarded(context, run => run.Qsl.UnloadSamplesFromRam(list));
    }

    private static void Guarded(nint context, Action<ShimRun> call)
    {
        var run = From(context);
        try
        {
            call(run);
        }
        catch (Exception e)
        {
            run.Fail(e);
        }
    }

    /// <summary>Never throws (it runs outside the guard): LoadGen's indices are below the QSL's int-sized counts.</summary>
    private static int[] ToIndices(nuint* indices, nuint count)
    {
        var result = new int[(int)count];
        for (var i = 0; i < result.Length; i++) result[i] = (int)indices[i];
        return result;
    }

    private ShimLibrary Library => library;
    private ISystemUnderTest Sut => sut;
    private IQuerySampleLibrary Qsl => qsl;
}

/// <summary>
/// A query's samples read straight from LoadGen's memory, without a copy. LoadGen keeps a query's sample vector
/// until the pass ends, which is after every sample has completed, so a SUT may hold this list as long as the
/// <see cref="ISystemUnderTest"/> contract allows.
/// </summary>
internal sealed unsafe class NativeSampleList(ShimQuerySample* samples, int count) : IReadOnlyList<QuerySample>
{
    public int Count => count;

    public QuerySample this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index));
            var s = samples[index];
            return new QuerySample(s.Id, (int)s.Index);
        }
    }

    public IEnumerator<QuerySample> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
