using MLTrack.Core.Deploy;

namespace MLTrack.Core.Reports.Data;

/// <summary>
/// The inputs of the cost sections. Compute hours are the wall-clock durations of the runs that started in the window
/// and ended; GPU hours those of the runs that logged system/gpu* metrics (one GPU per run assumed).
/// </summary>
public sealed record CostData(
    ReportPrices Prices,
    double ComputeHours,
    double GpuHours,
    int GpuRuns,
    IReadOnlyDictionary<string, double> GpuHoursByExperiment,
    IReadOnlyList<double> GpuHoursByPeriod,
    LlmUsage? Llm,
    IReadOnlyList<DeploymentCost> Deployments)
{
    public double ComputeUsd => ComputeHours * Prices.CpuHourUsd;
    public double GpuUsd => GpuHours * Prices.GpuHourUsd;
    public double DeploymentsUsd => Deployments.Sum(d => d.CostUsd);
    public double TotalUsd => ComputeUsd + GpuUsd + (Llm?.CostUsd ?? 0) + DeploymentsUsd;
}

/// <summary>
/// LLM calls captured by the tracking API (llm/prompt_tokens, llm/completion_tokens, llm/cost_usd, one point per
/// call), summed over <see cref="Runs"/> runs; <see cref="RunsFound"/> is how many had any (more when capped).
/// <see cref="CallsWithoutCost"/> are calls whose model had no known price; <see cref="TokensCaptured"/> is false
/// when only costs were logged.
/// </summary>
public sealed record LlmUsage(int Runs, int RunsFound, long Calls, double PromptTokens, double CompletionTokens, double CostUsd, long CallsWithoutCost,
    bool TokensCaptured)
{
    public bool Capped => Runs < RunsFound;
}

/// <summary>A deployment's serving time inside the window and what it costs at the report's prices.</summary>
public sealed record DeploymentCost(DeploymentRecord Deployment, double Hours, double Cpu, int Gpus, double HourlyUsd)
{
    public double CostUsd => Hours * HourlyUsd;
}
