using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace MLTrack.Core.Reports.Charts;

/// <summary>
/// Draws <see cref="ChartSpec"/>s with ScottPlot, headless: PNG for Markdown, SVG for HTML. Output depends only on the
/// spec (fixed size, palette and font; SVG clip ids renumbered per chart), so the same data gives the same bytes.
/// Text needs an installed font: DejaVu Sans (Debian's fonts-dejavu-core); without one ScottPlot draws no text at all.
/// </summary>
public static partial class ChartRenderer
{
    public const int Width = 800;
    public const int Height = 320;
    public const string FontName = "DejaVu Sans";

    private static readonly Color[] Palette =
        new[] { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" }.Select(Color.FromHex).ToArray();

    private static readonly Lock Gate = new();

    static ChartRenderer()
    {
        // Without this ScottPlot picks a serif face; the name also lands in the SVG's font-family.
        Fonts.Default = FontName;
    }

    /// <param name="withTitle">False draws the chart without its title (tests compare the two to see text drawn).</param>
    public static RenderedChart Render(ChartSpec spec, bool withTitle = true)
    {
        // ScottPlot's font cache and SVG id counter are process-wide; one chart at a time keeps output stable.
        lock (Gate)
        {
            var plot = Build(spec, withTitle);
            var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
            var svg = CleanSvg(plot.GetSvgXml(Width, Height), spec);
            return new RenderedChart(spec.Name, spec.Title, png, svg);
        }
    }

    private static Plot Build(ChartSpec spec, bool withTitle)
    {
        var plot = new Plot();
        if (withTitle) plot.Title(spec.Title, 15);
        if (spec.XLabel is { } x) plot.XLabel(x, 13);
        if (spec.YLabel is { } y) plot.YLabel(y, 13);
        switch (spec)
        {
            case PeriodChart p:
                DrawPeriods(plot, p);
                break;
            case LineChart l:
                DrawLines(plot, l);
                break;
            case HistogramChart h:
                DrawHistogram(plot, h);
                break;
        }
        plot.Legend.FontName = FontName;
        plot.Legend.SetBestFontOnEachRender = false;
        return plot;
    }

    private static void DrawPeriods(Plot plot, PeriodChart spec)
    {
        var n = spec.Labels.Count;
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var color = 0;
        var anyBars = false;
        foreach (var s in spec.Series)
        {
            var c = Palette[color++ % Palette.Length];
            if (s.Bars)
            {
                anyBars = true;
                var bars = plot.Add.Bars(positions, s.Values.Select(v => double.IsFinite(v) ? v : 0).ToArray());
                bars.Color = c;
                bars.LegendText = s.Name;
                foreach (var b in bars.Bars)
                {
                    b.LineWidth = 0;
                    b.Size = 0.8;
                }
            }
            else
            {
                AddLine(plot, positions, s.Values, s.Name, c, markers: n <= 60);
            }
        }
        if (spec.Series.All(x => x.Values.All(v => !double.IsFinite(v) || v == Math.Floor(v)))) IntegerTicks(plot.Axes.Left);
        var step = Math.Max(1, (int)Math.Ceiling(n / 8.0));
        var ticks = Enumerable.Range(0, n).Where(i => i % step == 0).Select(i => new Tick(i, spec.Labels[i])).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        // Room above the tallest bar for the legend.
        plot.Axes.Margins(0.02, 0.02, anyBars ? 0 : 0.1, spec.Series.Count > 1 ? 0.3 : 0.1);
        if (spec.Series.Count > 1) plot.ShowLegend(Alignment.UpperLeft);
        else plot.HideLegend();
    }

    private static void DrawLines(Plot plot, LineChart spec)
    {
        var color = 0;
        foreach (var s in spec.Series)
            AddLine(plot, s.X, s.Y, s.Name, Palette[color++ % Palette.Length], markers: s.X.Count <= 30);
        if (spec.Series.All(x => x.X.All(v => !double.IsFinite(v) || v == Math.Floor(v)))) IntegerTicks(plot.Axes.Bottom);
        if (spec.Series.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        else plot.HideLegend();
    }

    /// <summary>Counts and steps are whole numbers: no 0.5-run or step-1.5 ticks on their axis.</summary>
    private static void IntegerTicks(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>A line through the finite points only (NaN and ±∞ are left out rather than breaking the scale).</summary>
    private static void AddLine(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, string name, Color color, bool markers)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) continue;
            xs.Add(x[i]);
            ys.Add(y[i]);
        }
        if (xs.Count == 0) return;
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = markers || xs.Count == 1 ? 5 : 0;
        line.LegendText = name;
    }

    private static void DrawHistogram(Plot plot, HistogramChart spec)
    {
        var values = spec.Values.Where(double.IsFinite).ToArray();
        if (values.Length == 0) return;
        double min = values.Min(), max = values.Max();
        var bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(values.Length)), 1, 30);
        if (max <= min)
        {
            bins = 1;
            (min, max) = (min - 0.5, max + 0.5);
        }
        var width = (max - min) / bins;
        var counts = new double[bins];
        foreach (var v in values) counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width).ToArray(), counts);
        bars.Color = Palette[0];
        bars.LegendText = "runs";
        foreach (var b in bars.Bars)
        {
            b.Size = width * 0.95;
            b.LineWidth = 0;
        }
        var color = 1;
        foreach (var m in spec.Markers.Where(m => double.IsFinite(m.X)))
        {
            var line = plot.Add.VerticalLine(m.X, 2, Palette[color++ % Palette.Length], LinePattern.Dashed);
            line.LegendText = m.Label;
        }
        IntegerTicks(plot.Axes.Left);
        plot.Axes.Margins(0.02, 0.02, 0, 0.1);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    /// <summary>
    /// SVG fit to inline in HTML: no XML declaration, ids made unique to the chart and independent of how many charts
    /// the process drew before (ScottPlot numbers clip paths globally), a viewBox so CSS can scale it, and a label.
    /// </summary>
    private static string CleanSvg(string svg, ChartSpec spec)
    {
        svg = XmlDeclaration().Replace(svg, "");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id)) ids[m.Value] = id = $"{spec.Name}-clip{ids.Count.ToString(CultureInfo.InvariantCulture)}";
            return id;
        });
        var label = System.Net.WebUtility.HtmlEncode(spec.Title);
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        var end = open < 0 ? -1 : svg.IndexOf('>', open);
        if (end > 0) svg = svg.Insert(end, $" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{label}\"");
        return svg.Trim() + "\n";
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\bcl_[0-9a-fA-F]+\b")]
    private static partial Regex ClipId();
}
