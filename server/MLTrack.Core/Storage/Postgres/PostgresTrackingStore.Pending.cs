using MLTrack.Core.Analytics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Search.Text;

namespace MLTrack.Core.Storage.Postgres;

// TEMPORARY scaffold while the areas are written in parallel: each area's author deletes its methods from here when
// its partial file implements them. This file must be gone before the issue is done.
public sealed partial class PostgresTrackingStore
{
    // IRunStore
    public Experiment CreateExperiment(string name, string? artifactLocation, IReadOnlyDictionary<string, string>? tags) => throw new NotImplementedException();
    public Experiment GetExperiment(string experimentId) => throw new NotImplementedException();
    public Experiment? FindExperimentByName(string name) => throw new NotImplementedException();
    public Experiment GetOrCreateExperiment(string name) => throw new NotImplementedException();
    public IReadOnlyList<Experiment> ListExperiments(ViewType view) => throw new NotImplementedException();
    public void RenameExperiment(string experimentId, string newName) => throw new NotImplementedException();
    public void SetExperimentTag(string experimentId, string key, string value) => throw new NotImplementedException();
    public void DeleteExperiment(string experimentId) => throw new NotImplementedException();
    public void RestoreExperiment(string experimentId) => throw new NotImplementedException();
    public IReadOnlyDictionary<string, int> CountRunsByExperiment() => throw new NotImplementedException();
    public Run CreateRun(NewRun run) => throw new NotImplementedException();
    public Run GetRun(string runId) => throw new NotImplementedException();
    public string ResolveRunId(string idOrPrefix) => throw new NotImplementedException();
    public void UpdateRun(string runId, RunUpdate update) => throw new NotImplementedException();
    public void DeleteRun(string runId) => throw new NotImplementedException();
    public void RestoreRun(string runId) => throw new NotImplementedException();
    public RunPage SearchRuns(RunQuery query) => throw new NotImplementedException();
    public IReadOnlyList<Run> ListRunningRuns() => throw new NotImplementedException();
    public void LogBatch(string runId, RunBatch batch) => throw new NotImplementedException();
    public void SetTag(string runId, string key, string value) => throw new NotImplementedException();
    public void DeleteTag(string runId, string key) => throw new NotImplementedException();
    // IMetricStore
    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId) => throw new NotImplementedException();
    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep, long? toStep) => throw new NotImplementedException();
    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep, long? toStep) => throw new NotImplementedException();
    public IReadOnlyList<string> ListMetricKeys() => throw new NotImplementedException();
    // ILineageStore
    public void RecordRunFiles(string runId, IReadOnlyList<RunFile> files) => throw new NotImplementedException();
    public IReadOnlyList<RunFile> ListRunFiles(string runId) => throw new NotImplementedException();
    public IReadOnlyList<(string RunId, RunFile File)> FindRunsByFile(string sha256) => throw new NotImplementedException();
    // IArtifactRecordStore
    public void RecordArtifact(string runId, ArtifactInfo artifact) => throw new NotImplementedException();
    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId) => throw new NotImplementedException();
    // ITextSearchStore
    public IReadOnlyList<SearchHit> SearchText(string query, int limit) => throw new NotImplementedException();
    // IDeploymentStore
    public void SaveDeployment(DeploymentRecord deployment) => throw new NotImplementedException();
    public DeploymentRecord? FindDeployment(string deploymentId) => throw new NotImplementedException();
    public IReadOnlyList<DeploymentRecord> ListDeployments(string? runId) => throw new NotImplementedException();
    public bool DeleteDeployment(string deploymentId) => throw new NotImplementedException();
    // IReportStore
    public void SaveReport(ReportRecord report) => throw new NotImplementedException();
    public ReportRecord? FindReport(string reportId) => throw new NotImplementedException();
    public IReadOnlyList<ReportRecord> ListReports(long? from, long? to, string? type) => throw new NotImplementedException();
    public bool DeleteReport(string reportId) => throw new NotImplementedException();
    // IPreferenceStore
    public string? GetPreferences(string user) => throw new NotImplementedException();
    public void SavePreferences(string user, string json) => throw new NotImplementedException();
    // IAnalyticsStore
    public IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter) => throw new NotImplementedException();
    public IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope) => throw new NotImplementedException();
    public (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope) => throw new NotImplementedException();
    public long? FirstRunStart(RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<string> ListRunUsers() => throw new NotImplementedException();

    // IChangeFeedSource
    public IChangeFeed OpenChangeFeed(ChangeFeedOptions options) => throw new NotImplementedException();
}
