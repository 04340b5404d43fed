using System.Diagnostics;
using System.Numerics.Tensors;
using Automation.Mlperf.Preprocessing;

namespace Automation.Mlperf.Training;

/// <summary>Hyper-parameters of <see cref="MlpTrainer"/>. The learning rate halves every <see cref="DecayEvery"/> epochs.</summary>
public sealed record MlpTrainingOptions(
    int HiddenUnits = 256,
    int Epochs = 6,
    int BatchSize = 64,
    float LearningRate = 1e-3f,
    int DecayEvery = 2,
    ulong Seed = 20240901,
    int MaxDegreeOfParallelism = -1)
{
    public AdamSettings Adam => new(LearningRate);
    public float LearningRateAt(int epoch) => LearningRate * MathF.Pow(0.5f, DecayEvery > 0 ? epoch / DecayEvery : 0);
}

public sealed record EpochReport(int Epoch, double MeanLoss, double TrainAccuracy, double? ValidationAccuracy, TimeSpan Elapsed);

public sealed record TrainingResult(MlpNetwork Network, IReadOnlyList<EpochReport> Epochs, TimeSpan Duration, MlpTrainingOptions Options);

/// <summary>
/// Mini-batch Adam on softmax cross-entropy, written out by hand. Deterministic for a seed: initialisation and shuffling
/// come from <see cref="DeterministicRandom"/>, and the only parallel loops split the hidden units (each unit's sums are
/// taken by one thread in a fixed order), so no float reduction depends on scheduling. SIMD width does change rounding,
/// so results are bit-identical on one machine, not across CPUs.
/// </summary>
public sealed class MlpTrainer(MlpTrainingOptions options)
{
    private const int UnitsPerTask = 16;

    public TrainingResult Train(PreprocessedTensor train, PreprocessedTensor? validation = null, Action<EpochReport>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var random = new DeterministicRandom(options.Seed);
        var classes = train.Labels.Length == 0 ? 10 : Math.Max(10, train.Labels.Max() + 1);
        var net = MlpNetwork.CreateInitialized(train.SampleSize, options.HiddenUnits, classes, random);
        var state = new State(net, options);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var reports = new List<EpochReport>();
        var step = 0;

        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            var good = 0;
            var learningRate = options.LearningRateAt(epoch);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                var (loss, correct) = state.Step(train, batch, options.Adam.StepSize(++step, learningRate));
                lossSum += loss;
                good += correct;
            }
            var report = new EpochReport(epoch + 1, lossSum / Math.Max(1, order.Length), good / (double)Math.Max(1, order.Length),
                validation is null ? null : net.Evaluate(validation), clock.Elapsed);
            reports.Add(report);
            progress?.Invoke(report);
        }
        return new TrainingResult(net, reports, clock.Elapsed, options);
    }

    private static int TaskCount(int units) => (units + UnitsPerTask - 1) / UnitsPerTask;

    /// <summary>Buffers and optimiser moments for one training run, allocated once.</summary>
    private sealed class State(MlpNetwork net, MlpTrainingOptions options)
    {
        private readonly int _in = net.InputSize, _hid = net.HiddenSize, _out = net.OutputSize, _batch = options.BatchSize;
        private readonly int[] _rows = new int[TaskCount(net.HiddenSize) * options.BatchSize];
        private readonly float[] _scale = new float[TaskCount(net.HiddenSize) * options.BatchSize];
        private readonly float[] _x = new float[options.BatchSize * net.InputSize];
        private readonly float[] _hidden = new float[options.BatchSize * net.HiddenSize];
        private readonly float[] _dHidden = new float[options.BatchSize * net.HiddenSize];
        private readonly float[] _dLogits = new float[options.BatchSize * net.OutputSize];
        private readonly float[] _gradW1 = new float[net.W1.Length];
        private readonly float[] _gradB1 = new float[net.B1.Length];
        private readonly float[] _gradW2 = new float[net.W2.Length];
        private readonly float[] _gradB2 = new float[net.B2.Length];
        private readonly float[] _mW1 = new float[net.W1.Length], _vW1 = new float[net.W1.Length];
        private readonly float[] _mB1 = new float[net.B1.Length], _vB1 = new float[net.B1.Length];
        private readonly float[] _mW2 = new float[net.W2.Length], _vW2 = new float[net.W2.Length];
        private readonly float[] _mB2 = new float[net.B2.Length], _vB2 = new float[net.B2.Length];
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        private readonly AdamSettings _adam = options.Adam;

        public (double LossSum, int Correct) Step(PreprocessedTensor data, ReadOnlySpan<int> batch, float stepSize)
        {
            var n = batch.Length;
            for (var b = 0; b < n; b++) data.Sample(batch[b]).CopyTo(_x.AsSpan(b * _in, _in));
            var tasks = TaskCount(_hid);

            // Hidden layer forward, split by hidden unit: each h[b, j] is one dot product on one thread.
            Parallel.For(0, tasks, _parallel, t =>
                DenseKernels.DenseReluRows(_x, n, net.W1, net.B1, _in, _hid, t * UnitsPerTask, Math.Min(_hid, (t + 1) * UnitsPerTask), _hidden));

            // Output layer, softmax and cross-entropy: small enough to stay on this thread.
            double loss = 0;
            var correct = 0;
            var invBatch = 1f / n;
            for (var b = 0; b < n; b++)
            {
                var p = _dLogits.AsSpan(b * _out, _out);
                net.ForwardOutput(_hidden.AsSpan(b * _hid, _hid), p);
                int label = data.Labels[batch[b]];
                loss -= Math.Log(Math.Max(p[label], 1e-30f));
                if (TensorPrimitives.IndexOfMax(p) == label) correct++;
                p[label] -= 1f;
                TensorPrimitives.Multiply(p, invBatch, p);
            }

            // Output layer gradients and the gradient flowing back into the hidden layer (through ReLU's mask).
            Array.Clear(_gradW2);
            Array.Clear(_gradB2);
            for (var b = 0; b < n; b++)
            {
                var h = _hidden.AsSpan(b * _hid, _hid);
                var dh = _dHidden.AsSpan(b * _hid, _hid);
                dh.Clear();
                for (var k = 0; k < _out; k++)
                {
                    var d = _dLogits[b * _out + k];
                    _gradB2[k] += d;
                    TensorPrimitives.MultiplyAdd(h, d, _gradW2.AsSpan(k * _hid, _hid), _gradW2.AsSpan(k * _hid, _hid));
                    TensorPrimitives.MultiplyAdd(net.W2.AsSpan(k * _hid, _hid), d, dh, dh);
                }
                for (var j = 0; j < _hid; j++) if (h[j] <= 0f) dh[j] = 0f;
            }
            AdamOptimizer.Update(net.W2, _gradW2, _mW2, _vW2, _adam, stepSize);
            AdamOptimizer.Update(net.B2, _gradB2, _mB2, _vB2, _adam, stepSize);

            // Hidden layer gradients and update, split by hidden unit; ReLU zeros are skipped, which halves the work.
            Parallel.For(0, tasks, _parallel, t =>
            {
                var rows = _rows.AsSpan(t * _batch, _batch);
                var scale = _scale.AsSpan(t * _batch, _batch);
                for (var j = t * UnitsPerTask; j < Math.Min(_hid, (t + 1) * UnitsPerTask); j++)
                {
                    var active = 0;
                    var gb = 0f;
                    for (var b = 0; b < n; b++)
                    {
                        var d = _dHidden[b * _hid + j];
                        if (d == 0f) continue;
                        rows[active] = b;
                        scale[active++] = d;
                        gb += d;
                    }
                    var g = _gradW1.AsSpan(j * _in, _in);
                    DenseKernels.WeightedRowSum(_x, _in, rows[..active], scale[..active], g);
                    _gradB1[j] = gb;
                    AdamOptimizer.Update(net.W1.AsSpan(j * _in, _in), g, _mW1.AsSpan(j * _in, _in), _vW1.AsSpan(j * _in, _in), _adam, stepSize);
                }
            });
            AdamOptimizer.Update(net.B1, _gradB1, _mB1, _vB1, _adam, stepSize);
            return (loss, correct);
        }
    }
}
