using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;

namespace MLTrack.Server.Cli.Output;

/// <summary>The documented JSON shape of a run (README, "JSON output"). Add fields; never rename or remove them.</summary>
public sealed record RunJson(
    string RunId,
    string ExperimentId,
    string? Experiment,
    string? Name,
    string Status,
    string? User,
    long StartTime,
    long? EndTime,
    long? DurationMs,
    string? Command,
    string? Cwd,
    string? SourceFile,
    int? ExitCode,
    int? Pid,
    string? Host,
    GitJson Git,
    string? ParentRunId,
    string ArtifactUri,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, MetricJson> Metrics,
    IReadOnlyList<ArtifactInfo>? Artifacts)
{
    public static RunJson From(Run r, string? experimentName, IReadOnlyList<ArtifactInfo>? artifacts = null) => new(
        r.RunId, r.ExperimentId, experimentName, r.Name, r.Status.ToString(), r.User, r.StartTime, r.EndTime, r.DurationMs,
        r.Command, r.Cwd, r.SourceFile, r.ExitCode, r.Pid, r.Host,
        new GitJson(r.Git.Commit, r.Git.Branch, r.Git.Remote, r.Git.Dirty), r.ParentRunId, r.ArtifactUri,
        new SortedDictionary<string, string>(r.Params.ToDictionary()),
        new SortedDictionary<string, string>(r.Tags.ToDictionary()),
        new SortedDictionary<string, MetricJson>(r.Metrics.ToDictionary(m => m.Key, m => new MetricJson(m.Latest, m.LatestStep, m.LatestTimestamp, m.Min, m.Max, m.Count))),
        artifacts);
}

public sealed record GitJson(string? Commit, string? Branch, string? Remote, bool? Dirty);

public sealed record MetricJson(double Latest, long Step, long Timestamp, double Min, double Max, long Count);
