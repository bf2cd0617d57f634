using MLTrack.Core.Reports.Charts;
using MLTrack.Core.Reports.Data;

namespace MLTrack.Core.Reports.Writing;

/// <summary>The cost analysis: compute, GPU, LLM tokens and deployments, over time and by experiment, at stated prices.</summary>
public static class CostReport
{
    public static ReportDocument Write(ReportData data)
    {
        var md = new MarkdownBuilder();
        ReportText.Header(md, data);
        var cost = data.Cost ?? throw new InvalidOperationException("A cost report needs cost data.");
        md.Paragraph(CostText.Prices(cost));
        md.Heading(2, "Summary");
        md.Table(CostText.SummaryHeaders, CostText.SummaryRows(cost, data.Totals), CostText.SummaryRight);
        if (!CostText.HasAnyCost(cost, data.Totals))
        {
            md.Paragraph(data.IsEmpty
                ? ReportText.NoRuns(data) + " No deployment served in it either: there is no cost data for this range."
                : "No run in this range has ended, logged GPU metrics or LLM calls, and no deployment served in it: there is no cost data for this range.");
            return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
        }
        if (!data.IsEmpty)
        {
            OverTime(md, data, cost);
            ByExperiment(md, data, cost);
        }
        Llm(md, cost);
        Deployments(md, cost);
        return new ReportDocument(ReportText.Title(data), md.ToString(), md.Charts);
    }

    private static void OverTime(MarkdownBuilder md, ReportData data, CostData cost)
    {
        md.Heading(2, "Compute over time");
        var noun = ReportText.PeriodNoun(data.TrendGranularity);
        var series = new List<ChartSeries>
        {
            new("total", data.Trend.Select((a, i) => a.ComputeHours * cost.Prices.CpuHourUsd + cost.GpuHoursByPeriod[i] * cost.Prices.GpuHourUsd).ToList(), Bars: true),
        };
        if (cost.GpuRuns > 0)
            series.Add(new("of which GPU", cost.GpuHoursByPeriod.Select(h => h * cost.Prices.GpuHourUsd).ToList(), Bars: true));
        md.Chart(new PeriodChart("cost", $"Compute cost per {noun} (USD)", "USD", data.TrendPeriods.Select(p => p.Label).ToList(), series));
        var costliest = Enumerable.Range(0, data.Trend.Count)
            .OrderByDescending(i => data.Trend[i].ComputeHours * cost.Prices.CpuHourUsd + cost.GpuHoursByPeriod[i] * cost.Prices.GpuHourUsd).ThenBy(i => i).First();
        var amount = data.Trend[costliest].ComputeHours * cost.Prices.CpuHourUsd + cost.GpuHoursByPeriod[costliest] * cost.Prices.GpuHourUsd;
        md.Paragraph($"Costliest {noun}: {MarkdownBuilder.Escape(data.TrendPeriods[costliest].Label)} at {MarkdownBuilder.Usd(amount)} " +
                     $"({Numbers.Hours(data.Trend[costliest].ComputeHours)} of compute). Runs count in the {noun} they started.");
    }

    private static void ByExperiment(MarkdownBuilder md, ReportData data, CostData cost)
    {
        md.Heading(2, "By experiment");
        var rows = data.Experiments.Select(e =>
        {
            var gpu = cost.GpuHoursByExperiment.GetValueOrDefault(e.Id);
            var usd = e.Activity.ComputeHours * cost.Prices.CpuHourUsd + gpu * cost.Prices.GpuHourUsd;
            return (e, gpu, usd);
        }).OrderByDescending(x => x.usd).ThenBy(x => x.e.Name, StringComparer.Ordinal).ThenBy(x => x.e.Id, StringComparer.Ordinal).ToList();
        var total = rows.Sum(r => r.usd);
        md.Table(["Experiment", "Runs", "Compute", "GPU", "Cost", "Share"], rows.Select(x => (IReadOnlyList<string>)
        [
            MarkdownBuilder.Escape(x.e.Name), Numbers.Int(x.e.Activity.Started), Numbers.Hours(x.e.Activity.ComputeHours),
            cost.GpuRuns == 0 ? "—" : Numbers.Hours(x.gpu), MarkdownBuilder.Usd(x.usd), total > 0 ? Numbers.Percent(x.usd / total) : "—",
        ]), [false, true, true, true, true, true]);
        if (rows.Count > 0 && total > 0 && cost.GpuRuns > 0)
            md.Paragraph($"GPU time is {Numbers.Percent(cost.GpuUsd / (cost.ComputeUsd + cost.GpuUsd))} of the compute cost, " +
                         $"from {Numbers.Count(cost.GpuRuns, "run")} of {Numbers.Int(data.Totals.Started)}.");
    }

    private static void Llm(MarkdownBuilder md, CostData cost)
    {
        md.Heading(2, "LLM usage");
        if (cost.Llm is not { } llm)
        {
            md.Paragraph("No LLM usage captured in this range (runs launched by MLTrack log llm/prompt\\_tokens, llm/completion\\_tokens and llm/cost\\_usd per OpenAI or Anthropic call).");
            return;
        }
        md.Table(["Runs", "Calls", "Prompt tokens", "Completion tokens", "Cost"],
        [
            [
                Numbers.Int(llm.Runs), Numbers.Int(llm.Calls),
                llm.TokensCaptured ? Numbers.Int((long)llm.PromptTokens) : "not captured", llm.TokensCaptured ? Numbers.Int((long)llm.CompletionTokens) : "not captured",
                llm.Calls == llm.CallsWithoutCost ? "no prices captured" : MarkdownBuilder.Usd(llm.CostUsd),
            ],
        ], [true, true, true, true, true]);
        var notes = new List<string>();
        if (llm.CallsWithoutCost > 0)
            notes.Add($"{Numbers.Count(llm.CallsWithoutCost, "call")} had no price (a model without a known price) and {(llm.CallsWithoutCost == 1 ? "is" : "are")} not in the cost.");
        if (llm.Capped)
            notes.Add($"Only the newest {Numbers.Int(llm.Runs)} of {Numbers.Int(llm.RunsFound)} runs with LLM calls are summed.");
        if (notes.Count > 0) md.Paragraph(string.Join(" ", notes));
    }

    private static void Deployments(MarkdownBuilder md, CostData cost)
    {
        md.Heading(2, "Deployments");
        if (cost.Deployments.Count == 0)
        {
            md.Paragraph("No deployments served in this range.");
            return;
        }
        md.Table(["Deployment", "Target", "Status", "Serving", "CPUs", "GPUs", "Per hour", "Cost"], cost.Deployments.Select(d => (IReadOnlyList<string>)
        [
            MarkdownBuilder.Escape(d.Deployment.Name) + " " + MarkdownBuilder.Code(d.Deployment.DeploymentId[..Math.Min(8, d.Deployment.DeploymentId.Length)]),
            MarkdownBuilder.Escape(d.Deployment.Target), d.Deployment.Status.ToString(), Numbers.Hours(d.Hours), Numbers.Value(d.Cpu), Numbers.Int(d.Gpus),
            MarkdownBuilder.Usd(d.HourlyUsd), MarkdownBuilder.Usd(d.CostUsd),
        ]), [false, false, false, true, true, true, true, true]);
        md.Paragraph("Serving hours run from a deployment's creation to its last update when stopped or failed (to now while live), within the range. " +
                     "An estimate: requests do not change it.");
    }
}
