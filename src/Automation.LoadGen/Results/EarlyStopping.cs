namespace Automation.LoadGen.Results;

/// <summary>
/// LoadGen's early-stopping arithmetic (confidence 0.99, tolerance 0). h(t) is the fewest under-latency queries that,
/// alongside t over-latency ones, show with 99% confidence that the percentile is met: the smallest h with
/// I_p(h, t+1) &lt; 0.01, where I is the regularized incomplete beta function (the binomial tail), evaluated as
/// LoadGen does, exp(a ln x + (b-1) ln(1-x) - lbeta) / a · 2F1(1, 1-b; 1+a; x/(x-1)), series tolerance 2^-33.
/// </summary>
public sealed class EarlyStopping(double percentile, double confidence = 0.99, double tolerance = 0.0)
{
    private readonly SortedDictionary<long, long> _cache = [];

    /// <summary>h(t): the binary search LoadGen runs, bracketed from previously found values.</summary>
    public long MinPassingQueries(long t)
    {
        if (_cache.TryGetValue(t, out var cached)) return cached;
        var p = percentile - tolerance;
        long x0 = -1, y0 = 0, x1 = 0;
        var y1 = (long)Math.Ceiling(Math.Log(1 - confidence) / Math.Log(p));
        // The two largest cached points below t bracket the answer: h grows by at least p/(1-p) per extra
        // over-latency query, and by no more than it grew between those two points.
        var below = _cache.Keys.TakeWhile(key => key < t).TakeLast(2).ToArray();
        if (below.Length >= 1) (x1, y1) = (below[^1], _cache[below[^1]]);
        if (below.Length == 2) (x0, y0) = (below[0], _cache[below[0]]);
        var minSlope = p / (1 - p);
        double maxSlope = (y1 - y0) * (x1 - x0);
        var minH = (long)((t - x1) * minSlope + y1);
        var maxH = (long)((t - x1) * maxSlope + y1 + 1);
        var h = BinarySearch(minH, maxH, t, p);
        _cache[t] = h;
        return h;
    }

    /// <summary>
    /// The largest t (≥ 1) with n ≥ h(t) + t, i.e. the number of highest latencies LoadGen may discard plus one.
    /// LoadGen scans t = 2, 3, … until the condition fails; h(t) + t grows strictly with t, so a binary search
    /// over t finds the same t in logarithmically many evaluations.
    /// </summary>
    public long LargestPassingT(long n)
    {
        long lo = 1, hi = n;
        while (lo < hi)
        {
            var mid = lo + (hi - lo + 1) / 2;
            if (n >= MinPassingQueries(mid) + mid) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private long BinarySearch(long minH, long maxH, long t, double p)
    {
        var count = maxH - minH;
        while (count > 0)
        {
            var step = count / 2;
            var h = minH + step;
            if (BetaRegularized(p, h, 1 + t) < 1 - confidence)
            {
                count = step;
            }
            else
            {
                minH = h + 1;
                count -= step + 1;
            }
        }
        return minH;
    }

    public static double BetaRegularized(double x, long a, long b) =>
        Math.Exp(a * Math.Log(x) + (b - 1) * Math.Log(1 - x) - LogBeta(a, b)) / a * Hypergeometric2F1A1(1 - b, 1 + a, x / (x - 1));

    private static double Hypergeometric2F1A1(long b, long c, double x)
    {
        const double toleranceOfSeries = 1.0 / (1L << 33);
        var term = 1.0;
        var result = 1.0;
        for (long i = 0; Math.Abs(term) > toleranceOfSeries; i++)
        {
            term *= (b + i) * x / (c + i);
            result += term;
        }
        return result;
    }

    private static double LogBeta(long x, long y) => LogGamma(x) + LogGamma(y) - LogGamma(x + y);

    /// <summary>ln Γ(n) for a positive integer: exact factorial logs while they fit, Stirling's series beyond.</summary>
    public static double LogGamma(long n)
    {
        if (n <= 20)
        {
            double factorial = 1;
            for (long k = 2; k < n; k++) factorial *= k;
            return Math.Log(factorial);
        }
        double z = n;
        var inv = 1.0 / z;
        var inv2 = inv * inv;
        var series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        return (z - 0.5) * Math.Log(z) - z + 0.91893853320467274178 + series;
    }
}
