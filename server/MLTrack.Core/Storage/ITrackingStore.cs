using MLTrack.Core.Artifacts;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Storage;

/// <summary>
/// The tracking store: experiments, runs, params, tags, metrics and artifact records.
/// Every method is durable when it returns. Failures are <see cref="StoreException"/> with an MLflow-style code.
/// Implementations: SQLite (embedded default); PostgreSQL (team) joins under the same contract tests.
/// </summary>
public interface ITrackingStore : IDisposable
{
    /// <summary>Human-readable location (file path or connection target) for messages.</summary>
    string Location { get; }

    /// <summary>Folder under which each run's artifacts live as <c>&lt;root&gt;/&lt;run_id&gt;/</c>.</summary>
    string ArtifactRoot { get; }

    // Experiments
    Experiment CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null);
    Experiment GetExperiment(string experimentId);
    Experiment? FindExperimentByName(string name);
    /// <summary>The experiment with that name, created when missing (the launcher's <c>--experiment</c>).</summary>
    Experiment GetOrCreateExperiment(string name);
    IReadOnlyList<Experiment> ListExperiments(ViewType view = ViewType.ActiveOnly);
    void RenameExperiment(string experimentId, string newName);
    void SetExperimentTag(string experimentId, string key, string value);
    void DeleteExperiment(string experimentId);
    void RestoreExperiment(string experimentId);
    /// <summary>Active runs per experiment id; experiments without runs are absent.</summary>
    IReadOnlyDictionary<string, int> CountRunsByExperiment();

    // Runs
    Run CreateRun(NewRun run);
    Run GetRun(string runId);
    /// <summary>Full id from a full id or a unique prefix of at least 6 characters.</summary>
    string ResolveRunId(string idOrPrefix);
    void UpdateRun(string runId, RunUpdate update);
    void DeleteRun(string runId);
    void RestoreRun(string runId);
    RunPage SearchRuns(RunQuery query);
    /// <summary>Runs still marked RUNNING, for crash recovery.</summary>
    IReadOnlyList<Run> ListRunningRuns();

    // Params, tags, metrics
    /// <summary>Writes metrics, params and tags atomically. A param already set to a different value is refused.</summary>
    void LogBatch(string runId, RunBatch batch);
    void SetTag(string runId, string key, string value);
    void DeleteTag(string runId, string key);
    IReadOnlyList<MetricSummary> GetMetricSummaries(string runId);
    /// <summary>Every point of one key in step order (then timestamp), optionally restricted to [fromStep, toStep].</summary>
    IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null);
    /// <summary>The series over [fromStep, toStep] (default: all of it) cut into at most <paramref name="buckets"/> equal step ranges.</summary>
    IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null);

    // Lineage: files read and written
    /// <summary>Records files a run read or wrote; the same (direction, path) again replaces the earlier record.</summary>
    void RecordRunFiles(string runId, IReadOnlyList<Lineage.RunFile> files);
    IReadOnlyList<Lineage.RunFile> ListRunFiles(string runId);
    /// <summary>Active runs that read or wrote a file with this content hash, with the matching record.</summary>
    IReadOnlyList<(string RunId, Lineage.RunFile File)> FindRunsByFile(string sha256);

    // Artifacts
    void RecordArtifact(string runId, ArtifactInfo artifact);
    IReadOnlyList<ArtifactInfo> ListArtifacts(string runId);

    // Full-text search
    /// <summary>
    /// Ranked hits across run names and ids, experiments, params, tags, metric keys and artifact paths: each word of
    /// <paramref name="query"/> as a prefix, bm25 plus a recency boost, one typo tolerated when that finds too little.
    /// Deleted runs and experiments are left out. At most <paramref name="limit"/> (1..200) hits, best first.
    /// </summary>
    IReadOnlyList<Search.Text.SearchHit> SearchText(string query, int limit);

    // Deployments
    /// <summary>Inserts or replaces the record with its id.</summary>
    void SaveDeployment(Deploy.DeploymentRecord deployment);
    /// <summary>The record, or null when there is none with that id.</summary>
    Deploy.DeploymentRecord? FindDeployment(string deploymentId);
    /// <summary>Deployments, newest first; only <paramref name="runId"/>'s when given.</summary>
    IReadOnlyList<Deploy.DeploymentRecord> ListDeployments(string? runId = null);
    /// <summary>Removes the record; false when there was none.</summary>
    bool DeleteDeployment(string deploymentId);

    // Analytics: aggregates over the active runs that STARTED in each period (periods are contiguous, ascending)
    /// <summary>Per period: runs started, finished, failed (incl. CRASHED), hours of those that ended, distinct experiments and users.</summary>
    IReadOnlyList<Analytics.PeriodActivity> AggregateRuns(IReadOnlyList<Analytics.Period> periods, Analytics.RunScope scope);
    /// <summary>Per period: the best of <paramref name="key"/> (each run's max, or min when lower is better) and its run; null without values.</summary>
    IReadOnlyList<Analytics.PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Analytics.Period> periods, Analytics.RunScope scope, string key, bool higherIsBetter);
    /// <summary>
    /// Per experiment with active runs in scope that started in [from, to): its activity (Experiments is 1) and the
    /// start of its newest such run. One pass over the window.
    /// </summary>
    IReadOnlyList<(string ExperimentId, Analytics.PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, Analytics.RunScope scope);
    /// <summary>Distinct experiments and users of the active runs in scope that started in [from, to).</summary>
    (int Experiments, int Users) CountDistinct(long from, long to, Analytics.RunScope scope);
    /// <summary>Start time of the oldest active run in scope; null when there is none.</summary>
    long? FirstRunStart(Analytics.RunScope scope);
    /// <summary>Distinct users of active runs, sorted.</summary>
    IReadOnlyList<string> ListRunUsers();
    /// <summary>Distinct metric keys, sorted.</summary>
    IReadOnlyList<string> ListMetricKeys();

    // Reports
    /// <summary>Inserts or replaces the record with its id.</summary>
    void SaveReport(Reports.ReportRecord report);
    Reports.ReportRecord? FindReport(string reportId);
    /// <summary>Reports whose window overlaps [from, to) (either bound optional), of one type when given; newest first.</summary>
    IReadOnlyList<Reports.ReportRecord> ListReports(long? from = null, long? to = null, string? type = null);
    bool DeleteReport(string reportId);

    // Preferences of the browser UI, per user, as a JSON object
    string? GetPreferences(string user);
    void SavePreferences(string user, string json);
}
