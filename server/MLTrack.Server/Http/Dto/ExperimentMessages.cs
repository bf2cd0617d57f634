using System.Text.Json.Serialization;

namespace MLTrack.Server.Http.Dto;

// Requests and replies of /api/2.0/mlflow/experiments/*, field for field as MLflow's service.proto names them.

internal sealed class ExperimentMessage
{
    public required string ExperimentId { get; init; }
    public required string Name { get; init; }
    public string? ArtifactLocation { get; init; }
    public required string LifecycleStage { get; init; }
    public long LastUpdateTime { get; init; }
    public long CreationTime { get; init; }
    public required IReadOnlyList<KeyValueMessage> Tags { get; init; }
}

internal sealed class CreateExperimentRequest
{
    public string? Name { get; init; }
    public string? ArtifactLocation { get; init; }
    public List<KeyValueMessage>? Tags { get; init; }
}

internal sealed class CreateExperimentResponse
{
    public required string ExperimentId { get; init; }
}

internal sealed class ExperimentIdRequest
{
    [JsonConverter(typeof(ProtobufTextConverter))] public string? ExperimentId { get; init; }
}

internal sealed class GetExperimentByNameRequest
{
    public string? ExperimentName { get; init; }
}

internal sealed class ExperimentResponse
{
    public required ExperimentMessage Experiment { get; init; }
}

internal sealed class SearchExperimentsRequest
{
    public long? MaxResults { get; init; }
    public string? PageToken { get; init; }
    public string? Filter { get; init; }
    public List<string>? OrderBy { get; init; }
    [JsonConverter(typeof(ProtobufTextConverter))] public string? ViewType { get; init; }
}

internal sealed class SearchExperimentsResponse
{
    public required IReadOnlyList<ExperimentMessage> Experiments { get; init; }
    public string? NextPageToken { get; init; }
}

internal sealed class UpdateExperimentRequest
{
    [JsonConverter(typeof(ProtobufTextConverter))] public string? ExperimentId { get; init; }
    public string? NewName { get; init; }
}

internal sealed class SetExperimentTagRequest
{
    [JsonConverter(typeof(ProtobufTextConverter))] public string? ExperimentId { get; init; }
    public string? Key { get; init; }
    public string? Value { get; init; }
}

/// <summary>The empty reply <c>{}</c> of calls that only change state.</summary>
internal sealed class EmptyResponse
{
    public static readonly EmptyResponse Instance = new();
}
