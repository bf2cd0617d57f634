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
}
