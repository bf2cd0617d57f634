using MLTrack.Core.Reports.Charts;

namespace MLTrack.Core.Reports.Writing;

/// <summary>A written report before rendering: its title, Markdown (charts linked as charts/&lt;name&gt;.png) and chart specs.</summary>
public sealed record ReportDocument(string Title, string Markdown, IReadOnlyList<ChartSpec> Charts);
