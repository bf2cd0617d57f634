namespace MLTrack.Core.Reports.Data;

/// <summary>
/// A metric of a run that went non-finite: the first NaN/±∞ point, the last finite one before it, and the lowest
/// value reached before (to tell a loss that climbed from one that broke at once). Steps are null when unknown.
/// </summary>
public sealed record DivergedSeries(
    string RunId,
    string? RunName,
    string ExperimentId,
    string Key,
    long? FirstBadStep,
    double FirstBadValue,
    long? LastFiniteStep,
    double? LastFiniteValue,
    double? MinBefore);
