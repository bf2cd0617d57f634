using MLTrack.Core.Metrics;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Reports.Insights;

/// <summary>
/// Computes findings from a report's data: diverged metrics, failure spikes, regressions, strongly associated
/// parameters, how far each best run beats the median, and experiments gone quiet. Each finding states its numbers;
/// the list is ordered (warnings first, then by kind and strength), so the same data gives the same list.
/// </summary>
public static class InsightEngine
{
    /// <summary>The newest run is a regression when worse than the best earlier run by at least this share.</summary>
    public const double RegressionShare = 0.05;
    /// <summary>An experiment with no run in this many days before the end of the window is stale.</summary>
    public const int StaleDays = 30;
    /// <summary>Fewer finite values make no median worth comparing with.</summary>
    public const int MinRunsForMedian = 3;
    /// <summary>Strong parameters reported per experiment.</summary>
    public const int MaxStrongParameters = 3;

    /// <summary>A best run that made less than this share of its gain in the last quarter of its steps has levelled off.</summary>
    public const double LevelledShare = 0.02;
    /// <summary>One that made more than this share of its gain in the last quarter was still improving.</summary>
    public const double ImprovingShare = 0.2;
    /// <summary>A curve whose whole range is within this share of its level was flat from its first point.</summary>
    public const double FlatShare = 0.01;
    /// <summary>Shorter curves say nothing about their last quarter.</summary>
    public const int MinCurvePoints = 8;

    private const long DayMs = 86_400_000;

    public static IReadOnlyList<Insight> Find(ReportData data)
    {
        var list = new List<Insight>();
        var names = data.Experiments.ToDictionary(e => e.Id, e => e.Name, StringComparer.Ordinal);
        list.AddRange(Divergence(data, names));
        list.AddRange(Spikes(data, names));
        foreach (var e in data.Detailed)
        {
            if (Regression(e) is { } r) list.Add(r);
            list.AddRange(StrongParameters(e));
            if (TrainingCurve(e) is { } t) list.Add(t);
            if (BestVsMedian(e) is { } b) list.Add(b);
        }
        list.AddRange(Stale(data));
        return list
            .OrderByDescending(i => i.Severity)
            .ThenBy(i => i.Kind)
            .ThenByDescending(i => i.Magnitude)
            .ThenBy(i => i.Text, StringComparer.Ordinal)
            .ToList();
    }

    public static string RunLabel(Run run) => RunLabel(run.RunId, run.Name);

    public static string RunLabel(string runId, string? name) =>
        string.IsNullOrWhiteSpace(name) ? runId[..Math.Min(8, runId.Length)] : $"{name} ({runId[..Math.Min(8, runId.Length)]})";

    private static IEnumerable<Insight> Divergence(ReportData data, Dictionary<string, string> names)
    {
        foreach (var group in data.Diverged.GroupBy(d => d.ExperimentId))
        {
            var items = group.ToList();
            var runs = items.Select(d => d.RunId).Distinct(StringComparer.Ordinal).ToList();
            var examples = items.Take(3).Select(Describe).ToList();
            var more = items.Count > 3 ? $"; {Numbers.Int(items.Count - 3)} more" : "";
            var sampled = data.Experiments.FirstOrDefault(e => e.Id == group.Key) is { SampleCapped: true } ex
                ? $" (among the newest {Numbers.Int(ex.Sample.Count)} runs)" : "";
            yield return new Insight(InsightKind.Divergence, InsightSeverity.Warning,
                $"{names.GetValueOrDefault(group.Key, group.Key)}: {Numbers.Count(runs.Count, "run")} diverged{sampled}: {string.Join("; ", examples)}{more}.",
                runs.Take(20).ToList(), [group.Key], runs.Count);
        }
    }

    private static string Describe(DivergedSeries d)
    {
        var what = double.IsNaN(d.FirstBadValue) ? "NaN" : Numbers.Value(d.FirstBadValue);
        var run = RunLabel(d.RunId, d.RunName);
        if (d.FirstBadStep is not { } step) return $"{d.Key} of {run} ended at {what}";
        var text = $"{d.Key} of {run} became {what} at step {Numbers.Int(step)}";
        if (d.LastFiniteValue is { } last && d.LastFiniteStep is { } lastStep)
        {
            text += $" (last finite value {Numbers.Value(last)} at step {Numbers.Int(lastStep)}";
            if (d.MinBefore is { } min && last > min) text += $", up from a low of {Numbers.Value(min)}";
            text += ")";
        }
        return text;
    }

    private static IEnumerable<Insight> Spikes(ReportData data, Dictionary<string, string> names)
    {
        foreach (var spike in FailureSpikes.Find(data.SpikePeriods, data.SpikeActivity, data.Totals))
        {
            var runs = data.SpikeRuns.GetValueOrDefault(spike.Period.Start) ?? [];
            var text = $"{spike.Period.Label}: {Numbers.Int(spike.Failed)} of {Numbers.Count(spike.Started, "run")} failed ({Numbers.Percent(spike.Rate)}), " +
                       $"against {Numbers.Percent(spike.BaselineRate)} over the whole range";
            var top = runs.GroupBy(r => r.ExperimentId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
            if (top is not null && runs.Count > 0)
                text += top.Count() == runs.Count
                    ? $"; all in {names.GetValueOrDefault(top.Key, top.Key)}"
                    : $"; most in {names.GetValueOrDefault(top.Key, top.Key)} ({Numbers.Int(top.Count())} of {Numbers.Int(runs.Count)})";
            var experiments = runs.Select(r => r.ExperimentId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            yield return new Insight(InsightKind.FailureSpike, InsightSeverity.Warning, text + ".",
                runs.Take(20).Select(r => r.RunId).ToList(), experiments, spike.Rate / spike.BaselineRate);
        }
    }

    /// <summary>The newest run with a target value against the best run before it in the window.</summary>
    public static Insight? Regression(ExperimentData e)
    {
        if (e.Target is not { } target || e.Best is not { } best || e.BestValue is not { } bestValue) return null;
        var newest = e.Sample.FirstOrDefault(r => ParameterAssociation.Value(r, target.Key) is not null);
        if (newest is null || newest.RunId == best.RunId || newest.StartTime < best.StartTime) return null;
        var value = ParameterAssociation.Value(newest, target.Key)!.Value;
        var worse = target.HigherIsBetter ? bestValue - value : value - bestValue;
        if (worse <= 0) return null;
        var share = Math.Abs(bestValue) > 1e-12 ? worse / Math.Abs(bestValue) : double.PositiveInfinity;
        if (share < RegressionShare) return null;
        var by = double.IsFinite(share) ? $"{Numbers.Percent(share)} worse than" : $"{Numbers.Value(worse)} worse than";
        return new Insight(InsightKind.Regression, InsightSeverity.Warning,
            $"{e.Name}: the newest run {RunLabel(newest)} has {target.Key} {Numbers.Value(value)}, {by} the best earlier run {RunLabel(best)} ({Numbers.Value(bestValue)}).",
            [newest.RunId, best.RunId], [e.Id], double.IsFinite(share) ? share : worse);
    }

    public static IEnumerable<Insight> StrongParameters(ExperimentData e)
    {
        if (e.Target is not { } target) yield break;
        var basis = e.SampleCapped ? $"the newest {Numbers.Count(e.Sample.Count, "run")}" : null;
        foreach (var a in ParameterAssociation.Compute(e.Sample, target.Key, target.HigherIsBetter).Where(a => a.IsStrong).Take(MaxStrongParameters))
        {
            var over = basis is null ? $"over {Numbers.Count(a.Runs, "run")}" : $"over {Numbers.Int(a.Runs)} of {basis}";
            var text = a.Numeric
                ? $"{e.Name}: {a.Key} is strongly associated with {target.Key} (Spearman ρ = {Numbers.Signed(a.Statistic)} {over}): " +
                  $"higher {a.Key} goes with {(a.Statistic > 0 ? "higher" : "lower")} {target.Key}."
                : $"{e.Name}: {a.Key} explains {Numbers.Percent(a.Statistic)} of the rank variance of {target.Key} (η² = {Numbers.Fixed2(a.Statistic)} {over}); " +
                  $"best value {a.BestValue}, worst {a.WorstValue}.";
            yield return new Insight(InsightKind.StrongParameter, InsightSeverity.Info, text, [], [e.Id], a.Strength);
        }
    }

    /// <summary>
    /// Whether the best run's curve (its target, or its longest metric when the target is a single value) was flat from
    /// the start (all within 1% of its level), had levelled off or was still improving at its end: the share of its
    /// overall gain made in the last quarter of its steps.
    /// </summary>
    public static Insight? TrainingCurve(ExperimentData e)
    {
        if (e.Best is not { } best || e.Convergence.FirstOrDefault() is not { } series || series.RunId != best.RunId) return null;
        var points = series.Buckets.Where(b => double.IsFinite(b.Last)).Select(b => (Step: b.LastStep, Value: b.Last)).ToList();
        if (points.Count < MinCurvePoints) return null;
        var sign = MetricDirection.LowerIsBetter(series.Key) ? -1 : 1;
        var (first, last) = (points[0], points[^1]);
        double min = points.Min(p => p.Value), max = points.Max(p => p.Value), level = Math.Abs(points.Average(p => p.Value));
        if (level > 1e-12 && (max - min) / level < FlatShare)
            return new Insight(InsightKind.TrainingCurve, InsightSeverity.Info,
                $"{e.Name}: {series.Key} of the best run {RunLabel(best)} stayed between {Numbers.Value(min)} and {Numbers.Value(max)} " +
                $"(within {Numbers.Percent((max - min) / level)}) from step {Numbers.Int(first.Step)} to step {Numbers.Int(last.Step)}: " +
                $"it was as good at step {Numbers.Int(first.Step)} as at the end, so far fewer steps would give the same result.",
                [best.RunId], [e.Id], 1);
        var gain = sign * (last.Value - first.Value);
        if (gain <= 0 || last.Step <= first.Step) return null;
        var tailStart = first.Step + 0.75 * (last.Step - first.Step);
        var from = points.First(p => p.Step >= tailStart);
        if (from.Step >= last.Step) return null;
        var share = sign * (last.Value - from.Value) / gain;
        var head = $"{e.Name}: {series.Key} of the best run {RunLabel(best)} went from {Numbers.Value(first.Value)} at step {Numbers.Int(first.Step)} " +
                   $"to {Numbers.Value(last.Value)} at step {Numbers.Int(last.Step)}";
        var quarter = $"the last quarter (steps {Numbers.Int(from.Step)} to {Numbers.Int(last.Step)})";
        if (share < LevelledShare)
        {
            var part = share <= 0 ? $"none of that gain came in {quarter}" : $"only {Numbers.Percent(share)} of that gain came in {quarter}";
            return new Insight(InsightKind.TrainingCurve, InsightSeverity.Info, $"{head}; {part}: it had levelled off, so more steps are unlikely to help.",
                [best.RunId], [e.Id], 1 - Math.Max(0, share));
        }
        if (share > ImprovingShare)
            return new Insight(InsightKind.TrainingCurve, InsightSeverity.Info,
                $"{head}; {Numbers.Percent(share)} of that gain came in {quarter}: it was still improving when it stopped, so training longer may help.",
                [best.RunId], [e.Id], share);
        return null;
    }

    public static Insight? BestVsMedian(ExperimentData e)
    {
        if (e.Target is not { } target || e.Best is not { } best || e.BestValue is not { } bestValue) return null;
        var values = e.TargetValues;
        if (values.Count < MinRunsForMedian) return null;
        var median = RankStatistics.Median(values);
        var better = target.HigherIsBetter ? bestValue - median : median - bestValue;
        var by = Math.Abs(median) > 1e-12 ? $"{Numbers.Percent(better / Math.Abs(median))} better than" : $"{Numbers.Value(better)} better than";
        var of = e.SampleCapped ? $"the newest {Numbers.Count(values.Count, "run")} with a value" : Numbers.Count(values.Count, "run");
        return new Insight(InsightKind.BestVsMedian, InsightSeverity.Info,
            $"{e.Name}: the best run {RunLabel(best)} reaches {target.Key} {Numbers.Value(bestValue)}, {by} the median {Numbers.Value(median)} of {of}.",
            [best.RunId], [e.Id], Math.Abs(median) > 1e-12 ? better / Math.Abs(median) : better);
    }

    private static IEnumerable<Insight> Stale(ReportData data)
    {
        if (data.Window.Days <= StaleDays) yield break;
        foreach (var e in data.Experiments)
        {
            var quiet = data.Window.To - e.LastRunStart;
            if (quiet < StaleDays * DayMs) continue;
            var days = quiet / DayMs;
            var last = e.Detailed && e.Sample.Count > 0 ? [e.Sample[0].RunId] : Array.Empty<string>();
            yield return new Insight(InsightKind.StaleExperiment, InsightSeverity.Info,
                $"{e.Name}: no run since {data.Window.FormatDate(e.LastRunStart)} ({Numbers.Int(days)} days before the end of the range), " +
                $"after {Numbers.Count(e.Activity.Started, "run")} in the range.",
                last, [e.Id], days);
        }
    }
}
