using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Insights;

namespace MLTrack.Core.Reports;

/// <summary>
/// A report as generated: Markdown linking its charts as charts/&lt;name&gt;.png, the self-contained HTML, the charts,
/// and the findings. Nothing in it depends on when it was generated.
/// </summary>
public sealed record GeneratedReport(
    ReportType Type,
    string Title,
    ReportWindow Window,
    string? ExperimentId,
    ReportPrices Prices,
    string Markdown,
    string Html,
    IReadOnlyList<RenderedChart> Charts,
    IReadOnlyList<Insight> Insights);
