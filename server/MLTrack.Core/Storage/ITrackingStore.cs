namespace MLTrack.Core.Storage;

/// <summary>
/// The tracking store, as one object made of its areas (as MLflow's abstract store is): runs, metrics, lineage,
/// artifact records, text search, deployments, reports, preferences, analytics and accounts (users, tokens, teams, audit),
/// plus the feed of its changes.
/// Each area has its own contract test suite that every implementation passes. Every method is durable when it
/// returns. Failures are <see cref="StoreException"/> with an MLflow-style code.
/// Implementations: SQLite (embedded default), PostgreSQL (team); <see cref="StoreFactory"/> opens either from a path or URI.
/// </summary>
public interface ITrackingStore : IRunStore, IMetricStore, ILineageStore, IArtifactRecordStore, ITextSearchStore,
    IDeploymentStore, IReportStore, IPreferenceStore, IAnalyticsStore, IAccountStore, IChangeFeedSource, IDisposable
{
    /// <summary>Human-readable location (file path or connection target without password) for messages.</summary>
    string Location { get; }

    /// <summary>Folder under which each run's artifacts live as <c>&lt;root&gt;/&lt;run_id&gt;/</c>.</summary>
    string ArtifactRoot { get; }

    /// <summary>One cheap round trip: reachable, and at the schema version this build reads. Never throws.</summary>
    StoreHealth CheckHealth();
}
