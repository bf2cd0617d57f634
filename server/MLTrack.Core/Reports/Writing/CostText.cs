using MLTrack.Core.Analytics;
using MLTrack.Core.Reports.Data;

namespace MLTrack.Core.Reports.Writing;

/// <summary>
/// Cost lines shared by the executive summary and the cost analysis. Missing data is named ("no LLM usage captured")
/// instead of priced at zero; the prices used are always stated.
/// </summary>
public static class CostText
{
    public static readonly IReadOnlyList<string> SummaryHeaders = ["Item", "Quantity", "Cost"];
    public static readonly IReadOnlyList<bool> SummaryRight = [false, true, true];

    public static string Prices(CostData cost) =>
        $"**Prices used:** {MarkdownBuilder.Usd(cost.Prices.CpuHourUsd)} per CPU hour ({cost.Prices.CpuSource}), " +
        $"{MarkdownBuilder.Usd(cost.Prices.GpuHourUsd)} per GPU hour ({cost.Prices.GpuSource}). " +
        "Runs count one CPU for their wall-clock time; runs that logged system/gpu\\* metrics also one GPU. " +
        "LLM costs are those captured per call; deployments cost their serving hours × (CPUs × CPU price + GPUs × GPU price).";

    public static IEnumerable<IReadOnlyList<string>> SummaryRows(CostData cost, PeriodActivity totals)
    {
        yield return totals.Started == 0
            ? ["Compute (CPU)", "no runs in this range", "—"]
            : cost.ComputeHours > 0
                ? ["Compute (CPU)", Numbers.Hours(cost.ComputeHours), MarkdownBuilder.Usd(cost.ComputeUsd)]
                : ["Compute (CPU)", "no ended runs: durations unknown", "—"];
        yield return cost.GpuRuns == 0
            ? ["GPU", "no GPU metrics captured", "—"]
            : ["GPU", $"{Numbers.Hours(cost.GpuHours)} in {Numbers.Count(cost.GpuRuns, "run")}", MarkdownBuilder.Usd(cost.GpuUsd)];
        yield return cost.Llm is not { } llm
            ? ["LLM tokens", "no LLM usage captured", "—"]
            : ["LLM tokens", llm.TokensCaptured
                    ? $"{Numbers.Int((long)(llm.PromptTokens + llm.CompletionTokens))} tokens in {Numbers.Count(llm.Calls, "call")}"
                    : $"{Numbers.Count(llm.Calls, "call")} (token counts not captured)",
                llm.Calls == llm.CallsWithoutCost ? "no prices captured" : MarkdownBuilder.Usd(llm.CostUsd)];
        yield return cost.Deployments.Count == 0
            ? ["Deployments", "no deployments served in this range", "—"]
            : ["Deployments", $"{Numbers.Hours(cost.Deployments.Sum(d => d.Hours))} serving in {Numbers.Count(cost.Deployments.Count, "deployment")}",
                MarkdownBuilder.Usd(cost.DeploymentsUsd)];
        yield return HasAnyCost(cost, totals)
            ? ["**Total (estimate)**", "", "**" + MarkdownBuilder.Usd(cost.TotalUsd) + "**"]
            : ["**Total (estimate)**", "no cost data in this range", "—"];
    }

    /// <summary>Whether anything was measured that carries a price (else the total is "no cost data", not $0.00).</summary>
    public static bool HasAnyCost(CostData cost, PeriodActivity totals) =>
        (totals.Started > 0 && cost.ComputeHours > 0) || cost.GpuRuns > 0 || cost.Llm is not null || cost.Deployments.Count > 0;
}
