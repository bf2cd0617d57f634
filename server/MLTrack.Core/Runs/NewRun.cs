namespace MLTrack.Core.Runs;

/// <summary>What a caller knows when a run starts. Unset fields stay null in the store.</summary>
public sealed record NewRun
{
    /// <summary>A caller-chosen id (32 lowercase hex characters), for clients that spool offline and replay later; null: generated.</summary>
    public string? RunId { get; init; }
    public string? ExperimentId { get; init; }
    public string? Name { get; init; }
    public string? User { get; init; }
    public long? StartTime { get; init; }
    public RunStatus Status { get; init; } = RunStatus.RUNNING;
    public string? Command { get; init; }
    public string? Cwd { get; init; }
    public string? SourceFile { get; init; }
    public int? Pid { get; init; }
    public string? Host { get; init; }
    public GitInfo Git { get; init; } = GitInfo.None;
    public string? ParentRunId { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>
    /// The artifact store's location (<see cref="Artifacts.IArtifactStore.Location"/>: <c>file:///…</c> or
    /// <c>s3://bucket/prefix</c>); the run's artifact_uri is it, '/', the run id. Null: the tracking store's local
    /// artifact folder.
    /// </summary>
    public string? ArtifactLocation { get; init; }

    /// <summary>The artifact_uri a store records for this run once its id is known (every store implementation uses this).</summary>
    public string ArtifactUriFor(string runId, string localArtifactRoot) =>
        ArtifactLocation is { Length: > 0 } location
            ? location.TrimEnd('/') + "/" + runId
            : new Uri(Path.Combine(localArtifactRoot, runId)).AbsoluteUri;
}
