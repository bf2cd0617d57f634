using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage;

/// <summary>What one log-batch call writes, atomically: all of it or none.</summary>
public sealed record RunBatch
{
    public IReadOnlyList<MetricPoint> Metrics { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Params { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
    /// <summary>
    /// When set, a batch with the same key for the same run is applied once only: a client that retries after a lost
    /// reply, or a spool replayed twice, adds no duplicate points.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
