using MLTrack.Core.Analytics;
using MLTrack.Core.Metrics;
using MLTrack.Core.Search.Text;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

// TEMPORARY scaffold while the areas are written in parallel: each area's author deletes its methods from here when
// its partial file implements them. This file must be gone before the issue is done.
public sealed partial class PostgresTrackingStore
{
    // IMetricStore
    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId) => throw new NotImplementedException();
    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep, long? toStep) => throw new NotImplementedException();
    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep, long? toStep) => throw new NotImplementedException();
    public IReadOnlyList<string> ListMetricKeys() => throw new NotImplementedException();
    // ITextSearchStore
    public IReadOnlyList<SearchHit> SearchText(string query, int limit) => throw new NotImplementedException();
    // IAnalyticsStore
    public IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter) => throw new NotImplementedException();
    public IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope) => throw new NotImplementedException();
    public (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope) => throw new NotImplementedException();
    public long? FirstRunStart(RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<string> ListRunUsers() => throw new NotImplementedException();
    // TEMPORARY until the metrics area's branch is merged: it writes this in PostgresTrackingStore.Metrics.cs; LogBatch calls it inside its transaction.
    private void AppendMetrics(NpgsqlConnection c, NpgsqlTransaction tx, string runId, IReadOnlyList<MetricPoint> metrics) => throw new NotImplementedException();
}
