namespace MLTrack.Core.Runs;

/// <summary>A partial update of a run's mutable attributes; null fields are left as they are.</summary>
public sealed record RunUpdate
{
    public RunStatus? Status { get; init; }
    public long? EndTime { get; init; }
    public int? ExitCode { get; init; }
    public string? Name { get; init; }
    public int? Pid { get; init; }
}
