using System.Globalization;
using System.Net;
using System.Text;

namespace Automation.Records.Reports.Svg;

/// <summary>One named line of a line chart: a value (or a gap) per x label.</summary>
public sealed record Series(string Name, IReadOnlyList<double?> Values);

/// <summary>A point of a scatter plot; <paramref name="OnFront"/> marks the Pareto front.</summary>
public sealed record ScatterPoint(string Label, double X, double Y, bool OnFront);

/// <summary>
/// Self-contained SVG charts drawn by our code (no script, no external fonts or styles), so a report is one file that
/// any browser renders offline: bar charts and multi-series line charts with axes, grid lines and a legend.
/// </summary>
public static class SvgChart
{
    private const int Width = 720, Height = 360, Left = 80, Right = 20, Top = 40, Bottom = 70;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<double> values, string unit)
    {
        var sb = Begin(title, "bar-chart");
        var max = Nice(values.DefaultIfEmpty(0).Max());
        Axes(sb, max, unit);
        var plotWidth = Width - Left - Right;
        var slot = plotWidth / (double)Math.Max(1, labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            var h = max <= 0 ? 0 : values[i] / max * PlotHeight;
            var x = Left + i * slot + slot * 0.15;
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(Top + PlotHeight - h)}\" width=\"{F(slot * 0.7)}\" height=\"{F(h)}\" fill=\"{Palette[i % Palette.Length]}\"><title>{E(labels[i])}: {E(Number(values[i]))} {E(unit)}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + slot * 0.35)}\" y=\"{F(Top + PlotHeight - h - 4)}\" font-size=\"11\" text-anchor=\"middle\">{E(Number(values[i]))}</text>");
            XLabel(sb, Left + i * slot + slot / 2, labels[i]);
        }
        return End(sb);
    }

    public static string Lines(string title, IReadOnlyList<string> xLabels, IReadOnlyList<Series> series, string unit)
    {
        var sb = Begin(title, "line-chart");
        var max = Nice(series.SelectMany(s => s.Values).OfType<double>().DefaultIfEmpty(0).Max());
        Axes(sb, max, unit);
        var plotWidth = Width - Left - Right;
        var step = xLabels.Count <= 1 ? 0 : plotWidth / (double)(xLabels.Count - 1);
        double X(int i) => xLabels.Count <= 1 ? Left + plotWidth / 2.0 : Left + i * step;
        double Y(double v) => Top + PlotHeight - (max <= 0 ? 0 : v / max * PlotHeight);
        for (var i = 0; i < xLabels.Count; i++) XLabel(sb, X(i), xLabels[i]);
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var points = series[s].Values.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => $"{F(X(p.i))},{F(Y(p.v!.Value))}").ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            foreach (var (v, i) in series[s].Values.Select((v, i) => (v, i)).Where(p => p.v is not null))
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(v!.Value))}\" r=\"3.5\" fill=\"{color}\"><title>{E(series[s].Name)} {E(xLabels[i])}: {E(Number(v.Value))} {E(unit)}</title></circle>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 10}\" y=\"{Top + 8 + s * 16}\" width=\"12\" height=\"3\" fill=\"{color}\"/><text x=\"{Left + 28}\" y=\"{Top + 13 + s * 16}\" font-size=\"11\">{E(series[s].Name)}</text>");
        }
        return End(sb);
    }

    /// <summary>
    /// A scatter plot with numeric axes (titles with units), the Pareto front's points in red joined by a line
    /// (class "pareto", the others class "point", each with data-label/data-x/data-y) and a legend.
    /// </summary>
    public static string Scatter(string title, IReadOnlyList<ScatterPoint> points, string xTitle, string yTitle)
    {
        var sb = Begin(title, "scatter-chart");
        var (xMin, xMax) = Range(points.Select(p => p.X));
        var (yMin, yMax) = Range(points.Select(p => p.Y));
        Axes(sb, yMax, yTitle, yMin);
        var plotWidth = Width - Left - Right;
        double X(double v) => Left + (v - xMin) / (xMax - xMin) * plotWidth;
        double Y(double v) => Top + PlotHeight - (v - yMin) / (yMax - yMin) * PlotHeight;
        const int ticks = 5;
        for (var t = 0; t <= ticks; t++)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + t * plotWidth / (double)ticks)}\" y=\"{F(Top + PlotHeight + 16)}\" font-size=\"11\" text-anchor=\"middle\">{E(Number(xMin + (xMax - xMin) * t / ticks))}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + plotWidth / 2.0)}\" y=\"{F(Top + PlotHeight + 36)}\" font-size=\"12\" text-anchor=\"middle\">{E(xTitle)}</text>");
        var front = points.Where(p => p.OnFront).OrderBy(p => p.X).ToList();
        if (front.Count > 1)
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"{string.Join(' ', front.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"))}\"/>");
        foreach (var p in points.OrderBy(p => p.OnFront))
        {
            var (cls, color, r) = p.OnFront ? ("pareto", "#d62728", 5.5) : ("point", "#7f7f7f", 4.0);
            sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"{cls}\" data-label=\"{E(p.Label)}\" data-x=\"{p.X.ToString("R", CultureInfo.InvariantCulture)}\" data-y=\"{p.Y.ToString("R", CultureInfo.InvariantCulture)}\" cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"{F(r)}\" fill=\"{color}\"><title>{E(p.Label)}: {E(Number(p.X))} {E(xTitle)}, {E(Number(p.Y))} {E(yTitle)}</title></circle>");
            if (p.OnFront) sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(p.X) + 7)}\" y=\"{F(Y(p.Y) - 6)}\" font-size=\"10\">{E(p.Label.Length > 28 ? p.Label[..27] + "…" : p.Label)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Width - Right - 150}\" cy=\"{Top + 10}\" r=\"5\" fill=\"#d62728\"/><text x=\"{Width - Right - 140}\" y=\"{Top + 14}\" font-size=\"11\">Pareto front</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Width - Right - 150}\" cy=\"{Top + 26}\" r=\"4\" fill=\"#7f7f7f\"/><text x=\"{Width - Right - 140}\" y=\"{Top + 30}\" font-size=\"11\">other runs</text>");
        return End(sb);
    }

    private static double PlotHeight => Height - Top - Bottom;

    private static StringBuilder Begin(string title, string kind)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{kind}\" role=\"img\" aria-label=\"{E(title)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">{E(title)}</text>");
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static void Axes(StringBuilder sb, double max, string unit, double min = 0)
    {
        const int ticks = 5;
        for (var t = 0; t <= ticks; t++)
        {
            var y = Top + PlotHeight - t * PlotHeight / ticks;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#dddddd\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" font-size=\"11\" text-anchor=\"end\">{E(Number(min + (max - min) * t / ticks))}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{F(Top + PlotHeight)}\" stroke=\"#333333\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Top + PlotHeight)}\" y2=\"{F(Top + PlotHeight)}\" stroke=\"#333333\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {F(Top + PlotHeight / 2)}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">{E(unit)}</text>");
    }

    private static void XLabel(StringBuilder sb, double x, string label) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(Top + PlotHeight + 16)}\" font-size=\"11\" text-anchor=\"middle\">{E(label.Length > 24 ? label[..23] + "…" : label)}</text>");

    /// <summary>
    /// A scatter axis: from 0 to a round maximum, unless the values sit in a narrow band far from 0 (accuracies of
    /// 87-90 %, throughputs of one machine), which then fills the axis between round bounds a step outside them.
    /// </summary>
    internal static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0) return (0, 1);
        var (lo, hi) = (list.Min(), list.Max());
        if (lo <= 0 || hi - lo > hi / 2) return (Math.Min(0, lo), Nice(hi));
        var step = Nice(Math.Max(hi - lo, hi * 0.01)) / 5;
        var min = Math.Max(0, Math.Floor(lo / step) * step - step);
        // Five ticks of whole steps: the span is a multiple of five steps.
        var steps = Math.Ceiling(Math.Round((Math.Ceiling(hi / step) * step + step - min) / step, 6) / 5) * 5;
        return (min, min + steps * step);
    }

    /// <summary>A round axis maximum at or above the largest value (1, 2 or 5 times a power of ten).</summary>
    internal static double Nice(double max)
    {
        if (max <= 0 || double.IsNaN(max)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var m in new[] { 1.0, 2, 5, 10 }) if (m * magnitude >= max) return m * magnitude;
        return 10 * magnitude;
    }

    private static string Number(double v) =>
        Math.Abs(v) >= 1000 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString(Math.Abs(v) >= 10 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
