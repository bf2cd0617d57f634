using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// Several store instances on one database stand for several replicas: their appends to one series, on many
/// connections at once, lose and duplicate nothing, and a retried batch is applied once.
/// </summary>
public sealed class PostgresConcurrentAppendTests : IDisposable
{
    private const int Replicas = 3, Writers = 6, BatchesPerWriter = 120;

    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;
    private readonly List<PostgresTrackingStore> _stores = [];

    public PostgresConcurrentAppendTests()
    {
        for (int i = 0; i < Replicas; i++) _stores.Add(PostgresTrackingStore.Open(_db.Uri, _artifacts));
    }

    public void Dispose()
    {
        foreach (var s in _stores) s.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public void Concurrent_appends_from_several_replicas_lose_and_duplicate_no_point()
    {
        var runId = _stores[0].CreateRun(new NewRun { Name = "shared" }).RunId;
        var logged = new List<MetricPoint>[Writers];
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            var store = _stores[w % Replicas];
            var rng = new Random(w);
            var mine = logged[w] = [];
            long i = 0;
            for (int b = 0; b < BatchesPerWriter; b++)
            {
                // Mostly single points, so writers keep rewriting the same small tail chunk; now and then a bigger,
                // two-key batch. Steps are unique per writer: w, w + Writers, ...
                int size = rng.Next(8) == 0 ? rng.Next(2, 400) : 1;
                var batch = new List<MetricPoint>(size);
                for (int k = 0; k < size; k++, i++)
                    batch.Add(new MetricPoint(k % 2 == 0 ? "loss" : "acc", w * 1000 + i, w, w + Writers * i));
                store.LogMetrics(runId, batch);
                mine.AddRange(batch);
            }
        });

        var all = logged.SelectMany(x => x).ToList();
        foreach (var key in new[] { "loss", "acc" })
        {
            var expected = all.Where(p => p.Key == key).Select(p => (p.Step, p.Timestamp, p.Value)).Order().ToList();
            var history = _stores[1].GetMetricHistory(runId, key);
            Assert.Equal(expected, history.Select(p => (p.Step, p.Timestamp, p.Value)).ToList());
            Assert.Equal(expected.Count, _stores[2].GetMetricSummaries(runId).Single(m => m.Key == key).Count);
            var buckets = _stores[0].GetMetricBuckets(runId, key, 7);
            Assert.Equal(expected.Count, buckets.Sum(b => b.Count));
        }
        // Every series' chunks are numbered 0..chunk_count-1 and hold exactly its points; the tail count is the last chunk's.
        Assert.Equal(0L, _db.Scalar("""
            SELECT count(*) FROM metric_series s
            WHERE s.point_count <> (SELECT sum(point_count) FROM metric_chunks c WHERE c.run_id = s.run_id AND c.key = s.key)
               OR s.chunk_count <> (SELECT count(*) FROM metric_chunks c WHERE c.run_id = s.run_id AND c.key = s.key)
               OR s.chunk_count - 1 <> (SELECT max(seq) FROM metric_chunks c WHERE c.run_id = s.run_id AND c.key = s.key)
               OR s.tail_points <> (SELECT point_count FROM metric_chunks c WHERE c.run_id = s.run_id AND c.key = s.key AND c.seq = s.chunk_count - 1)
            """));
        Assert.True(Convert.ToInt64(_db.Scalar("SELECT count(*) FROM metric_chunks")) < all.Count / 20, "single points were merged into few chunks");
    }

    [Fact]
    public void Concurrent_first_appends_of_new_keys_create_each_series_once()
    {
        var runId = _stores[0].CreateRun(new NewRun { Name = "fresh" }).RunId;
        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, w =>
        {
            // Every writer starts with keys the others are creating at the same moment, in a different order.
            var keys = Enumerable.Range(0, 5).Select(k => $"k{(k + w) % 5}").ToList();
            _stores[w % Replicas].LogMetrics(runId, keys.Select(k => new MetricPoint(k, w, 0, w)).ToList());
        });
        var summaries = _stores[0].GetMetricSummaries(runId);
        Assert.Equal(5, summaries.Count);
        Assert.All(summaries, m => Assert.Equal(Writers, m.Count));
        Assert.All(summaries, m => Assert.Equal((double)Writers - 1, m.Latest));
    }

    [Fact]
    public void A_batch_retried_on_another_replica_is_applied_once()
    {
        var runId = _stores[0].CreateRun(new NewRun { Name = "retry" }).RunId;
        var batch = new RunBatch
        {
            Metrics = Enumerable.Range(0, 500).Select(i => new MetricPoint("loss", i, 1, i)).ToList(),
            IdempotencyKey = "batch-1",
        };
        Parallel.For(0, Replicas, r => _stores[r].LogBatch(runId, batch)); // a lost reply retried everywhere at once
        _stores[1].LogBatch(runId, batch);
        Assert.Equal(500, _stores[2].GetMetricHistory(runId, "loss").Count);
        Assert.Equal(500, _stores[2].GetMetricSummaries(runId).Single().Count);
    }
}
