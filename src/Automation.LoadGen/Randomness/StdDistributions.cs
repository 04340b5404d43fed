namespace Automation.LoadGen.Randomness;

/// <summary>
/// The libstdc++ (GCC 11+) algorithms LoadGen's traces depend on, reproduced so that a run with the official seeds
/// draws the same samples and the same Server schedule as the C++ LoadGen built with g++ on Linux:
/// uniform_int_distribution over a 32-bit engine (Lemire's nearly divisionless method), std::shuffle (which draws
/// two swap positions from one number while the range allows it), generate_canonical&lt;double, 53&gt;,
/// uniform_real_distribution and exponential_distribution. MSVC's and libc++'s versions of these differ, so traces
/// from LoadGen built with those would differ too.
/// </summary>
public static class StdDistributions
{
    private const ulong EngineRange = uint.MaxValue; // max() - min() of a 32-bit engine

    /// <summary>uniform_int_distribution&lt;T&gt;{a, b}(g) for an integer type no wider than 64 bits.</summary>
    public static ulong UniformInt(IRandomBits32 g, ulong a, ulong b)
    {
        var range = b - a;
        if (range < EngineRange) return a + Lemire(g, (uint)(range + 1));
        if (range == EngineRange) return a + g.Next();
        return a + Upscale(g, range);
    }

    public static int UniformInt(IRandomBits32 g, int a, int b) =>
        unchecked((int)UniformInt(g, (ulong)(long)a, (ulong)(long)b));

    private static ulong Lemire(IRandomBits32 g, uint range)
    {
        var product = (ulong)g.Next() * range;
        var low = (uint)product;
        if (low < range)
        {
            var threshold = unchecked((uint)-range) % range;
            while (low < threshold)
            {
                product = (ulong)g.Next() * range;
                low = (uint)product;
            }
        }
        return product >> 32;
    }

    private static ulong Upscale(IRandomBits32 g, ulong range)
    {
        const ulong engineSpan = EngineRange + 1;
        ulong result, high;
        do
        {
            high = engineSpan * UniformInt(g, 0, range / engineSpan);
            result = high + g.Next();
        } while (result > range || result < high);
        return result;
    }

    /// <summary>std::shuffle(first, last, g) as libstdc++ implements it.</summary>
    public static void Shuffle<T>(Span<T> items, IRandomBits32 g)
    {
        if (items.Length == 0) return;
        var n = (ulong)items.Length;
        if (EngineRange / n >= n)
        {
            var i = 1;
            if (n % 2 == 0)
            {
                Swap(items, i++, (int)UniformInt(g, 0, 1));
            }
            while (i != items.Length)
            {
                var swapRange = (ulong)i + 1;
                var x = UniformInt(g, 0, swapRange * (swapRange + 1) - 1);
                Swap(items, i++, (int)(x / (swapRange + 1)));
                Swap(items, i++, (int)(x % (swapRange + 1)));
            }
            return;
        }
        for (var i = 1; i < items.Length; i++)
        {
            Swap(items, i, (int)UniformInt(g, 0, (ulong)i));
        }
    }

    private static void Swap<T>(Span<T> items, int i, int j) => (items[i], items[j]) = (items[j], items[i]);

    /// <summary>generate_canonical&lt;double, 53&gt;(g): two 32-bit draws, low word first.</summary>
    public static double GenerateCanonical(IRandomBits32 g)
    {
        const double span = 4294967296.0;
        var sum = 0.0;
        var scale = 1.0;
        for (var k = 0; k < 2; k++)
        {
            sum += g.Next() * scale;
            scale *= span;
        }
        var result = sum / scale;
        return result >= 1.0 ? Math.BitDecrement(1.0) : result;
    }

    /// <summary>uniform_real_distribution&lt;double&gt;{a, b}(g).</summary>
    public static double UniformReal(IRandomBits32 g, double a, double b) => GenerateCanonical(g) * (b - a) + a;

    /// <summary>exponential_distribution&lt;double&gt;{lambda}(g).</summary>
    public static double Exponential(IRandomBits32 g, double lambda) => -Math.Log(1.0 - GenerateCanonical(g)) / lambda;

    /// <summary>duration_cast&lt;nanoseconds&gt;(duration&lt;double&gt;(seconds)): the product truncated toward zero.</summary>
    public static long SecondsToNanoseconds(double seconds) => (long)(seconds * 1e9);
}
