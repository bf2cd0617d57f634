using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Store entities to MLflow's wire shapes and back. The REST artifact_uri is <c>mlflow-artifacts:/&lt;experiment&gt;/&lt;run&gt;/artifacts</c>
/// (whatever the store records), so MLflow's client uploads through this server's proxied artifact endpoints.
/// </summary>
internal static class MlflowMapping
{
    public const string RunNameTag = "mlflow.runName";
    public const string UserTag = "mlflow.user";
    public const string ParentRunTag = "mlflow.parentRunId";
    public const string GitCommitTag = "mlflow.source.git.commit";
    /// <summary>Set on runs whose MLTrack status has no MLflow equivalent (CRASHED is reported to MLflow clients as FAILED).</summary>
    public const string StatusTag = "mltrack.status";

    public static string RunArtifactUri(string experimentId, string runId) => $"mlflow-artifacts:/{experimentId}/{runId}/artifacts";

    public static string ExperimentArtifactLocation(string experimentId) => $"mlflow-artifacts:/{experimentId}";

    public static RunMessage ToMessage(Run run) => new()
    {
        Info = ToInfo(run),
        Data = new RunDataMessage
        {
            Metrics = run.Metrics.Select(m => new MetricMessage { Key = m.Key, Value = m.Latest, Timestamp = m.LatestTimestamp, Step = m.LatestStep }).ToList(),
            Params = run.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KeyValueMessage { Key = p.Key, Value = p.Value }).ToList(),
            Tags = TagsOf(run).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValueMessage { Key = t.Key, Value = t.Value }).ToList(),
        },
    };

    public static RunInfoMessage ToInfo(Run run) => new()
    {
        RunId = run.RunId,
        RunUuid = run.RunId,
        RunName = run.Name ?? "",
        ExperimentId = run.ExperimentId,
        UserId = run.User ?? "",
        Status = run.Status == RunStatus.CRASHED ? nameof(RunStatus.FAILED) : run.Status.ToString(),
        StartTime = run.StartTime,
        EndTime = run.EndTime,
        ArtifactUri = RunArtifactUri(run.ExperimentId, run.RunId),
        LifecycleStage = run.LifecycleStage,
    };

    /// <summary>The run's tags plus the mlflow.* tags MLflow derives from attributes (name, user, parent, git commit).</summary>
    private static Dictionary<string, string> TagsOf(Run run)
    {
        var tags = new Dictionary<string, string>(run.Tags, StringComparer.Ordinal);
        if (run.Name is { Length: > 0 } name) tags[RunNameTag] = name;
        if (run.User is { Length: > 0 } user) tags.TryAdd(UserTag, user);
        if (run.ParentRunId is { } parent) tags.TryAdd(ParentRunTag, parent);
        if (run.Git.Commit is { } commit) tags.TryAdd(GitCommitTag, commit);
        if (run.Status == RunStatus.CRASHED) tags[StatusTag] = nameof(RunStatus.CRASHED);
        return tags;
    }

    public static ExperimentMessage ToMessage(Experiment e) => new()
    {
        ExperimentId = e.ExperimentId,
        Name = e.Name,
        ArtifactLocation = e.ArtifactLocation ?? ExperimentArtifactLocation(e.ExperimentId),
        LifecycleStage = e.LifecycleStage,
        CreationTime = e.CreationTime,
        LastUpdateTime = e.LastUpdateTime,
        Tags = e.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValueMessage { Key = t.Key, Value = t.Value }).ToList(),
    };

    /// <summary>MLflow's RunStatus by name or protobuf number (1 RUNNING … 5 KILLED), plus MLTrack's CRASHED.</summary>
    public static RunStatus ParseStatus(string text, string field) => text switch
    {
        "1" => RunStatus.RUNNING,
        "2" => RunStatus.SCHEDULED,
        "3" => RunStatus.FINISHED,
        "4" => RunStatus.FAILED,
        "5" => RunStatus.KILLED,
        _ when Enum.TryParse<RunStatus>(text, ignoreCase: false, out var s) && Enum.IsDefined(s) && !text.All(char.IsDigit) => s,
        _ => throw ApiException.InvalidParameter(
            $"Invalid value '{text}' for parameter '{field}': expected one of {string.Join(", ", Enum.GetNames<RunStatus>())}."),
    };

    /// <summary>MLflow's ViewType by name or protobuf number (1 ACTIVE_ONLY, 2 DELETED_ONLY, 3 ALL); default active only.</summary>
    public static ViewType ParseViewType(string? text, string field) => text switch
    {
        null or "" or "ACTIVE_ONLY" or "1" => ViewType.ActiveOnly,
        "DELETED_ONLY" or "2" => ViewType.DeletedOnly,
        "ALL" or "3" => ViewType.All,
        _ => throw ApiException.InvalidParameter($"Invalid value '{text}' for parameter '{field}': expected ACTIVE_ONLY, DELETED_ONLY or ALL."),
    };
}
