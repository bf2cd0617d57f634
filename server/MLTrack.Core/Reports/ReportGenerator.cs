using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Reports.Insights;
using MLTrack.Core.Reports.Writing;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Reports;

/// <summary>Collects a report's data, finds the insights, writes the Markdown, draws the charts and renders the HTML.</summary>
public sealed class ReportGenerator(ITrackingStore store, TimeProvider? clock = null)
{
    /// <exception cref="ArgumentException">A bad window (from after to, unknown preset or zone) or price.</exception>
    /// <exception cref="StoreException">ResourceDoesNotExist for an unknown experiment.</exception>
    public GeneratedReport Generate(ReportRequest request, IProgress<ReportProgress>? progress = null)
    {
        var data = new ReportDataCollector(store, clock).Collect(request, progress);
        progress?.Report(new ReportProgress("Finding insights", 0.8));
        var insights = data.Type == ReportType.Cost || data.IsEmpty ? [] : InsightEngine.Find(data);
        var document = data.Type switch
        {
            ReportType.Executive => ExecutiveReport.Write(data, insights),
            ReportType.Technical => TechnicalReport.Write(data, insights),
            _ => CostReport.Write(data),
        };
        progress?.Report(new ReportProgress("Drawing charts", 0.85));
        var charts = document.Charts.Select(c => ChartRenderer.Render(c)).ToList();
        progress?.Report(new ReportProgress("Rendering HTML", 0.95));
        var html = HtmlReportRenderer.Render(document.Title, document.Markdown, charts);
        return new GeneratedReport(data.Type, document.Title, data.Window, data.Experiment?.ExperimentId,
            data.Cost?.Prices ?? ReportPrices.Resolve(request, store), document.Markdown, html, charts, insights);
    }
}
