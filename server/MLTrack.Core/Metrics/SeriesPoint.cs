namespace MLTrack.Core.Metrics;

/// <summary>A point of one known series (the key is implied), as returned by history reads.</summary>
public readonly record struct SeriesPoint(long Step, long Timestamp, double Value);
