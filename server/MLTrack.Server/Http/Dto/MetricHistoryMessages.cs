namespace MLTrack.Server.Http.Dto;

internal sealed class GetMetricHistoryRequest : RunRequest
{
    public string? MetricKey { get; init; }
    public long? MaxResults { get; init; }
    public string? PageToken { get; init; }
}

internal sealed class GetMetricHistoryResponse
{
    public required IReadOnlyList<MetricMessage> Metrics { get; init; }
    public string? NextPageToken { get; init; }
}
