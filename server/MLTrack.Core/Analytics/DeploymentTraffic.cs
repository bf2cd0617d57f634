using MLTrack.Core.Deploy;

namespace MLTrack.Core.Analytics;

/// <summary>A deployment's traffic in one period (latencies in ms; null without requests) and its estimated serving cost.</summary>
public sealed record TrafficPeriod(Period Period, int Requests, int Errors, double? P50, double? P95, double? P99, double CostUsd)
{
    public double? ErrorRate => Requests == 0 ? null : (double)Errors / Requests;
}

/// <summary>
/// One deployment over a window: status, health (READY and answering <c>/health</c>), traffic per period from its
/// request log, and cost = serving hours in each period × hourly price (CPUs × CPU price + GPUs × GPU price).
/// </summary>
public sealed record DeploymentTraffic(
    DeploymentRecord Deployment,
    bool? Healthy,
    string? HealthMessage,
    bool TrafficAvailable,
    double HourlyCostUsd,
    TrafficPeriod Totals,
    IReadOnlyList<TrafficPeriod> Periods);
