namespace MLTrack.Core.Analytics;

/// <summary>
/// The runs that started in one period: how many, how many ended FINISHED and FAILED (CRASHED counts as failed),
/// the wall-clock hours of those that ended, and how many distinct experiments and users they belong to.
/// </summary>
public sealed record PeriodActivity(int Started, int Finished, int Failed, double ComputeHours, int Experiments, int Users)
{
    public static PeriodActivity None { get; } = new(0, 0, 0, 0, 0, 0);
}
