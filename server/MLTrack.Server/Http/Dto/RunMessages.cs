using System.Text.Json.Serialization;

namespace MLTrack.Server.Http.Dto;

// Requests and replies of /api/2.0/mlflow/runs/*, field for field as MLflow's service.proto names them.

internal sealed class RunMessage
{
    public required RunInfoMessage Info { get; init; }
    public required RunDataMessage Data { get; init; }
}

internal sealed class RunInfoMessage
{
    public required string RunId { get; init; }
    /// <summary>MLflow's deprecated duplicate of run_id, still read by older clients.</summary>
    public required string RunUuid { get; init; }
    public required string RunName { get; init; }
    public required string ExperimentId { get; init; }
    public required string UserId { get; init; }
    public required string Status { get; init; }
    public long StartTime { get; init; }
    public long? EndTime { get; init; }
    public required string ArtifactUri { get; init; }
    public required string LifecycleStage { get; init; }
}

internal sealed class RunDataMessage
{
    public required IReadOnlyList<MetricMessage> Metrics { get; init; }
    public required IReadOnlyList<KeyValueMessage> Params { get; init; }
    public required IReadOnlyList<KeyValueMessage> Tags { get; init; }
}

/// <summary>Fields shared by requests addressed to one run: MLflow clients send run_id, older ones run_uuid.</summary>
internal abstract class RunRequest
{
    public string? RunId { get; init; }
    public string? RunUuid { get; init; }

    public string RequireRunId() => RunId is { Length: > 0 } id ? id : RunUuid is { Length: > 0 } uuid ? uuid : throw ApiException.MissingParameter("run_id");
}

internal sealed class RunIdRequest : RunRequest;

internal sealed class CreateRunRequest
{
    /// <summary>MLTrack extension: a client-chosen id (32 lowercase hex) so an offline client can replay its spool.</summary>
    public string? RunId { get; init; }
    [JsonConverter(typeof(ProtobufTextConverter))] public string? ExperimentId { get; init; }
    /// <summary>MLTrack extension: the experiment by name (created when missing), for clients that spooled offline and never learned its id.</summary>
    public string? MltrackExperimentName { get; init; }
    public string? UserId { get; init; }
    public string? RunName { get; init; }
    public long? StartTime { get; init; }
    public List<KeyValueMessage>? Tags { get; init; }
}

internal sealed class RunResponse
{
    public required RunMessage Run { get; init; }
}

internal sealed class UpdateRunRequest : RunRequest
{
    [JsonConverter(typeof(ProtobufTextConverter))] public string? Status { get; init; }
    public long? EndTime { get; init; }
    public string? RunName { get; init; }
}

internal sealed class UpdateRunResponse
{
    public required RunInfoMessage RunInfo { get; init; }
}

internal sealed class SearchRunsRequest
{
    [JsonConverter(typeof(ProtobufTextListConverter))] public List<string>? ExperimentIds { get; init; }
    public string? Filter { get; init; }
    [JsonConverter(typeof(ProtobufTextConverter))] public string? RunViewType { get; init; }
    public long? MaxResults { get; init; }
    public List<string>? OrderBy { get; init; }
    public string? PageToken { get; init; }
}

internal sealed class SearchRunsResponse
{
    public required IReadOnlyList<RunMessage> Runs { get; init; }
    public string? NextPageToken { get; init; }
}

internal sealed class LogMetricRequest : RunRequest
{
    public string? Key { get; init; }
    public double? Value { get; init; }
    public long? Timestamp { get; init; }
    public long? Step { get; init; }
}

internal sealed class LogBatchRequest : RunRequest
{
    public List<MetricMessage>? Metrics { get; init; }
    public List<KeyValueMessage>? Params { get; init; }
    public List<KeyValueMessage>? Tags { get; init; }
    /// <summary>MLTrack extension: a batch with the same id for the same run is applied once (retries, spool replays).</summary>
    public string? MltrackBatchId { get; init; }
}

internal sealed class KeyValueRunRequest : RunRequest
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

internal sealed class DeleteTagRequest : RunRequest
{
    public string? Key { get; init; }
}
