namespace MLTrack.Core.Storage;

/// <summary>What a <see cref="StoreChange"/> reports.</summary>
public enum StoreChangeKind
{
    /// <summary>A run was created.</summary>
    RunCreated,
    /// <summary>A run's attributes changed; <see cref="StoreChange.Fields"/> says which.</summary>
    RunUpdated,
    /// <summary>A run was marked deleted (or removed for good).</summary>
    RunDeleted,
    /// <summary>A deleted run was made active again.</summary>
    RunRestored,
    /// <summary>Metric points were appended to a run; <see cref="StoreChange.Keys"/> names the series.</summary>
    MetricsAppended,
    /// <summary>A deployment record was saved or deleted.</summary>
    DeploymentChanged,
    /// <summary>A user's preferences were saved.</summary>
    PreferencesChanged,
}
