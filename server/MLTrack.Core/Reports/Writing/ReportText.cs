using MLTrack.Core.Analytics;
using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Reports.Insights;

namespace MLTrack.Core.Reports.Writing;

/// <summary>Pieces every report type writes the same way: title, header line, empty state, insight bullets.</summary>
public static class ReportText
{
    public static string TypeTitle(ReportType type) => type switch
    {
        ReportType.Executive => "Executive summary",
        ReportType.Technical => "Technical report",
        _ => "Cost analysis",
    };

    public static string ScopeName(ReportData data) => data.Experiment is { } e ? $"experiment {e.Name}" : "all experiments";

    public static string Title(ReportData data) => $"{TypeTitle(data.Type)}: {ScopeName(data)}, {data.Window.Label}";

    /// <summary>The title heading and the line saying what the report covers.</summary>
    public static void Header(MarkdownBuilder md, ReportData data)
    {
        md.Heading(1, Title(data));
        var scope = data.Experiment is { } e
            ? $"experiment {MarkdownBuilder.Escape(e.Name)} (id {MarkdownBuilder.Escape(e.ExperimentId)})"
            : "all experiments";
        md.Paragraph($"**Range:** {MarkdownBuilder.Escape(data.Window.Label)} ({MarkdownBuilder.Escape(data.Window.ZoneName)}, " +
                     $"{MarkdownBuilder.Escape(data.Window.FormatDateTime(data.Window.From))} to {MarkdownBuilder.Escape(data.Window.FormatDateTime(data.Window.To))}) · " +
                     $"**Scope:** {scope} · **Runs started:** {Numbers.Int(data.Totals.Started)}");
    }

    /// <summary>The empty state: said plainly instead of tables of zeros.</summary>
    public static string NoRuns(ReportData data) =>
        data.Window.IsEmpty
            ? "The range is empty (it starts where it ends), so there are no runs to report on."
            : $"No runs started in this range ({MarkdownBuilder.Escape(data.Window.Label)}) in {MarkdownBuilder.Escape(ScopeName(data))}, so there is nothing to report.";

    public static string Insight(Insight insight) =>
        $"**{(insight.Severity == InsightSeverity.Warning ? "Warning" : "Note")} · {insight.KindName}:** {MarkdownBuilder.Escape(insight.Text)}";

    public static string PeriodNoun(Granularity g) => g switch
    {
        Granularity.Hour => "hour",
        Granularity.Day => "day",
        Granularity.Week => "week",
        _ => "month",
    };

    /// <summary>A run as "name (id prefix)" with the id in code, for tables.</summary>
    public static string Run(Runs.Run run) =>
        string.IsNullOrWhiteSpace(run.Name)
            ? MarkdownBuilder.Code(run.RunId[..8])
            : $"{MarkdownBuilder.Escape(run.Name)} {MarkdownBuilder.Code(run.RunId[..8])}";

    public static string TargetDescription(TargetMetric t) =>
        $"{MarkdownBuilder.Code(t.Key)} ({(t.HigherIsBetter ? "higher" : "lower")} is better; {MarkdownBuilder.Escape(t.Reason)})";

    /// <summary>Activity per period: runs started and failed as overlaid bars.</summary>
    public static PeriodChart ActivityChart(ReportData data, string name) => new(
        name, $"Runs per {PeriodNoun(data.TrendGranularity)}", "runs",
        data.TrendPeriods.Select(p => p.Label).ToList(),
        [
            new ChartSeries("started", data.Trend.Select(a => (double)a.Started).ToList(), Bars: true),
            new ChartSeries("failed", data.Trend.Select(a => (double)a.Failed).ToList(), Bars: true),
        ]);
}
