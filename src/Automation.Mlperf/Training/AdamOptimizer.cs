using System.Numerics;

namespace Automation.Mlperf.Training;

/// <summary>Adam's hyper-parameters; <see cref="StepSize"/> folds the bias corrections into one scalar per step.</summary>
public sealed record AdamSettings(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f)
{
    public float StepSize(int step, float learningRate) =>
        (float)(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step)));
}

/// <summary>
/// Adam's update for one slice of parameters. Purely element-wise, so slices may be updated on any thread in any order
/// with bit-identical results.
/// </summary>
public static class AdamOptimizer
{
    public static void Update(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, AdamSettings settings, float stepSize)
    {
        float b1 = settings.Beta1, b2 = settings.Beta2, eps = settings.Epsilon;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb1 = new Vector<float>(b1);
            var vb2 = new Vector<float>(b2);
            var v1b1 = new Vector<float>(1 - b1);
            var v1b2 = new Vector<float>(1 - b2);
            var veps = new Vector<float>(eps);
            var vstep = new Vector<float>(stepSize);
            for (; i <= weights.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[i..]);
                var mi = vb1 * new Vector<float>(m[i..]) + v1b1 * g;
                var vi = vb2 * new Vector<float>(v[i..]) + v1b2 * g * g;
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (new Vector<float>(weights[i..]) - vstep * mi / (Vector.SquareRoot(vi) + veps)).CopyTo(weights[i..]);
            }
        }
        for (; i < weights.Length; i++)
        {
            var g = gradient[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            weights[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + eps);
        }
    }
}
