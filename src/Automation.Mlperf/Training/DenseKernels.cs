using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Automation.Mlperf.Training;

/// <summary>
/// The two hot loops of training, register-blocked with <see cref="Vector{T}"/> so each loaded vector feeds several
/// multiply-adds. Every sum runs in a fixed order, so results do not depend on threads.
/// </summary>
internal static class DenseKernels
{
    /// <summary>
    /// out[b, j] = relu(bias[j] + x[b] · w[j]) for j in [j0, j1) and every row b of <paramref name="x"/>,
    /// in tiles of 4 units × 2 rows: 6 loads feed 8 multiply-adds.
    /// </summary>
    public static void DenseReluRows(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        int inputs, int units, int j0, int j1, Span<float> output)
    {
        var j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            var w0 = w.Slice(j * inputs, inputs);
            var w1 = w.Slice((j + 1) * inputs, inputs);
            var w2 = w.Slice((j + 2) * inputs, inputs);
            var w3 = w.Slice((j + 3) * inputs, inputs);
            var b = 0;
            for (; b + 2 <= rows; b += 2)
            {
                var (a0, a1, a2, a3, c0, c1, c2, c3) = Dot4x2(x.Slice(b * inputs, inputs), x.Slice((b + 1) * inputs, inputs), w0, w1, w2, w3);
                var o0 = output.Slice(b * units + j, 4);
                var o1 = output.Slice((b + 1) * units + j, 4);
                o0[0] = Relu(bias[j] + a0); o0[1] = Relu(bias[j + 1] + a1); o0[2] = Relu(bias[j + 2] + a2); o0[3] = Relu(bias[j + 3] + a3);
                o1[0] = Relu(bias[j] + c0); o1[1] = Relu(bias[j + 1] + c1); o1[2] = Relu(bias[j + 2] + c2); o1[3] = Relu(bias[j + 3] + c3);
            }
            for (; b < rows; b++)
                for (var u = 0; u < 4; u++)
                    output[b * units + j + u] = Relu(bias[j + u] + Dot(x.Slice(b * inputs, inputs), w.Slice((j + u) * inputs, inputs)));
        }
        for (; j < j1; j++)
            for (var b = 0; b < rows; b++)
                output[b * units + j] = Relu(bias[j] + Dot(x.Slice(b * inputs, inputs), w.Slice(j * inputs, inputs)));
    }

    /// <summary>
    /// gradient = Σ_t scale[t] · x[rows[t]] over the listed rows, accumulated 4 vectors at a time in registers
    /// so the gradient row is written once instead of once per sample.
    /// </summary>
    public static void WeightedRowSum(ReadOnlySpan<float> x, int inputs, ReadOnlySpan<int> rows, ReadOnlySpan<float> scale, Span<float> gradient)
    {
        var n = Vector<float>.Count;
        var i = 0;
        ref var xr = ref MemoryMarshal.GetReference(x);
        for (; i + 4 * n <= inputs; i += 4 * n)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var t = 0; t < rows.Length; t++)
            {
                var d = new Vector<float>(scale[t]);
                ref var p = ref Unsafe.Add(ref xr, rows[t] * inputs + i);
                s0 = Vector.FusedMultiplyAdd(d, Load(ref p, 0), s0);
                s1 = Vector.FusedMultiplyAdd(d, Load(ref p, n), s1);
                s2 = Vector.FusedMultiplyAdd(d, Load(ref p, 2 * n), s2);
                s3 = Vector.FusedMultiplyAdd(d, Load(ref p, 3 * n), s3);
            }
            s0.CopyTo(gradient[i..]);
            s1.CopyTo(gradient[(i + n)..]);
            s2.CopyTo(gradient[(i + 2 * n)..]);
            s3.CopyTo(gradient[(i + 3 * n)..]);
        }
        for (; i < inputs; i++)
        {
            var s = 0f;
            for (var t = 0; t < rows.Length; t++) s = MathF.FusedMultiplyAdd(scale[t], x[rows[t] * inputs + i], s);
            gradient[i] = s;
        }
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = Vector<float>.Count;
        Vector<float> s = default;
        var i = 0;
        for (; i + n <= a.Length; i += n) s = Vector.FusedMultiplyAdd(new Vector<float>(a[i..]), new Vector<float>(b[i..]), s);
        var sum = Vector.Sum(s);
        for (; i < a.Length; i++) sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }

    private static (float, float, float, float, float, float, float, float) Dot4x2(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1,
        ReadOnlySpan<float> w0, ReadOnlySpan<float> w1, ReadOnlySpan<float> w2, ReadOnlySpan<float> w3)
    {
        var n = Vector<float>.Count;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, c0 = default, c1 = default, c2 = default, c3 = default;
        var i = 0;
        for (; i + n <= x0.Length; i += n)
        {
            var v0 = new Vector<float>(x0[i..]);
            var v1 = new Vector<float>(x1[i..]);
            var u0 = new Vector<float>(w0[i..]);
            var u1 = new Vector<float>(w1[i..]);
            var u2 = new Vector<float>(w2[i..]);
            var u3 = new Vector<float>(w3[i..]);
            a0 = Vector.FusedMultiplyAdd(v0, u0, a0); c0 = Vector.FusedMultiplyAdd(v1, u0, c0);
            a1 = Vector.FusedMultiplyAdd(v0, u1, a1); c1 = Vector.FusedMultiplyAdd(v1, u1, c1);
            a2 = Vector.FusedMultiplyAdd(v0, u2, a2); c2 = Vector.FusedMultiplyAdd(v1, u2, c2);
            a3 = Vector.FusedMultiplyAdd(v0, u3, a3); c3 = Vector.FusedMultiplyAdd(v1, u3, c3);
        }
        float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
        float t0 = Vector.Sum(c0), t1 = Vector.Sum(c1), t2 = Vector.Sum(c2), t3 = Vector.Sum(c3);
        for (; i < x0.Length; i++)
        {
            s0 = MathF.FusedMultiplyAdd(x0[i], w0[i], s0); t0 = MathF.FusedMultiplyAdd(x1[i], w0[i], t0);
            s1 = MathF.FusedMultiplyAdd(x0[i], w1[i], s1); t1 = MathF.FusedMultiplyAdd(x1[i], w1[i], t1);
            s2 = MathF.FusedMultiplyAdd(x0[i], w2[i], s2); t2 = MathF.FusedMultiplyAdd(x1[i], w2[i], t2);
            s3 = MathF.FusedMultiplyAdd(x0[i], w3[i], s3); t3 = MathF.FusedMultiplyAdd(x1[i], w3[i], t3);
        }
        return (s0, s1, s2, s3, t0, t1, t2, t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float p, int offset) => Vector.LoadUnsafe(ref p, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Relu(float v) => v > 0f ? v : 0f;
}
