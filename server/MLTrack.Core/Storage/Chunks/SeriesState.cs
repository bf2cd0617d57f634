using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// The per-(run, key) digest row of a chunked series: count, NaN-ignoring min/max, the latest point, and where the
/// chunks end. Each store loads it (locked) within its write transaction, folds the new points in with
/// <see cref="ChunkLayout.Append"/>, and saves it in the same transaction.
/// </summary>
internal sealed class SeriesState
{
    public long Count;
    public long LastStep = long.MinValue, LastTimestamp = long.MinValue;
    public double LastValue;
    public double Min = double.NaN, Max = double.NaN;
    public long ChunkCount;
    public int TailPoints;

    /// <summary>Folds points into count, min/max (NaN ignored) and latest (highest step, then newest timestamp, as MLflow).</summary>
    public void Absorb(ReadOnlySpan<SeriesPoint> points)
    {
        foreach (var p in points)
        {
            Count++;
            if (!double.IsNaN(p.Value))
            {
                if (!(p.Value >= Min)) Min = p.Value;
                if (!(p.Value <= Max)) Max = p.Value;
            }
            if (p.Step > LastStep || (p.Step == LastStep && p.Timestamp >= LastTimestamp))
            {
                LastStep = p.Step;
                LastTimestamp = p.Timestamp;
                LastValue = p.Value;
            }
        }
    }
}
