using MLTrack.Core.Analytics;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Reports.Data;

/// <summary>
/// Everything a report is written from, read from the store in bounded, mostly aggregated queries. Runs count in the
/// window they started in. <see cref="SpikeRuns"/>: the failed runs (attributes only, capped) of each failure spike, by period start. Lists are in a stable order (experiments by runs, then name, then id).
/// </summary>
public sealed record ReportData(
    ReportType Type,
    ReportWindow Window,
    Experiment? Experiment,
    PeriodActivity Totals,
    PeriodActivity PreviousTotals,
    Granularity TrendGranularity,
    IReadOnlyList<Period> TrendPeriods,
    IReadOnlyList<PeriodActivity> Trend,
    IReadOnlyList<Period> SpikePeriods,
    IReadOnlyList<PeriodActivity> SpikeActivity,
    IReadOnlyDictionary<long, IReadOnlyList<Run>> SpikeRuns,
    IReadOnlyList<ExperimentData> Experiments,
    int SampleCap,
    IReadOnlyList<DivergedSeries> Diverged,
    IReadOnlyDictionary<string, IReadOnlyList<PeriodBest?>> BestPerPeriod,
    CostData? Cost)
{
    public bool IsEmpty => Totals.Started == 0;

    public IEnumerable<ExperimentData> Detailed => Experiments.Where(e => e.Detailed);
}
