namespace MLTrack.Core.Deploy;

/// <summary>A deployment as kept in the store: what was asked (<see cref="Settings"/>, never secrets), where it is,
/// and which process hosts it (<see cref="HostPid"/>; a record left live by a process that is gone is marked STOPPED).</summary>
public sealed record DeploymentRecord
{
    public required string DeploymentId { get; init; }
    public required string RunId { get; init; }
    /// <summary>"local" or "modal".</summary>
    public required string Target { get; init; }
    public required string Name { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    public DeploymentStatus Status { get; init; } = DeploymentStatus.PENDING;
    public string? EndpointUrl { get; init; }
    public string? Message { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public required DeploymentSettings Settings { get; init; }
    public int HostPid { get; init; }

    /// <summary>The machine <see cref="HostPid"/> runs on: a replica on another machine leaves the record alone (null: recorded before replicas).</summary>
    public string? HostName { get; init; }

    public bool IsLive => Status is DeploymentStatus.PENDING or DeploymentStatus.UPLOADING or DeploymentStatus.BUILDING
        or DeploymentStatus.DEPLOYING or DeploymentStatus.READY;

    /// <summary>
    /// When it was serving, for cost estimates: from creation to now (or its last update, if later) while live, to its
    /// last update once stopped; never when it failed.
    /// </summary>
    public (long From, long To) ServingInterval(long now) => Status switch
    {
        DeploymentStatus.FAILED => (CreatedAt, CreatedAt),
        _ when IsLive => (CreatedAt, Math.Max(now, UpdatedAt)),
        _ => (CreatedAt, UpdatedAt),
    };

    public bool IsSettled => Status is DeploymentStatus.READY or DeploymentStatus.FAILED or DeploymentStatus.STOPPED;
}
