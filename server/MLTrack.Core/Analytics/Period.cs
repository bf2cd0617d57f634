namespace MLTrack.Core.Analytics;

/// <summary>One period of a window: [Start, End) in Unix ms and its local label ("2026-03-29", "2026-W13", "2026-03", "2026-03-29 14:00").</summary>
public readonly record struct Period(long Start, long End, string Label);
