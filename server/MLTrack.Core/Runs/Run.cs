using MLTrack.Core.Metrics;

namespace MLTrack.Core.Runs;

/// <summary>A run with everything a reader usually wants: attributes, params, tags and each metric's summary.</summary>
public sealed record Run(
    string RunId,
    string ExperimentId,
    string? Name,
    RunStatus Status,
    string? User,
    long StartTime,
    long? EndTime,
    string? Command,
    string? Cwd,
    string? SourceFile,
    int? ExitCode,
    int? Pid,
    string? Host,
    GitInfo Git,
    string? ParentRunId,
    string LifecycleStage,
    string ArtifactUri,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<MetricSummary> Metrics)
{
    public bool IsDeleted => LifecycleStage == LifecycleStages.Deleted;
    public long? DurationMs => EndTime is { } end ? end - StartTime : null;
}
