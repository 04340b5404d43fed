using Automation.Core.Errors;
using Microsoft.ML.OnnxRuntime;

namespace Automation.Mlperf.Sut;

/// <summary>ONNX Runtime settings shared by the SUT and the raw baseline loop, so both measure the same thing.</summary>
/// <param name="AllowSpinning">Whether ONNX Runtime's idle pool threads spin for new work (its default). Spinning
/// helps back-to-back batches; between sparse Server arrivals it only burns a core.</param>
public sealed record OrtRunnerOptions(int BatchSize = 32, int IntraOpThreads = 0, GraphOptimizationLevel Optimization = GraphOptimizationLevel.ORT_ENABLE_ALL,
    bool AllowSpinning = true)
{
    public SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = Optimization,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
        };
        if (IntraOpThreads > 0) options.IntraOpNumThreads = IntraOpThreads;
        if (!AllowSpinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}

/// <summary>
/// Runs one ONNX model (CPU execution provider) on batches of samples taken from an <see cref="ISampleSource"/>.
/// Input and output live in pinned arrays allocated once, wrapped by one OrtValue per batch size, so a steady run
/// allocates nothing per batch. Not thread-safe: one runner per worker thread.
/// </summary>
public sealed class OrtBatchRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames, _outputNames;
    private readonly long[] _sampleDims, _outputSampleDims;
    private readonly float[] _input;
    private float[] _output;
    private readonly bool _preallocatedOutput;
    private readonly Dictionary<int, (OrtValue Input, OrtValue? Output)> _values = [];
    private readonly bool _fixedBatch;

    public OrtBatchRunner(string modelPath, OrtRunnerOptions options)
    {
        if (!File.Exists(modelPath))
            throw new AutomationException("ONNX model not found", file: modelPath, fix: "Train and export the model first, or pass the path of an existing .onnx file.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "Batch size must be at least 1.");
        _session = new InferenceSession(modelPath, options.CreateSessionOptions());
        var input = ModelInput.Describe(_session, modelPath);
        var (outputName, output) = _session.OutputMetadata.First();
        if (output.ElementType != typeof(float))
            throw new AutomationException($"model output '{outputName}' is {output.ElementType.Name}; the runner reads float32 outputs", file: modelPath);

        _inputNames = [input.Name];
        _outputNames = [outputName];
        _sampleDims = [.. input.SampleShape.Select(d => (long)d)];
        _fixedBatch = input.FixedBatch is not null;
        BatchSize = input.FixedBatch ?? options.BatchSize;
        SampleSize = Shapes.ElementCount(input.SampleShape);
        _outputSampleDims = [.. output.Dimensions.Skip(1).Select(d => (long)Math.Max(d, 1))];
        // Outputs whose per-sample shape is only known after a run are allocated by ORT and copied out.
        _preallocatedOutput = output.Dimensions.Skip(1).All(d => d > 0);
        OutputSize = (int)Shapes.ElementCount(_outputSampleDims);
        _input = GC.AllocateArray<float>(BatchSize * SampleSize, pinned: true);
        _output = GC.AllocateArray<float>(BatchSize * OutputSize, pinned: true);
    }

    public int BatchSize { get; }
    public int SampleSize { get; }
    public IReadOnlyList<long> SampleDims => _sampleDims;
    /// <summary>Floats in one sample's output row (10 for the Fashion-MNIST classifier); for outputs of dynamic shape, as of the last run.</summary>
    public int OutputSize { get; private set; }

    /// <summary>Runs the model on up to <see cref="BatchSize"/> samples; the returned span holds one output row a sample and stays valid until the next call.</summary>
    public ReadOnlySpan<float> Run(ISampleSource source, ReadOnlySpan<int> indices)
    {
        if (indices.Length is 0 || indices.Length > BatchSize)
            throw new ArgumentOutOfRangeException(nameof(indices), $"A batch holds 1..{BatchSize} samples, not {indices.Length}.");
        if (source.SampleSize != SampleSize)
            throw new ArgumentException($"Samples hold {source.SampleSize} floats but the model input takes {SampleSize}.", nameof(source));
        for (var i = 0; i < indices.Length; i++) source.GetSample(indices[i]).CopyTo(_input.AsSpan(i * SampleSize, SampleSize));

        // A model with a fixed batch dimension always runs full; the rows past the batch are stale and ignored.
        var rows = _fixedBatch ? BatchSize : indices.Length;
        var (input, output) = Values(rows);
        if (_preallocatedOutput)
        {
            _session.Run(_runOptions, _inputNames, [input], _outputNames, [output!]);
        }
        else
        {
            using var results = _session.Run(_runOptions, _inputNames, [input], _outputNames);
            var data = results[0].GetTensorDataAsSpan<float>();
            OutputSize = data.Length / rows;
            if (_output.Length < data.Length) _output = new float[data.Length];
            data.CopyTo(_output);
        }
        return _output.AsSpan(0, indices.Length * OutputSize);
    }

    private (OrtValue Input, OrtValue? Output) Values(int rows)
    {
        if (_values.TryGetValue(rows, out var values)) return values;
        values = (
            OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, rows * SampleSize), [rows, .. _sampleDims]),
            _preallocatedOutput
                ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(0, rows * OutputSize), [rows, .. _outputSampleDims])
                : null);
        _values[rows] = values;
        return values;
    }

    public void Dispose()
    {
        foreach (var (input, output) in _values.Values)
        {
            input.Dispose();
            output?.Dispose();
        }
        _values.Clear();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

/// <summary>The first input of a model as a runner sees it: per-sample shape with symbolic dims taken as 1, and a fixed batch if the model has one.</summary>
public sealed record ModelInput(string Name, int[] SampleShape, int? FixedBatch)
{
    public static ModelInput Describe(InferenceSession session, string modelPath)
    {
        if (session.InputMetadata.Count != 1)
            throw new AutomationException($"model has {session.InputMetadata.Count} inputs; the runner feeds exactly one", file: modelPath,
                fix: "Use a single-input model, or wrap the model so that it takes one tensor.");
        var (name, meta) = session.InputMetadata.First();
        if (meta.ElementType != typeof(float))
            throw new AutomationException($"model input '{name}' is {meta.ElementType.Name}; the runner feeds float32", file: modelPath);
        if (meta.Dimensions.Length < 1)
            throw new AutomationException($"model input '{name}' is a scalar; the runner needs a batch dimension", file: modelPath);
        var batch = meta.Dimensions[0];
        return new ModelInput(name, [.. meta.Dimensions.Skip(1).Select(d => d > 0 ? d : 1)], batch > 0 ? batch : null);
    }

    public static ModelInput Describe(string modelPath)
    {
        using var session = new InferenceSession(modelPath);
        return Describe(session, modelPath);
    }
}
