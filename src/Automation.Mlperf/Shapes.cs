namespace Automation.Mlperf;

internal static class Shapes
{
    /// <summary>Elements in a tensor of this shape (1 for a scalar's empty shape).</summary>
    public static int ElementCount(IEnumerable<int> shape) => shape.Aggregate(1, (a, d) => a * d);

    public static long ElementCount(IEnumerable<long> shape) => shape.Aggregate(1L, (a, d) => a * d);
}
