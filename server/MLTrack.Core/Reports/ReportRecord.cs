namespace MLTrack.Core.Reports;

/// <summary>
/// A stored report: what was asked (type, window [From, To) in Unix ms, zone, experiment, <see cref="ParamsJson"/> with
/// the prices used) and what it came to (HTML size, insight count). Its files live under
/// <c>.mltrack/reports/&lt;ReportId&gt;/</c> beside the store.
/// </summary>
public sealed record ReportRecord
{
    public required string ReportId { get; init; }
    /// <summary>"executive", "technical" or "cost".</summary>
    public required string Type { get; init; }
    public required string Title { get; init; }
    public long From { get; init; }
    public long To { get; init; }
    public required string TimeZone { get; init; }
    public string? ExperimentId { get; init; }
    public long CreatedAt { get; init; }
    public long SizeBytes { get; init; }
    public int Insights { get; init; }
    public string ParamsJson { get; init; } = "{}";
}
