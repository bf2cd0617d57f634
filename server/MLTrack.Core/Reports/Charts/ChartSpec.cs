namespace MLTrack.Core.Reports.Charts;

/// <summary>
/// A chart to draw, as data: <see cref="Name"/> is its file name (charts/&lt;name&gt;.png) and the prefix of its SVG
/// ids, so it must be unique within a report and made of [a-z0-9-].
/// </summary>
public abstract record ChartSpec(string Name, string Title, string? XLabel, string? YLabel);

/// <summary>Values per period (x: the period labels). Bar series are overlaid in order (draw the largest first); line series on top.</summary>
public sealed record PeriodChart(string Name, string Title, string? YLabel, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series)
    : ChartSpec(Name, Title, null, YLabel);

/// <summary>One named series; NaN marks a gap. <see cref="Bars"/>: drawn as bars rather than a line.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values, bool Bars = false);

/// <summary>Lines over a numeric x (e.g. steps).</summary>
public sealed record LineChart(string Name, string Title, string? XLabel, string? YLabel, IReadOnlyList<XYSeries> Series)
    : ChartSpec(Name, Title, XLabel, YLabel);

public sealed record XYSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>The distribution of values in equal-width bins, with labelled vertical markers (median, best).</summary>
public sealed record HistogramChart(string Name, string Title, string? XLabel, IReadOnlyList<double> Values, IReadOnlyList<ChartMarker> Markers)
    : ChartSpec(Name, Title, XLabel, "runs");

public sealed record ChartMarker(string Label, double X);
