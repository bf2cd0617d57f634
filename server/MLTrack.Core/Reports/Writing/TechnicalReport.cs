using System.Globalization;
using MLTrack.Core.Lineage;
using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Reports.Insights;

namespace MLTrack.Core.Reports.Writing;

/// <summary>
/// The technical report: per experiment the parameters explored and how they go with the target, metric
/// distributions, the best run and its config, convergence, and the best run's lineage; every finding.
/// </summary>
public static class TechnicalReport
{
    public const int MaxMetrics = 10;
    public const int MaxBestMetrics = 20;
    public const int MaxLineageEdges = 20;

    public static ReportDocument Write(ReportData data, IReadOnlyList<Insight> insights)
    {
        var md = new MarkdownBuilder();
        ReportText.Header(md, data);
        if (data.IsEmpty)
        {
            md.Paragraph(ReportText.NoRuns(data));
            return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
        }
        Overview(md, data);
        md.Heading(2, "Insights");
        if (insights.Count == 0) md.Paragraph("No findings in this range.");
        else md.Bullets(insights.Select(ReportText.Insight));
        var index = 0;
        foreach (var e in data.Detailed) Experiment(md, data, e, index++);
        return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
    }

    private static void Overview(MarkdownBuilder md, ReportData data)
    {
        md.Heading(2, "Experiments");
        md.Chart(ReportText.ActivityChart(data, "activity"));
        md.Table(["Experiment", "Runs", "Finished", "Failed", "Compute", "Target", "Best"], data.Experiments.Select(e => (IReadOnlyList<string>)
        [
            MarkdownBuilder.Escape(e.Name), Numbers.Int(e.Activity.Started), Numbers.Int(e.Activity.Finished), Numbers.Int(e.Activity.Failed),
            Numbers.Hours(e.Activity.ComputeHours),
            e.Target is null ? (e.Detailed ? "no metrics" : "not read") : MarkdownBuilder.Code(e.Target.Key),
            e.BestValue is { } v ? Numbers.Value(v) : "—",
        ]), [false, true, true, true, true, false, true]);
        var omitted = data.Experiments.Count(e => !e.Detailed);
        var notes = new List<string>();
        if (omitted > 0)
            notes.Add($"Only the {Numbers.Int(ReportDataCollector.MaxDetailedExperiments)} experiments with the most runs are detailed below; {Numbers.Int(omitted)} more are counted only.");
        if (data.Detailed.Any(e => e.SampleCapped))
            notes.Add($"Experiments with more than {Numbers.Int(data.SampleCap)} runs in the range are described from their newest {Numbers.Int(data.SampleCap)} runs (params, distributions, findings); counts and best runs are exact.");
        if (notes.Count > 0) md.Paragraph(string.Join(" ", notes));
    }

    private static void Experiment(MarkdownBuilder md, ReportData data, ExperimentData e, int index)
    {
        md.Heading(2, $"Experiment {e.Name}");
        var a = e.Activity;
        var read = e.SampleCapped ? $"; the newest {Numbers.Int(e.Sample.Count)} are read in detail" : "";
        md.Paragraph($"Id {MarkdownBuilder.Code(e.Id)}. {Numbers.Count(a.Started, "run")} in the range ({Numbers.Int(a.Finished)} finished, {Numbers.Int(a.Failed)} failed), " +
                     $"{Numbers.Hours(a.ComputeHours)} of compute, last run {MarkdownBuilder.Escape(data.Window.FormatDateTime(e.LastRunStart))}{read}.");
        if (e.Target is not { } target)
        {
            md.Paragraph("Its runs logged no metric to judge them by.");
            Parameters(md, e, null);
            return;
        }
        md.Paragraph($"Target metric: {ReportText.TargetDescription(target)}.");
        Parameters(md, e, target);
        Distributions(md, e, index);
        BestRun(md, data, e);
        Convergence(md, e, index);
        Lineage(md, e);
    }

    private static void Parameters(MarkdownBuilder md, ExperimentData e, TargetMetric? target)
    {
        md.Heading(3, "Parameters explored");
        var keys = e.Sample.SelectMany(r => r.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            md.Paragraph("No parameters were logged.");
            return;
        }
        var associations = target is null ? [] : ParameterAssociation.Compute(e.Sample, target.Key, target.HigherIsBetter).ToDictionary(x => x.Key, StringComparer.Ordinal);
        var rows = keys.Select(key =>
        {
            var values = e.Sample.Where(r => r.Params.ContainsKey(key)).Select(r => r.Params[key]).ToList();
            var distinct = values.Distinct(StringComparer.Ordinal).Count();
            var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : (double?)null).ToList();
            string range;
            if (numbers.All(n => n is not null) && distinct > 1)
                range = $"{Numbers.Value(numbers.Min()!.Value)} to {Numbers.Value(numbers.Max()!.Value)}";
            else
                range = string.Join(", ", values.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Take(4).Select(g => $"{MarkdownBuilder.Escape(Shorten(g.Key))} ({Numbers.Int(g.Count())})")) + (distinct > 4 ? ", …" : "");
            var association = associations.TryGetValue(key, out var x)
                ? (x.Numeric ? $"ρ = {Numbers.Signed(x.Statistic)}" : $"η² = {Numbers.Fixed2(x.Statistic)}") + (x.IsStrong ? " (strong)" : "")
                : "—";
            return (Key: key, Strength: x?.Strength ?? -1, Row: (IReadOnlyList<string>)
                [MarkdownBuilder.Code(key), Numbers.Int(values.Count), Numbers.Int(distinct), range, association]);
        }).OrderByDescending(r => r.Strength).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Row);
        md.Table(["Parameter", "Runs", "Distinct", "Values", target is null ? "Association" : $"Association with {MarkdownBuilder.Escape(target.Key)}"], rows,
            [false, true, true, false, false]);
        if (target is not null)
            md.Paragraph($"ρ: Spearman rank correlation of a numeric parameter with {MarkdownBuilder.Code(target.Key)}; η²: share of the rank variance of " +
                         $"{MarkdownBuilder.Code(target.Key)} explained by a categorical parameter's values. Needs {Numbers.Int(ParameterAssociation.MinRuns)} runs with both.");
    }

    private static void Distributions(MarkdownBuilder md, ExperimentData e, int index)
    {
        md.Heading(3, "Metric distributions");
        var metrics = e.Sample.SelectMany(r => r.Metrics).Where(m => !TargetMetric.IsSystem(m.Key))
            .GroupBy(m => m.Key, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Values: g.Select(m => m.Latest).Where(double.IsFinite).Order().ToList(), Runs: g.Count()))
            .OrderByDescending(g => g.Key == e.Target!.Key).ThenByDescending(g => g.Runs).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxMetrics).ToList();
        md.Table(["Metric", "Runs", "Min", "Median", "Mean", "Max", "Non-finite"], metrics.Select(m => (IReadOnlyList<string>)
        [
            MarkdownBuilder.Code(m.Key), Numbers.Int(m.Runs),
            m.Values.Count > 0 ? Numbers.Value(m.Values[0]) : "—", m.Values.Count > 0 ? Numbers.Value(RankStatistics.Quantile(m.Values, 0.5)) : "—",
            m.Values.Count > 0 ? Numbers.Value(m.Values.Average()) : "—", m.Values.Count > 0 ? Numbers.Value(m.Values[^1]) : "—",
            Numbers.Int(m.Runs - m.Values.Count),
        ]), [false, true, true, true, true, true, true]);
        md.Paragraph("Each run counts with its latest value.");
        var values = e.TargetValues;
        if (values.Count >= 2)
        {
            var markers = new List<ChartMarker> { new("median", RankStatistics.Median(values)) };
            if (e.BestValue is { } best) markers.Add(new ChartMarker("best", best));
            md.Chart(new HistogramChart($"distribution-{index}", $"{e.Name}: {e.Target!.Key} over {Numbers.Count(values.Count, "run")}", e.Target.Key, values, markers));
        }
    }

    private static void BestRun(MarkdownBuilder md, ReportData data, ExperimentData e)
    {
        md.Heading(3, "Best run");
        if (e.Best is not { } best)
        {
            md.Paragraph($"No run has a finite {MarkdownBuilder.Code(e.Target!.Key)}.");
            return;
        }
        var duration = best.DurationMs is { } ms ? $", ran {Numbers.Hours(ms / 3_600_000.0)}" : "";
        md.Paragraph($"{ReportText.Run(best)} (id {MarkdownBuilder.Code(best.RunId)}) reached {MarkdownBuilder.Code(e.Target!.Key)} = {Numbers.Value(e.BestValue!.Value)}; " +
                     $"started {MarkdownBuilder.Escape(data.Window.FormatDateTime(best.StartTime))}, {best.Status}{duration}" +
                     (string.IsNullOrEmpty(best.User) ? "" : $", by {MarkdownBuilder.Escape(best.User)}") +
                     (best.Git.Commit is { } commit ? $", commit {MarkdownBuilder.Code(commit[..Math.Min(12, commit.Length)])}" : "") + ".");
        if (best.Params.Count > 0)
            md.Table(["Parameter", "Value"], best.Params.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => (IReadOnlyList<string>)[MarkdownBuilder.Code(p.Key), MarkdownBuilder.Escape(Shorten(p.Value))]));
        else
            md.Paragraph("It logged no parameters.");
        var metrics = best.Metrics.Where(m => !TargetMetric.IsSystem(m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal).Take(MaxBestMetrics).ToList();
        if (metrics.Count > 0)
            md.Table(["Metric", "Latest", "Min", "Max", "Points"], metrics.Select(m => (IReadOnlyList<string>)
                [MarkdownBuilder.Code(m.Key), Numbers.Value(m.Latest), Numbers.Value(m.Min), Numbers.Value(m.Max), Numbers.Int(m.Count)]),
                [false, true, true, true, true]);
    }

    private static void Convergence(MarkdownBuilder md, ExperimentData e, int index)
    {
        md.Heading(3, "Convergence");
        if (e.Convergence.Count == 0)
        {
            md.Paragraph("The best run has no metric with at least 3 points to chart.");
            return;
        }
        var key = e.Convergence[0].Key;
        md.Chart(new LineChart($"convergence-{index}", $"{e.Name}: {key} by step", "step", key,
            e.Convergence.Select(s => new XYSeries(s.Label, s.Buckets.Select(b => (double)b.LastStep).ToList(), s.Buckets.Select(b => b.Last).ToList())).ToList()));
        md.Paragraph($"The best run and the next {Numbers.Int(e.Convergence.Count - 1)} by {MarkdownBuilder.Code(e.Target!.Key)}; " +
                     $"each line is the last value of up to {Numbers.Int(ReportDataCollector.ConvergenceBuckets)} step buckets.");
    }

    private static void Lineage(MarkdownBuilder md, ExperimentData e)
    {
        md.Heading(3, "Lineage of the best run");
        if (e.Lineage is not { } graph || graph.Edges.Count == 0)
        {
            md.Paragraph("No files read or written, and no parent run, were recorded for the best run.");
            return;
        }
        var nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        string Name(string id) => nodes[id] switch
        {
            { Kind: LineageNodeKind.Run } n => $"run {MarkdownBuilder.Escape(n.Label)} {MarkdownBuilder.Code(Prefix(n.RunId, 8))}",
            var n => $"file {MarkdownBuilder.Code(n.Label)} (sha256 {MarkdownBuilder.Code(Prefix(n.Sha256, 12))})",
        };
        var edges = graph.Edges
            .OrderBy(x => nodes[x.From].Depth + nodes[x.To].Depth).ThenBy(x => x.Kind).ThenBy(x => x.From, StringComparer.Ordinal).ThenBy(x => x.To, StringComparer.Ordinal)
            .ToList();
        md.Bullets(edges.Take(MaxLineageEdges).Select(x => x.Kind switch
        {
            LineageEdgeKind.Reads => $"{Name(x.To)} read {Name(x.From)}",
            LineageEdgeKind.Writes => $"{Name(x.From)} wrote {Name(x.To)}",
            _ => $"{Name(x.From)} is the parent of {Name(x.To)}",
        }));
        if (edges.Count > MaxLineageEdges) md.Paragraph($"{Numbers.Int(edges.Count - MaxLineageEdges)} more links (see `mltrack lineage`).");
    }

    private static string Prefix(string? text, int length) => text is null ? "" : text[..Math.Min(length, text.Length)];

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";
}
