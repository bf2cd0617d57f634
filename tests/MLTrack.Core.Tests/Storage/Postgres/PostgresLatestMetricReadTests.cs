using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// Runs carry their latest metric values and searches filter and sort by them, read from <c>metric_latest</c>
/// (the metrics area's view over its series), NaN included.
/// </summary>
public sealed class PostgresLatestMetricReadTests : IDisposable
{
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;
    private readonly PostgresTrackingStore _store;

    public PostgresLatestMetricReadTests()
    {
        _store = PostgresTrackingStore.Open(_db.Uri, _artifacts);
    }

    public void Dispose()
    {
        _store.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public void A_run_lists_its_latest_metrics_by_key_with_nan_kept()
    {
        var run = _store.CreateRun(new NewRun());
        _store.LogMetrics(run.RunId, [new MLTrack.Core.Metrics.MetricPoint("loss", double.NaN, 0, 7)]);
        _store.LogMetrics(run.RunId, [new MLTrack.Core.Metrics.MetricPoint("acc", 0.9, 0, 3)]);

        var metrics = _store.GetRun(run.RunId).Metrics;

        Assert.Equal(["acc", "loss"], metrics.Select(m => m.Key));
        Assert.Equal((0.9, 3L), (metrics[0].Latest, metrics[0].LatestStep));
        Assert.True(double.IsNaN(metrics[1].Latest));
    }

    [Fact]
    public void Search_filters_and_sorts_by_latest_metric_with_nan_last()
    {
        var runs = new[] { 0.5, 0.95, 0.8, double.NaN }.Select((acc, i) =>
        {
            var r = _store.CreateRun(new NewRun { Name = $"r{i}", StartTime = 1000 });
            _store.LogMetrics(r.RunId, [new MLTrack.Core.Metrics.MetricPoint("acc", acc, 0, 0)]);
            _store.LogParam(r.RunId, "lr", i % 2 == 0 ? "0.1" : "0.01");
            return r;
        }).ToList();

        var page = _store.SearchRuns(new RunQuery { Filter = "metrics.acc > 0.6", OrderBy = ["metrics.acc DESC"] });
        Assert.Equal(["r1", "r2"], page.Runs.Select(r => r.Name));
        var sorted = _store.SearchRuns(new RunQuery { OrderBy = ["metrics.acc ASC"] });
        Assert.Equal(["r0", "r2", "r1", "r3"], sorted.Runs.Select(r => r.Name));
        // Equal start times: the run created last comes first, as in SQLite.
        var byParam = _store.SearchRuns(new RunQuery { Filter = "params.lr = '0.01'" });
        Assert.Equal(["r3", "r1"], byParam.Runs.Select(r => r.Name));
    }

    [Fact]
    public void Search_without_details_returns_bare_runs()
    {
        var run = _store.CreateRun(new NewRun { Name = "bare" });
        _store.LogParam(run.RunId, "lr", "0.1");
        _store.LogMetrics(run.RunId, [new MLTrack.Core.Metrics.MetricPoint("acc", 0.9, 0, 0)]);

        var found = Assert.Single(_store.SearchRuns(new RunQuery { IncludeDetails = false }).Runs);

        Assert.Equal("bare", found.Name);
        Assert.Empty(found.Params);
        Assert.Empty(found.Metrics);
    }
}
