namespace MLTrack.Core.Analytics;

/// <summary>
/// Activity per period over a window, with totals over the whole window (distinct counts are not sums of the
/// periods') and, when a metric was asked for, its best value per period.
/// </summary>
public sealed record TimeSeries(
    AnalyticsWindow Window,
    IReadOnlyList<Period> Periods,
    IReadOnlyList<PeriodActivity> Activity,
    PeriodActivity Totals,
    string? MetricKey,
    bool? HigherIsBetter,
    IReadOnlyList<PeriodBest?> MetricBest)
{
    public bool IsEmpty => Totals.Started == 0;
}
