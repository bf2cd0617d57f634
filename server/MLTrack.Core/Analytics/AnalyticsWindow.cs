namespace MLTrack.Core.Analytics;

/// <summary>
/// A resolved analytics window: [<see cref="From"/>, <see cref="To"/>) in Unix ms, widened to whole periods of
/// <see cref="Granularity"/> in <see cref="Zone"/>. <see cref="Note"/> says why the granularity differs from the one
/// asked for. An empty window (From == To) has no periods.
/// </summary>
public sealed record AnalyticsWindow(long From, long To, TimeZoneInfo Zone, Granularity Granularity, string? Note)
{
    public bool IsEmpty => To <= From;
}
