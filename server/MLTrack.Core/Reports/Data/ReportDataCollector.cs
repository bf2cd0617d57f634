using System.Globalization;
using MLTrack.Core.Analytics;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Reports.Data;

/// <summary>
/// Reads what a report needs with bounded queries: counts and hours aggregated in SQL (whole window, per period, per
/// experiment), the newest runs of each experiment up to a cap (never every run with its params), the exact best run
/// per experiment by an ordered search, and only the metric histories a finding needs.
/// </summary>
public sealed class ReportDataCollector(ITrackingStore store, TimeProvider? clock = null)
{
    /// <summary>Experiments read in detail (most runs in the window first); the others are only counted.</summary>
    public const int MaxDetailedExperiments = 25;
    /// <summary>Newest runs read with params and metrics per experiment, by report type.</summary>
    public const int ExecutiveSampleCap = 500;
    public const int TechnicalSampleCap = 2_000;
    /// <summary>Non-finite series whose history is read to find where they broke.</summary>
    public const int MaxDivergedLookups = 20;
    /// <summary>Histories longer than this are not read for a divergence step.</summary>
    public const long MaxDivergedPoints = 200_000;
    /// <summary>Runs whose LLM histories are summed.</summary>
    public const int MaxLlmRuns = 5_000;
    public const int ConvergenceRuns = 5;
    public const int ConvergenceBuckets = 200;
    /// <summary>Experiments whose best value per period is charted in the executive summary.</summary>
    public const int TrendExperiments = 3;
    /// <summary>Failed runs read per failure spike (to name the experiments they belong to).</summary>
    public const int MaxSpikeRuns = 1_000;
    private const int SearchPage = 50_000;

    private static readonly string[] LlmKeys = ["llm/prompt_tokens", "llm/completion_tokens", "llm/cost_usd"];

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The experiment named by id or name.</summary>
    /// <exception cref="StoreException">ResourceDoesNotExist when there is none.</exception>
    public static Experiment ResolveExperiment(ITrackingStore store, string idOrName)
    {
        var text = idOrName.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            try
            {
                return store.GetExperiment(text);
            }
            catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
            {
                // a number can also be a name
            }
        }
        return store.FindExperimentByName(text)
            ?? throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No experiment with id or name '{idOrName}'.");
    }

    public ReportData Collect(ReportRequest request, IProgress<ReportProgress>? progress = null)
    {
        var now = _clock.GetUtcNow();
        var experiment = string.IsNullOrWhiteSpace(request.Experiment) ? null : ResolveExperiment(store, request.Experiment);
        var scope = experiment is null ? RunScope.All : new RunScope([experiment.ExperimentId]);
        var prices = ReportPrices.Resolve(request, store);
        var window = ReportWindow.Resolve(request, now, () => store.FirstRunStart(scope));

        progress?.Report(new ReportProgress("Counting runs", 0.05));
        var trendGranularity = TrendGranularity(window);
        var trendPeriods = Periods(window, trendGranularity);
        var trend = store.AggregateRuns(trendPeriods, scope);
        // The trend periods cover the window exactly (Periods clips them), so the window's totals are their sums.
        var totals = PeriodActivity.Total(trend, () => store.CountDistinct(window.From, window.To, scope));
        var previous = window.IsEmpty ? PeriodActivity.None
            : store.AggregateRuns([new Period(window.Previous.From, window.Previous.To, "previous")], scope)[0];
        var spikeGranularity = SpikeGranularity(window);
        var spikePeriods = spikeGranularity == trendGranularity ? trendPeriods : Periods(window, spikeGranularity);
        var spikes = spikeGranularity == trendGranularity ? trend : store.AggregateRuns(spikePeriods, scope);

        var spikeRuns = new Dictionary<long, IReadOnlyList<Run>>();
        if (request.Type != ReportType.Cost)
            foreach (var spike in Insights.FailureSpikes.Find(spikePeriods, spikes, totals))
                spikeRuns[spike.Period.Start] = store.SearchRuns(new RunQuery
                {
                    ExperimentIds = scope.ExperimentIds ?? [],
                    Filter = WindowFilter(new ReportWindow(spike.Period.Start, spike.Period.End, window.Zone)) + " and attributes.status IN ('FAILED', 'CRASHED')",
                    MaxResults = MaxSpikeRuns,
                    IncludeDetails = false,
                }).Runs;

        // Costs read different rows than the experiments: on a second core they cost no wall time.
        var costTask = request.Type == ReportType.Technical ? null
            : Task.Run(() => ReadCost(window, scope, experiment, prices, totals, trendPeriods, now));
        var sampleCap = request.Type == ReportType.Technical ? TechnicalSampleCap : ExecutiveSampleCap;
        var experiments = totals.Started == 0 ? [] : ReadExperiments(window, experiment, request.Type, sampleCap, progress);

        progress?.Report(new ReportProgress("Looking for diverged metrics", 0.6));
        var diverged = request.Type == ReportType.Cost ? [] : FindDiverged(experiments);
        var bestPerPeriod = new Dictionary<string, IReadOnlyList<PeriodBest?>>(StringComparer.Ordinal);
        if (request.Type == ReportType.Executive)
            foreach (var e in experiments.Where(e => e.Detailed && e.Target is not null && e.Best is not null).Take(TrendExperiments))
                bestPerPeriod[e.Id] = store.BestMetricPerPeriod(trendPeriods, new RunScope([e.Id]), e.Target!.Key, e.Target.HigherIsBetter);

        CostData? cost = null;
        if (costTask is not null)
        {
            progress?.Report(new ReportProgress("Adding up costs", 0.7));
            cost = costTask.GetAwaiter().GetResult();
        }
        return new ReportData(request.Type, window, experiment, totals, previous, trendGranularity, trendPeriods, trend,
            spikePeriods, spikes, spikeRuns, experiments, sampleCap, diverged, bestPerPeriod, cost);
    }

    /// <summary>Periods of the window cut in its zone, the first and last clipped to the window's exact bounds.</summary>
    public static IReadOnlyList<Period> Periods(ReportWindow window, Granularity granularity)
    {
        if (window.IsEmpty) return [];
        var cut = PeriodCutter.Cut(new AnalyticsWindow(window.From, window.To, window.Zone, granularity, null)).ToArray();
        cut[0] = cut[0] with { Start = Math.Max(cut[0].Start, window.From) };
        cut[^1] = cut[^1] with { End = Math.Min(cut[^1].End, window.To) };
        return cut;
    }

    /// <summary>Hours up to 3 days, days up to ~3 months, weeks up to 3 years, then months.</summary>
    public static Granularity TrendGranularity(ReportWindow window) => window.Days switch
    {
        <= 3 => Granularity.Hour,
        <= 92 => Granularity.Day,
        <= 3 * 366 => Granularity.Week,
        _ => Granularity.Month,
    };

    /// <summary>Failure spikes are looked for per day (per hour in short windows, per week in long ones).</summary>
    public static Granularity SpikeGranularity(ReportWindow window) => window.Days switch
    {
        <= 3 => Granularity.Hour,
        <= 400 => Granularity.Day,
        _ => Granularity.Week,
    };

    private static string WindowFilter(ReportWindow w) =>
        $"attributes.start_time >= {w.From.ToString(CultureInfo.InvariantCulture)} and attributes.start_time < {w.To.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A filter clause true when the run's latest value of <paramref name="key"/> is finite.</summary>
    private static string FiniteFilter(string key)
    {
        var quoted = MetricRef(key);
        return $"{quoted} > -1e308 and {quoted} < 1e308";
    }

    private List<ExperimentData> ReadExperiments(ReportWindow window, Experiment? only, ReportType type, int sampleCap, IProgress<ReportProgress>? progress)
    {
        var counted = CountByExperiment(window, only);
        var result = new List<ExperimentData>(counted.Count);
        var detailed = type == ReportType.Cost ? 0 : Math.Min(MaxDetailedExperiments, counted.Count);
        for (var i = 0; i < counted.Count; i++)
        {
            var (experiment, activity, lastStart) = counted[i];
            if (i >= detailed)
            {
                result.Add(new ExperimentData(experiment, activity, lastStart, false, null, null, [], false));
                continue;
            }
            progress?.Report(new ReportProgress($"Reading experiments ({i + 1}/{detailed}): {experiment.Name}", 0.1 + 0.5 * i / Math.Max(1, detailed)));
            result.Add(ReadExperiment(window, experiment, activity, type, sampleCap));
        }
        return result;
    }

    /// <summary>Experiments with runs in the window, most runs first (then name, id), with their counts (one aggregate over the window).</summary>
    private List<(Experiment Experiment, PeriodActivity Activity, long LastStart)> CountByExperiment(ReportWindow window, Experiment? only)
    {
        var experiments = (only is null ? store.ListExperiments(ViewType.All) : [only]).ToDictionary(e => e.ExperimentId, StringComparer.Ordinal);
        var scope = only is null ? RunScope.All : new RunScope([only.ExperimentId]);
        return store.AggregateRunsByExperiment(window.From, window.To, scope)
            .Where(x => experiments.ContainsKey(x.ExperimentId))
            .Select(x => (Experiment: experiments[x.ExperimentId], x.Activity, x.LastStart))
            .OrderByDescending(x => x.Activity.Started)
            .ThenBy(x => x.Experiment.Name, StringComparer.Ordinal)
            .ThenBy(x => x.Experiment.ExperimentId, StringComparer.Ordinal)
            .ToList();
    }

    private ExperimentData ReadExperiment(ReportWindow window, Experiment experiment, PeriodActivity activity, ReportType type, int sampleCap)
    {
        var page = store.SearchRuns(new RunQuery { ExperimentIds = [experiment.ExperimentId], Filter = WindowFilter(window), MaxResults = sampleCap });
        var sample = page.Runs;
        var capped = page.NextPageToken is not null;
        var target = TargetMetric.Choose(experiment, sample);
        Run? best = null;
        if (target is not null)
        {
            if (!capped)
            {
                // The sample holds every run: the best is in it (ties: the newest, as an ordered search would pick).
                double? bestValue = null;
                foreach (var run in sample)
                {
                    if (Insights.ParameterAssociation.Value(run, target.Key) is not { } v) continue;
                    if (bestValue is null || (target.HigherIsBetter ? v > bestValue : v < bestValue))
                        (best, bestValue) = (run, v);
                }
            }
            else
            {
                best = store.SearchRuns(new RunQuery
                {
                    ExperimentIds = [experiment.ExperimentId],
                    Filter = WindowFilter(window) + " and " + FiniteFilter(target.Key),
                    OrderBy = [$"{MetricRef(target.Key)} {(target.HigherIsBetter ? "DESC" : "ASC")}"],
                    MaxResults = 1,
                }).Runs.FirstOrDefault();
            }
        }
        var data = new ExperimentData(experiment, activity, sample.Count > 0 ? sample[0].StartTime : window.From, true, target, best, sample, capped);
        if (best is null || target is null || type == ReportType.Cost) return data;
        // The executive summary shows how the best model trained; the technical report compares it with the next best.
        if (type == ReportType.Executive) return data with { Convergence = ReadConvergence(data, 1) };
        return data with { Convergence = ReadConvergence(data, ConvergenceRuns), Lineage = new LineageService(store).ForRun(best.RunId, LineageDirection.Both, depth: 3) };
    }

    /// <summary>
    /// The best run and the next best of the sample (<paramref name="count"/> in all): the target's history when it has a few points, else the best
    /// run's longest non-system metric (a final accuracy has one point; its loss shows the convergence).
    /// </summary>
    private List<ConvergenceSeries> ReadConvergence(ExperimentData e, int count)
    {
        var best = e.Best!;
        var key = e.Target!.Key;
        if ((best.Metrics.FirstOrDefault(m => m.Key == key)?.Count ?? 0) < 3)
        {
            var longest = best.Metrics.Where(m => !TargetMetric.IsSystem(m.Key) && m.Count >= 3)
                .OrderByDescending(m => m.Count).ThenBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault();
            if (longest is null) return [];
            key = longest.Key;
        }
        var ranked = e.Sample
            .Select(r => (Run: r, Value: Insights.ParameterAssociation.Value(r, e.Target.Key)))
            .Where(x => x.Value is not null && x.Run.RunId != best.RunId)
            .OrderBy(x => e.Target.HigherIsBetter ? -x.Value!.Value : x.Value!.Value)
            .ThenByDescending(x => x.Run.StartTime)
            .ThenBy(x => x.Run.RunId, StringComparer.Ordinal)
            .Select(x => x.Run);
        var runs = new[] { best }.Concat(ranked).Where(r => r.Metrics.Any(m => m.Key == key)).Take(count);
        return runs.Select(r => new ConvergenceSeries(r.RunId, r.Name ?? r.RunId[..8], key, store.GetMetricBuckets(r.RunId, key, ConvergenceBuckets)))
            .Where(s => s.Buckets.Count > 0).ToList();
    }

    /// <summary>Sampled runs whose non-system metric ended NaN or ±∞ (or reached ±∞); the first few are located in their history.</summary>
    private List<DivergedSeries> FindDiverged(IReadOnlyList<ExperimentData> experiments)
    {
        var found = new List<DivergedSeries>();
        foreach (var e in experiments.Where(e => e.Detailed))
        {
            foreach (var run in e.Sample)
            {
                foreach (var m in run.Metrics)
                {
                    if (TargetMetric.IsSystem(m.Key)) continue;
                    if (double.IsFinite(m.Latest) && double.IsFinite(m.Max) && double.IsFinite(m.Min)) continue;
                    var bad = double.IsFinite(m.Latest) ? (double.IsInfinity(m.Max) ? m.Max : m.Min) : m.Latest;
                    found.Add(new DivergedSeries(run.RunId, run.Name, e.Id, m.Key, null, bad, null, null, null));
                    if (found.Count <= MaxDivergedLookups && m.Count <= MaxDivergedPoints) found[^1] = Locate(found[^1]);
                }
            }
        }
        return found;
    }

    private DivergedSeries Locate(DivergedSeries d)
    {
        var history = store.GetMetricHistory(d.RunId, d.Key);
        double? min = null;
        SeriesPoint? lastFinite = null;
        foreach (var p in history)
        {
            if (!double.IsFinite(p.Value))
                return d with { FirstBadStep = p.Step, FirstBadValue = p.Value, LastFiniteStep = lastFinite?.Step, LastFiniteValue = lastFinite?.Value, MinBefore = min };
            lastFinite = p;
            min = min is null ? p.Value : Math.Min(min.Value, p.Value);
        }
        return d;
    }

    private CostData ReadCost(ReportWindow window, RunScope scope, Experiment? only, ReportPrices prices, PeriodActivity totals,
        IReadOnlyList<Period> periods, DateTimeOffset now)
    {
        var keys = window.IsEmpty || totals.Started == 0 ? [] : store.ListMetricKeys();

        // GPU: runs that logged any system/gpu* metric, attributes only.
        var gpuRuns = new Dictionary<string, Run>(StringComparer.Ordinal);
        foreach (var key in keys.Where(k => k.StartsWith("system/gpu", StringComparison.Ordinal)))
            foreach (var run in AllRuns(new RunQuery { ExperimentIds = scope.ExperimentIds ?? [], Filter = WindowFilter(window) + " and " + ExistsFilter(key), IncludeDetails = false }))
                gpuRuns.TryAdd(run.RunId, run);
        double gpuHours = 0;
        var byExperiment = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var byPeriod = new double[periods.Count];
        foreach (var run in gpuRuns.Values.OrderBy(r => r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal))
        {
            if (run.EndTime is not { } end || end < run.StartTime) continue;
            var hours = (end - run.StartTime) / 3_600_000.0;
            gpuHours += hours;
            byExperiment[run.ExperimentId] = byExperiment.GetValueOrDefault(run.ExperimentId) + hours;
            var p = PeriodIndex(periods, run.StartTime);
            if (p >= 0) byPeriod[p] += hours;
        }

        return new CostData(prices, totals.ComputeHours, gpuHours, gpuRuns.Count, byExperiment, byPeriod,
            ReadLlm(window, scope, keys), ReadDeployments(window, only, prices, now));
    }

    private LlmUsage? ReadLlm(ReportWindow window, RunScope scope, IReadOnlyList<string> keys)
    {
        var present = LlmKeys.Where(keys.Contains).ToList();
        if (present.Count == 0) return null;
        var runs = new Dictionary<string, Run>(StringComparer.Ordinal);
        foreach (var key in present)
            foreach (var run in AllRuns(new RunQuery { ExperimentIds = scope.ExperimentIds ?? [], Filter = WindowFilter(window) + " and " + ExistsFilter(key), IncludeDetails = false }))
                runs.TryAdd(run.RunId, run);
        if (runs.Count == 0) return null;
        var chosen = runs.Values.OrderByDescending(r => r.StartTime).ThenBy(r => r.RunId, StringComparer.Ordinal).Take(MaxLlmRuns).ToList();
        double prompt = 0, completion = 0, cost = 0;
        long calls = 0, withoutCost = 0, tokenPoints = 0;
        foreach (var run in chosen)
        {
            var p = store.GetMetricHistory(run.RunId, LlmKeys[0]);
            var c = store.GetMetricHistory(run.RunId, LlmKeys[1]);
            var usd = store.GetMetricHistory(run.RunId, LlmKeys[2]);
            prompt += p.Where(x => double.IsFinite(x.Value)).Sum(x => x.Value);
            completion += c.Where(x => double.IsFinite(x.Value)).Sum(x => x.Value);
            cost += usd.Where(x => double.IsFinite(x.Value)).Sum(x => x.Value);
            var n = Math.Max(Math.Max(p.Count, c.Count), usd.Count);
            calls += n;
            tokenPoints += p.Count + c.Count;
            withoutCost += n - usd.Count;
        }
        return new LlmUsage(chosen.Count, runs.Count, calls, prompt, completion, cost, withoutCost, tokenPoints > 0);
    }

    private List<DeploymentCost> ReadDeployments(ReportWindow window, Experiment? only, ReportPrices prices, DateTimeOffset now)
    {
        var list = new List<DeploymentCost>();
        if (window.IsEmpty) return list;
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var d in store.ListDeployments().OrderBy(d => d.CreatedAt).ThenBy(d => d.DeploymentId, StringComparer.Ordinal))
        {
            // Live deployments serve until now (a window in the past is unaffected, so its report stays reproducible).
            var (servedFrom, servedTo) = d.ServingInterval(nowMs);
            var overlap = Math.Min(servedTo, window.To) - Math.Max(servedFrom, window.From);
            if (overlap <= 0) continue;
            if (only is not null && !RunIn(d.RunId, only.ExperimentId)) continue;
            list.Add(new DeploymentCost(d, overlap / 3_600_000.0, d.Settings.CpuCount, d.Settings.GpuCount,
                d.Settings.HourlyCost(prices.CpuHourUsd, prices.GpuHourUsd)));
        }
        return list;
    }

    private bool RunIn(string runId, string experimentId)
    {
        try
        {
            return store.GetRun(runId).ExperimentId == experimentId;
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return false;
        }
    }

    private static string ExistsFilter(string key) => MetricRef(key) + " >= -1e308";

    /// <summary>A metric key as the filter and order-by languages name it: back-quoted, back quotes doubled.</summary>
    private static string MetricRef(string key) => "metrics.`" + key.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static int PeriodIndex(IReadOnlyList<Period> periods, long t)
    {
        int lo = 0, hi = periods.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (t < periods[mid].Start) hi = mid - 1;
            else if (t >= periods[mid].End) lo = mid + 1;
            else return mid;
        }
        return -1;
    }

    /// <summary>Every page of a search (attributes only), in the store's order.</summary>
    private IEnumerable<Run> AllRuns(RunQuery query)
    {
        string? token = null;
        do
        {
            var page = store.SearchRuns(query with { MaxResults = SearchPage, PageToken = token });
            foreach (var run in page.Runs) yield return run;
            token = page.NextPageToken;
        } while (token is not null);
    }
}
