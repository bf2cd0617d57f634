namespace MLTrack.Bench;

/// <summary>One measured figure against its target. Display is what the table shows, e.g. "2.4 M points/s".</summary>
public sealed record BenchResult(string Suite, string Name, string Display, string Target, bool Met, string? Note = null);
