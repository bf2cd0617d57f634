namespace MLTrack.Core.Analytics;

/// <summary>The best value of a metric over the runs that started in a period, and the run that reached it.</summary>
public sealed record PeriodBest(double Value, string RunId);
