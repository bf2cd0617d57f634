using MLTrack.Core.Analytics;

namespace MLTrack.Core.Reports.Insights;

/// <summary>A period in which far more runs failed than the window's failure rate explains.</summary>
public sealed record FailureSpike(Period Period, int Started, int Failed, double BaselineRate, double PValue)
{
    public double Rate => Started == 0 ? 0 : (double)Failed / Started;
}

/// <summary>
/// Finds failure spikes: periods with at least <see cref="MinFailures"/> failed runs, at least twice the window's
/// failure rate, and a binomial tail probability under <see cref="MaxPValue"/> at that rate (so a busy day with the
/// usual rate is not a spike, and neither is 2 failures out of 3 runs).
/// </summary>
public static class FailureSpikes
{
    public const int MinFailures = 3;
    public const double MaxPValue = 0.001;
    public const int MaxReported = 5;

    /// <summary>The spikes, most failures first (then earliest), at most <see cref="MaxReported"/>.</summary>
    public static IReadOnlyList<FailureSpike> Find(IReadOnlyList<Period> periods, IReadOnlyList<PeriodActivity> activity, PeriodActivity totals)
    {
        if (totals.Started == 0 || totals.Failed == 0) return [];
        var baseline = (double)totals.Failed / totals.Started;
        var spikes = new List<FailureSpike>();
        for (var i = 0; i < periods.Count; i++)
        {
            var a = activity[i];
            if (a.Failed < MinFailures || a.Started == 0) continue;
            var rate = (double)a.Failed / a.Started;
            if (rate < 2 * baseline) continue;
            var p = RankStatistics.BinomialUpperTail(a.Started, a.Failed, baseline);
            if (p < MaxPValue) spikes.Add(new FailureSpike(periods[i], a.Started, a.Failed, baseline, p));
        }
        return spikes.OrderByDescending(s => s.Failed).ThenBy(s => s.Period.Start).Take(MaxReported).ToList();
    }
}
