using MLTrack.Core.Analytics;
using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Reports.Insights;

namespace MLTrack.Core.Reports.Writing;

/// <summary>The executive summary: headline numbers against the previous range, activity, best models, cost, top findings.</summary>
public static class ExecutiveReport
{
    public const int MaxModels = 10;
    public const int MaxInsights = 10;
    public const int PerKind = 2;

    public static ReportDocument Write(ReportData data, IReadOnlyList<Insight> insights)
    {
        var md = new MarkdownBuilder();
        ReportText.Header(md, data);
        if (data.IsEmpty)
        {
            md.Paragraph(ReportText.NoRuns(data));
            return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
        }
        Headline(md, data);
        Activity(md, data);
        BestModels(md, data);
        if (data.Cost is { } cost)
        {
            md.Heading(2, "Cost");
            md.Table(CostText.SummaryHeaders, CostText.SummaryRows(cost, data.Totals), CostText.SummaryRight);
            md.Paragraph(CostText.Prices(cost));
        }
        md.Heading(2, "Insights");
        if (insights.Count == 0)
        {
            md.Paragraph("Nothing stood out: no diverged metrics, failure spikes, regressions, strong parameters, training-curve findings or stale experiments in this range.");
        }
        else
        {
            var top = Top(insights);
            md.Bullets(top.Select(ReportText.Insight));
            if (insights.Count > top.Count)
                md.Paragraph($"{Numbers.Int(insights.Count - top.Count)} more in the technical report.");
        }
        return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
    }

    /// <summary>
    /// At most <see cref="MaxInsights"/>, at most <see cref="PerKind"/> of each kind first (so ten diverged runs do not
    /// hide a regression), then the next strongest; shown in the engine's order.
    /// </summary>
    public static IReadOnlyList<Insight> Top(IReadOnlyList<Insight> insights)
    {
        var chosen = insights.GroupBy(i => i.Kind).SelectMany(g => g.Take(PerKind)).Take(MaxInsights).ToHashSet();
        foreach (var i in insights)
        {
            if (chosen.Count >= MaxInsights) break;
            chosen.Add(i);
        }
        return insights.Where(chosen.Contains).ToList();
    }

    private static void Headline(MarkdownBuilder md, ReportData data)
    {
        md.Heading(2, "Headline numbers");
        var now = data.Totals;
        var before = data.PreviousTotals;
        var hasBefore = before.Started > 0;
        IReadOnlyList<string> Row(string name, double current, double previous, Func<double, string> format) =>
            [name, format(current), hasBefore ? format(previous) : "—", hasBefore ? Numbers.Change(current, previous) : "—"];
        string Int(double x) => Numbers.Int((long)x);
        md.Table(["Measure", "This range", "Previous range", "Change"],
        [
            Row("Runs started", now.Started, before.Started, Int),
            Row("Finished", now.Finished, before.Finished, Int),
            Row("Failed", now.Failed, before.Failed, Int),
            [
                "Failure rate", Numbers.Percent(Rate(now)), hasBefore ? Numbers.Percent(Rate(before)) : "—",
                hasBefore ? $"{(Rate(now) >= Rate(before) ? "+" : "−")}{Numbers.Fixed2(Math.Abs(Rate(now) - Rate(before)) * 100)} points" : "—",
            ],
            Row("Compute time", now.ComputeHours, before.ComputeHours, Numbers.Hours),
            Row("Experiments with runs", now.Experiments, before.Experiments, Int),
            Row("Users", now.Users, before.Users, Int),
        ], [false, true, true, true]);
        var previous = data.Window.Previous;
        md.Paragraph(hasBefore
            ? $"The previous range is the same length just before: {MarkdownBuilder.Escape(previous.Label)}."
            : $"No runs started in the previous range of the same length ({MarkdownBuilder.Escape(previous.Label)}), so there is nothing to compare with.");
    }

    private static double Rate(PeriodActivity a) => a.Started == 0 ? 0 : (double)a.Failed / a.Started;

    private static void Activity(MarkdownBuilder md, ReportData data)
    {
        md.Heading(2, "Activity");
        md.Chart(ReportText.ActivityChart(data, "activity"));
        var noun = ReportText.PeriodNoun(data.TrendGranularity);
        var busiest = Enumerable.Range(0, data.Trend.Count).OrderByDescending(i => data.Trend[i].Started).ThenBy(i => i).First();
        var active = data.Trend.Count(a => a.Started > 0);
        md.Paragraph($"Busiest {noun}: {MarkdownBuilder.Escape(data.TrendPeriods[busiest].Label)} with {Numbers.Count(data.Trend[busiest].Started, "run")}. " +
                     $"Runs started in {Numbers.Int(active)} of {Numbers.Count(data.Trend.Count, noun)}.");
    }

    private static void BestModels(MarkdownBuilder md, ReportData data)
    {
        md.Heading(2, "Best models");
        var rows = data.Detailed.Where(e => e.Target is not null && e.Best is not null).Take(MaxModels).ToList();
        if (rows.Count == 0)
        {
            md.Paragraph("No experiment in this range logged a metric to rank its runs by.");
            return;
        }
        md.Table(["Experiment", "Target", "Best run", "Value", "vs median", "Runs"], rows.Select(e =>
        {
            var values = e.TargetValues;
            var median = values.Count >= InsightEngine.MinRunsForMedian ? RankStatistics.Median(values) : double.NaN;
            var better = double.IsNaN(median) ? "—"
                : Math.Abs(median) > 1e-12
                    ? Numbers.Percent(((e.Target!.HigherIsBetter ? 1 : -1) * (e.BestValue!.Value - median)) / Math.Abs(median)) + " better"
                    : Numbers.Value(Math.Abs(e.BestValue!.Value - median)) + " better";
            return (IReadOnlyList<string>)
            [
                MarkdownBuilder.Escape(e.Name), MarkdownBuilder.Code(e.Target!.Key) + (e.Target.HigherIsBetter ? " ↑" : " ↓"),
                ReportText.Run(e.Best!), Numbers.Value(e.BestValue!.Value), better, Numbers.Int(e.Activity.Started),
            ];
        }), [false, false, false, true, true, true]);
        if (rows.Any(e => e.SampleCapped))
            md.Paragraph($"Best runs are exact; medians are over the newest {Numbers.Int(data.SampleCap)} runs of each experiment with more.");
        if (rows.FirstOrDefault(e => e.Convergence.Count > 0) is { } trained)
        {
            var curve = trained.Convergence[0];
            md.Chart(new LineChart("training", $"{trained.Name}: {curve.Key} of the best run, {curve.Label}", "step", curve.Key,
                [new XYSeries(curve.Label, curve.Buckets.Select(b => (double)b.LastStep).ToList(), curve.Buckets.Select(b => b.Last).ToList())]));
        }
        var index = 0;
        foreach (var e in rows.Where(e => data.BestPerPeriod.ContainsKey(e.Id)))
        {
            var best = data.BestPerPeriod[e.Id];
            if (best.Count(b => b is not null) < 2) continue;
            var noun = ReportText.PeriodNoun(data.TrendGranularity);
            var soFar = new List<double>(best.Count);
            double? running = null;
            foreach (var b in best)
            {
                if (b is { } v && (running is null || (e.Target!.HigherIsBetter ? v.Value > running : v.Value < running))) running = v.Value;
                soFar.Add(running ?? double.NaN);
            }
            md.Chart(new PeriodChart($"best-{index++}", $"{e.Name}: best {e.Target!.Key} per {noun}", e.Target.Key,
                data.TrendPeriods.Select(p => p.Label).ToList(),
                [new ChartSeries($"best in the {noun}", best.Select(b => b?.Value ?? double.NaN).ToList()), new ChartSeries("best so far", soFar)]));
        }
    }
}
