namespace MLTrack.Core.Analytics;

/// <summary>One local calendar day of a heatmap (weekday 0 = Monday).</summary>
public sealed record HeatmapDay(string Date, int Weekday, long Start, long End, int Runs, int Failed, int Experiments);

/// <summary>
/// Every day of a window with its runs, failures and distinct experiments; coverage (share of days with a run) and
/// streaks of consecutive active days.
/// </summary>
public sealed record Heatmap(AnalyticsWindow Window, IReadOnlyList<HeatmapDay> Days, int TotalRuns, int ActiveDays, double Coverage,
    int LongestStreak, int CurrentStreak, int MaxRuns, int MaxExperiments)
{
    public bool IsEmpty => TotalRuns == 0;
}
