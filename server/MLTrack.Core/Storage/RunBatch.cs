using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage;

/// <summary>What one log-batch call writes, atomically: all of it or none.</summary>
public sealed record RunBatch
{
    public IReadOnlyList<MetricPoint> Metrics { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Params { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
}
