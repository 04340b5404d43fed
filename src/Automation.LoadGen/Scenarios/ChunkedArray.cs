namespace Automation.LoadGen.Scenarios;

/// <summary>
/// A growable array in fixed-size chunks. The issuing thread grows it before it issues the samples that will use
/// the new slots; completion threads then write those slots without locks. Growing never moves existing chunks, so a
/// completer holding an older chunk table still writes to the live chunk.
/// </summary>
internal sealed class ChunkedArray<T> where T : struct
{
    private const int Shift = 16;
    private const int ChunkLength = 1 << Shift;
    private const int Mask = ChunkLength - 1;

    private T[][] _chunks = [];
    private long _capacity;

    public void EnsureCapacity(long count)
    {
        if (count <= _capacity) return;
        var needed = (int)((count + ChunkLength - 1) >> Shift);
        var chunks = _chunks;
        if (needed > chunks.Length)
        {
            var grown = new T[Math.Max(needed, chunks.Length * 2)][];
            Array.Copy(chunks, grown, chunks.Length);
            chunks = grown;
        }
        for (var i = (int)(_capacity >> Shift); i < needed; i++) chunks[i] ??= GC.AllocateUninitializedArray<T>(ChunkLength);
        Volatile.Write(ref _chunks, chunks);
        _capacity = (long)needed << Shift;
    }

    public ref T this[long index] => ref Volatile.Read(ref _chunks)[index >> Shift][index & Mask];

    /// <summary>The current chunk table, for a caller that resolves many slots at once (see <see cref="Slot"/>).</summary>
    public T[][] Snapshot => Volatile.Read(ref _chunks);

    public static ref T Slot(T[][] snapshot, long index) => ref snapshot[index >> Shift][index & Mask];

    /// <summary>Copies the first <paramref name="count"/> items out, dropping each chunk once copied to keep the peak low.</summary>
    public T[] Drain(long count)
    {
        var result = GC.AllocateUninitializedArray<T>((int)count);
        var chunks = _chunks;
        for (long offset = 0, chunk = 0; offset < count; offset += ChunkLength, chunk++)
        {
            var length = (int)Math.Min(ChunkLength, count - offset);
            Array.Copy(chunks[chunk], 0, result, offset, length);
            chunks[chunk] = null!;
        }
        _chunks = [];
        _capacity = 0;
        return result;
    }
}
