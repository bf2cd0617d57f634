namespace MLTrack.Core.Storage;

/// <summary>
/// One change to the store, by any writer (this process, another process on the same file, another replica on the
/// same database). Carries what the store knew at no extra cost; consumers read the rest (the run, a deployment's
/// record) when they need it. A store may report one transaction's changes to one run as a single change.
/// </summary>
public sealed record StoreChange
{
    public required StoreChangeKind Kind { get; init; }

    /// <summary>The run, for run and metric changes, and a deployment's run when known.</summary>
    public string? RunId { get; init; }

    public string? ExperimentId { get; init; }

    /// <summary>For <see cref="StoreChangeKind.RunUpdated"/>: which attributes changed.</summary>
    public RunChangeFields Fields { get; init; }

    /// <summary>The run's status after the change, when known.</summary>
    public string? Status { get; init; }

    /// <summary>The run's name after the change, when known.</summary>
    public string? Name { get; init; }

    /// <summary>For <see cref="StoreChangeKind.MetricsAppended"/>: the keys that got points.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Latest values of metrics that got points, when the store read them anyway (else null: read the summaries).</summary>
    public IReadOnlyDictionary<string, double>? Latest { get; init; }

    /// <summary>For <see cref="StoreChangeKind.DeploymentChanged"/>.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>For <see cref="StoreChangeKind.PreferencesChanged"/>: whose preferences.</summary>
    public string? User { get; init; }
}
