namespace MLTrack.Core.Reports;

/// <summary>Where report generation is: a stage to show and the share done (0..1).</summary>
public readonly record struct ReportProgress(string Stage, double Fraction);
