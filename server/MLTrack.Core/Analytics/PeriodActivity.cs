namespace MLTrack.Core.Analytics;

/// <summary>
/// The runs that started in one period: how many, how many ended FINISHED and FAILED (CRASHED counts as failed),
/// the wall-clock hours of those that ended, and how many distinct experiments and users they belong to.
/// </summary>
public sealed record PeriodActivity(int Started, int Finished, int Failed, double ComputeHours, int Experiments, int Users)
{
    public static PeriodActivity None { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>
    /// The activity of a window from its periods' (which must cover it exactly): the counts and hours add up; distinct
    /// experiments and users do not, so they come from <see cref="Storage.ITrackingStore.CountDistinct"/>, asked only
    /// when the window has runs.
    /// </summary>
    public static PeriodActivity Total(IReadOnlyList<PeriodActivity> periods, Func<(int Experiments, int Users)> countDistinct)
    {
        var started = periods.Sum(a => a.Started);
        if (started == 0) return None;
        var (experiments, users) = countDistinct();
        return new PeriodActivity(started, periods.Sum(a => a.Finished), periods.Sum(a => a.Failed), periods.Sum(a => a.ComputeHours), experiments, users);
    }
}
