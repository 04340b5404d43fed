using System.Globalization;
using System.Net;
using System.Text;

namespace Automation.Dashboard.Results;

/// <summary>Small self-made SVG charts (no chart library, no script): bars for runs, lines for sweeps.</summary>
public static class SvgPlot
{
    private const int Width = 640, Height = 320, Left = 70, Right = 20, Top = 36, Bottom = 70;
    private static readonly string[] Palette = ["#2f6fb0", "#d9822b", "#3d9970", "#b03a2e", "#7d5ba6", "#8a6d3b"];

    public static string Bars(string title, string yLabel, IReadOnlyList<(string Label, double Value)> bars)
    {
        var sb = Begin(title, yLabel, "");
        if (bars.Count == 0) return Empty(sb);
        var max = NiceMax(bars.Max(b => b.Value));
        Axis(sb, max);
        var slot = (double)(Width - Left - Right) / bars.Count;
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var h = max <= 0 ? 0 : (Height - Top - Bottom) * Math.Max(0, value) / max;
            var x = Left + i * slot + slot * 0.15;
            var y = Height - Bottom - h;
            sb.Append($"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(slot * 0.7)}\" height=\"{F(h)}\" fill=\"{Palette[i % Palette.Length]}\"><title>{E(label)}: {F(value)}</title></rect>");
            sb.Append($"<text x=\"{F(x + slot * 0.35)}\" y=\"{F(y - 4)}\" text-anchor=\"middle\" font-size=\"11\">{E(Short(value))}</text>");
            // Labels go under their bar, one word a line, clipped to the bar's slot.
            var chars = Math.Max(4, (int)(slot / 6));
            var words = label.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3).ToList();
            for (var w = 0; w < words.Count; w++)
                sb.Append($"<text x=\"{F(x + slot * 0.35)}\" y=\"{Height - Bottom + 14 + 12 * w}\" text-anchor=\"middle\" font-size=\"10\">{E(Clip(words[w], chars))}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>One line per series over a numeric (or categorical, by position) x axis.</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(string X, double Y)> Points)> series)
    {
        var sb = Begin(title, yLabel, xLabel);
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0) return Empty(sb);
        var numeric = all.All(p => double.TryParse(p.X, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var categories = all.Select(p => p.X).Distinct().ToList();
        double Xv(string x) => numeric ? double.Parse(x, CultureInfo.InvariantCulture) : categories.IndexOf(x);
        var xmin = all.Min(p => Xv(p.X));
        var xmax = all.Max(p => Xv(p.X));
        if (xmax <= xmin) xmax = xmin + 1;
        var max = NiceMax(all.Max(p => p.Y));
        Axis(sb, max);
        double Px(double x) => Left + (Width - Left - Right) * (x - xmin) / (xmax - xmin);
        double Py(double y) => Height - Bottom - (Height - Top - Bottom) * Math.Max(0, y) / max;
        foreach (var x in numeric ? all.Select(p => p.X).Distinct() : categories)
            sb.Append($"<text x=\"{F(Px(Xv(x)))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"10\">{E(Clip(x, 12))}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var pts = series[i].Points.OrderBy(p => Xv(p.X)).ToList();
            sb.Append($"<polyline class=\"line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', pts.Select(p => $"{F(Px(Xv(p.X)))},{F(Py(p.Y))}"))}\"/>");
            foreach (var p in pts) sb.Append($"<circle cx=\"{F(Px(Xv(p.X)))}\" cy=\"{F(Py(p.Y))}\" r=\"3.5\" fill=\"{color}\"><title>{E(series[i].Name)} {E(p.X)}: {F(p.Y)}</title></circle>");
            sb.Append($"<text x=\"{Width - Right - 4}\" y=\"{Top + 14 * i}\" text-anchor=\"end\" font-size=\"11\" fill=\"{color}\">{E(Clip(series[i].Name, 40))}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Begin(string title, string yLabel, string xLabel)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");
        sb.Append($"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>");
        sb.Append($"<text x=\"14\" y=\"{(Height - Bottom + Top) / 2}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 14 {(Height - Bottom + Top) / 2})\">{E(yLabel)}</text>");
        if (xLabel.Length > 0) sb.Append($"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\" font-size=\"11\">{E(xLabel)}</text>");
        return sb;
    }

    private static void Axis(StringBuilder sb, double max)
    {
        sb.Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        sb.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var v = max * i / 4;
            var y = Height - Bottom - (Height - Top - Bottom) * i / 4.0;
            sb.Append($"<line x1=\"{Left - 4}\" y1=\"{F(y)}\" x2=\"{Width - Right}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>");
            sb.Append($"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" font-size=\"10\">{E(Short(v))}</text>");
        }
    }

    private static string Empty(StringBuilder sb) =>
        sb.Append($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#888\">no numeric values to plot</text></svg>").ToString();

    private static double NiceMax(double max)
    {
        if (max <= 0 || double.IsNaN(max) || double.IsInfinity(max)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 }) if (step * magnitude >= max) return step * magnitude;
        return 10 * magnitude;
    }

    private static string Short(double v) => Math.Abs(v) >= 1e6 ? (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M"
        : Math.Abs(v) >= 1e4 ? (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k" : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
