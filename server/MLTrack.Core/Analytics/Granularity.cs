namespace MLTrack.Core.Analytics;

/// <summary>The length of one analytics period, cut in local time: an hour, a calendar day, an ISO week (Monday first), a calendar month.</summary>
public enum Granularity
{
    Hour,
    Day,
    Week,
    Month,
}
