namespace MLTrack.Core.Reports.Insights;

/// <summary>What an insight is about. The order is the order of importance within one severity.</summary>
public enum InsightKind
{
    Divergence,
    FailureSpike,
    Regression,
    StrongParameter,
    TrainingCurve,
    BestVsMedian,
    StaleExperiment,
}

public enum InsightSeverity
{
    Info,
    Warning,
}

/// <summary>
/// A finding computed from the data (never generated prose): a sentence with the numbers, the runs and experiments it
/// refers to, and <see cref="Magnitude"/> (how strong it is, on the kind's own scale) to rank findings of one kind.
/// </summary>
public sealed record Insight(
    InsightKind Kind,
    InsightSeverity Severity,
    string Text,
    IReadOnlyList<string> RunIds,
    IReadOnlyList<string> ExperimentIds,
    double Magnitude)
{
    public string KindName => Kind switch
    {
        InsightKind.Divergence => "Diverged",
        InsightKind.FailureSpike => "Failure spike",
        InsightKind.Regression => "Regression",
        InsightKind.StrongParameter => "Strong parameter",
        InsightKind.TrainingCurve => "Training curve",
        InsightKind.BestVsMedian => "Best run",
        _ => "Stale experiment",
    };
}
