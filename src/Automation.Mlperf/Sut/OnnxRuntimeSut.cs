using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Automation.LoadGen;

namespace Automation.Mlperf.Sut;

/// <summary>What a completed sample's response bytes hold.</summary>
public enum SutResponseFormat
{
    /// <summary>The index of the largest output as one little-endian int32 (4 bytes): the predicted class.</summary>
    ArgMaxInt32,
    /// <summary>The sample's whole output row as little-endian float32 (4 × OutputSize bytes), e.g. the 10 probabilities.</summary>
    OutputFloat32,
}

public sealed record OnnxRuntimeSutOptions(
    int BatchSize = 32,
    int IntraOpThreads = 0,
    SutResponseFormat Response = SutResponseFormat.ArgMaxInt32,
    bool InlineSingleSampleQueries = true,
    bool AllowSpinning = true)
{
    public OrtRunnerOptions Runner => new(BatchSize, IntraOpThreads, AllowSpinning: AllowSpinning);
}

/// <summary>
/// A SUT that runs an ONNX model with ONNX Runtime's CPU provider. Queries go to one worker thread that cuts them into
/// batches of <see cref="OnnxRuntimeSutOptions.BatchSize"/> (Offline's one big query) and completes each batch as it
/// finishes. A one-sample query (SingleStream) is run on the caller's thread when the worker is idle, which saves the
/// thread hand-off from its latency; otherwise it queues like any other.
/// </summary>
public sealed class OnnxRuntimeSut : ISystemUnderTest, IDisposable
{
    private readonly ISampleSource _source;
    private readonly OnnxRuntimeSutOptions _options;
    private readonly OrtBatchRunner _runner;
    private readonly object _runLock = new();
    private readonly BlockingCollection<(IReadOnlyList<QuerySample> Samples, IQueryCompleter Completer)> _queue = new();
    private readonly Thread _worker;
    private readonly int[] _indices;
    private int _pending;
    private volatile Exception? _fault;

    public OnnxRuntimeSut(string modelPath, ISampleSource source, OnnxRuntimeSutOptions? options = null)
    {
        _source = source;
        _options = options ?? new OnnxRuntimeSutOptions();
        _runner = new OrtBatchRunner(modelPath, _options.Runner);
        if (source.SampleSize != _runner.SampleSize)
            throw new ArgumentException($"The QSL's samples hold {source.SampleSize} floats but model '{modelPath}' takes {_runner.SampleSize} a sample.", nameof(source));
        _indices = new int[_runner.BatchSize];
        Name = $"onnxruntime-cpu:{Path.GetFileNameWithoutExtension(modelPath)}";
        _worker = new Thread(Work) { IsBackground = true, Name = "onnxruntime-sut" };
        _worker.Start();
    }

    public string Name { get; }
    public int BatchSize => _runner.BatchSize;
    public int OutputSize => _runner.OutputSize;
    public int ResponseSize => _options.Response == SutResponseFormat.ArgMaxInt32 ? sizeof(int) : sizeof(float) * _runner.OutputSize;

    /// <summary>The first inference failure. Samples of a failed batch are completed with empty data so LoadGen does not wait forever.</summary>
    public Exception? Fault => _fault;

    public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        if (_fault is { } fault) throw new InvalidOperationException("The SUT failed earlier; see the inner exception.", fault);
        if (samples.Count == 0) return;
        if (samples.Count == 1 && _options.InlineSingleSampleQueries && Volatile.Read(ref _pending) == 0 && Monitor.TryEnter(_runLock))
        {
            try { RunBatches(samples, completer); }
            finally { Monitor.Exit(_runLock); }
            return;
        }
        Interlocked.Increment(ref _pending);
        _queue.Add((samples, completer));
    }

    public void FlushQueries()
    {
        if (_fault is { } fault) throw new InvalidOperationException("The SUT failed while running queries; see the inner exception.", fault);
    }

    private void Work()
    {
        foreach (var (samples, completer) in _queue.GetConsumingEnumerable())
        {
            lock (_runLock) RunBatches(samples, completer);
            Interlocked.Decrement(ref _pending);
        }
    }

    private void RunBatches(IReadOnlyList<QuerySample> samples, IQueryCompleter completer)
    {
        for (var start = 0; start < samples.Count; start += _indices.Length)
        {
            var count = Math.Min(_indices.Length, samples.Count - start);
            var responses = new QuerySampleResponse[count];
            try
            {
                for (var i = 0; i < count; i++) _indices[i] = samples[start + i].Index;
                var outputs = _runner.Run(_source, _indices.AsSpan(0, count));
                // One array a batch: LoadGen may keep the responses (accuracy log), so they must not share reused memory.
                var data = new byte[count * ResponseSize];
                for (var i = 0; i < count; i++)
                {
                    var row = outputs.Slice(i * _runner.OutputSize, _runner.OutputSize);
                    var slot = data.AsMemory(i * ResponseSize, ResponseSize);
                    Encode(row, slot.Span);
                    responses[i] = new QuerySampleResponse(samples[start + i].Id, slot);
                }
            }
            catch (Exception ex)
            {
                _fault ??= ex;
                for (var i = 0; i < count; i++) responses[i] = new QuerySampleResponse(samples[start + i].Id, ReadOnlyMemory<byte>.Empty);
            }
            completer.QuerySamplesComplete(responses);
        }
    }

    private void Encode(ReadOnlySpan<float> row, Span<byte> destination)
    {
        if (_options.Response == SutResponseFormat.ArgMaxInt32)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, TensorPrimitives.IndexOfMax(row));
            return;
        }
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Responses are written on little-endian machines only.");
        MemoryMarshal.AsBytes(row).CopyTo(destination);
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _worker.Join();
        _queue.Dispose();
        _runner.Dispose();
    }
}
