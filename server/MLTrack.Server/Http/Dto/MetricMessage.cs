namespace MLTrack.Server.Http.Dto;

/// <summary>One metric point: <c>{"key", "value", "timestamp", "step"}</c>; value may be "NaN", "Infinity" or "-Infinity".</summary>
internal sealed class MetricMessage
{
    public string? Key { get; init; }
    public double? Value { get; init; }
    public long? Timestamp { get; init; }
    public long? Step { get; init; }
}
