namespace MLTrack.Core.Deploy;

/// <summary>Traffic of a deployment's <c>POST /predict</c>: request and error (status ≥ 400) counts and latency
/// percentiles in milliseconds (nearest rank; 0 when there were no requests).</summary>
public sealed record DeploymentStats(long Requests, long Errors, double P50, double P95, double P99)
{
    public static DeploymentStats Empty { get; } = new(0, 0, 0, 0, 0);
}
