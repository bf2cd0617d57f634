using System.Diagnostics;
using System.Globalization;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Bench;

/// <summary>Issue 2's targets: metric ingest, history reads, and filter+sort over many runs, on the SQLite store.</summary>
public static class StoreBench
{
    private const int Points = 1_000_000, Batch = 1_000;
    private const int SearchRuns = 100_000;
    private const int LongPoints = 10_000_000, LongBatch = 16 * 4096; // batches of whole chunks: ~2,440 chunks of 4,096 points

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var ingest = Enumerable.Range(0, 3).Select(i => Ingest(ctx, i)).Order().ToList();
        double rate = ingest[1];
        yield return new("store", "ingest 1,000,000 points, batches of 1,000 (one run)", $"{rate / 1e6:0.00} M points/s", "≥ 2 M points/s", rate >= 2_000_000);

        using (var store = SqliteTrackingStore.Open(Path.Combine(ctx.ScratchDir, "ingest-0.db")))
        {
            var runId = store.SearchRuns(new RunQuery { MaxResults = 1 }).Runs[0].RunId;
            int count = 0;
            double history = Timing.MedianMs(() => count = store.GetMetricHistory(runId, "loss").Count);
            if (count != Points) throw new InvalidOperationException($"history returned {count} points, expected {Points}");
            yield return new("store", "full history of a 1,000,000-point series", $"{history:0.0} ms", "≤ 150 ms", history <= 150);
            double buckets = Timing.MedianMs(() => count = store.GetMetricBuckets(runId, "loss", 1000).Count);
            if (count != 1000) throw new InvalidOperationException($"got {count} buckets, expected 1000");
            yield return new("store", "1,000-bucket summary of it", $"{buckets:0.0} ms", "≤ 30 ms", buckets <= 30);
            double zoom = Timing.MedianMs(() => store.GetMetricBuckets(runId, "loss", 1000, 400_000, 410_000));
            yield return new("store", "1,000-bucket summary of a 10,000-step zoom", $"{zoom:0.0} ms", "(none)", true);
        }

        using (var store = LongSeries(ctx))
        {
            var runId = store.SearchRuns(new RunQuery { MaxResults = 1 }).Runs[0].RunId;
            IReadOnlyList<MetricBucket> result = [];
            double wide = Timing.MedianMs(() => result = store.GetMetricBuckets(runId, "loss", 1366));
            if (result.Count != 1366 || result.Sum(b => b.Count) != LongPoints)
                throw new InvalidOperationException($"got {result.Count} buckets of {result.Sum(b => b.Count)} points, expected 1366 of {LongPoints}");
            yield return new("store", $"1,366-bucket summary of a {LongPoints:N0}-point series", $"{wide:0.0} ms", "≤ 50 ms", wide <= 50);
            double thousand = Timing.MedianMs(() => store.GetMetricBuckets(runId, "loss", 1000));
            yield return new("store", "1,000-bucket summary of it", $"{thousand:0.0} ms", "(none)", true);
            double mid = Timing.MedianMs(() => store.GetMetricBuckets(runId, "loss", 1000, 4_000_000, 4_999_999));
            yield return new("store", "1,000-bucket summary of a 1,000,000-step zoom of it", $"{mid:0.0} ms", "(none)", true);
            double narrow = Timing.MedianMs(() => store.GetMetricBuckets(runId, "loss", 1000, 4_000_000, 4_009_999));
            yield return new("store", "1,000-bucket summary of a 10,000-step zoom of it", $"{narrow:0.0} ms", "(none)", true);
        }

        using (var store = SeededRuns(ctx))
        {
            var query = new RunQuery
            {
                Filter = "metrics.m0 > 0.5 and params.p1 = 'v3'",
                OrderBy = ["metrics.m1 DESC"],
                MaxResults = 100,
            };
            int found = 0;
            double search = Timing.MedianMs(() => found = store.SearchRuns(query).Runs.Count);
            if (found == 0) throw new InvalidOperationException("search found nothing: the seed is wrong");
            yield return new("store", $"filter + sort over {SearchRuns:N0} runs (10 params, 5 metrics each), first 100", $"{search:0.0} ms", "≤ 100 ms", search <= 100);
            double sortOnly = Timing.MedianMs(() => store.SearchRuns(new RunQuery { OrderBy = ["metrics.m2 ASC"], MaxResults = 100 }));
            yield return new("store", $"sort by a metric over {SearchRuns:N0} runs, first 100", $"{sortOnly:0.0} ms", "(none)", true);
        }
    }

    private static double Ingest(BenchContext ctx, int i)
    {
        var path = Path.Combine(ctx.ScratchDir, $"ingest-{i}.db");
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        using var store = SqliteTrackingStore.Open(path);
        var run = store.CreateRun(new NewRun { Name = "ingest" });
        var batches = new List<MetricPoint[]>(Points / Batch);
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int b = 0; b < Points / Batch; b++)
        {
            var batch = new MetricPoint[Batch];
            for (int j = 0; j < Batch; j++)
            {
                int step = b * Batch + j;
                batch[j] = new MetricPoint("loss", 1.0 / (1 + step) + Math.Sin(step) * 0.01, t0 + step / 10, step);
            }
            batches.Add(batch);
        }
        var sw = Stopwatch.StartNew();
        foreach (var batch in batches) store.LogMetrics(run.RunId, batch);
        return Points / sw.Elapsed.TotalSeconds;
    }

    /// <summary>100,000 runs seeded through the public API once, then reused from the scratch folder.</summary>
    private static SqliteTrackingStore SeededRuns(BenchContext ctx)
    {
        var path = Path.Combine(ctx.ScratchDir, $"runs-{SearchRuns}-v{SqliteTrackingStore.SchemaVersion}.db");
        if (File.Exists(path)) return SqliteTrackingStore.Open(path);
        var tmp = path + ".partial";
        foreach (var f in new[] { tmp, tmp + "-wal", tmp + "-shm" }) File.Delete(f);
        var sw = Stopwatch.StartNew();
        using (var store = SqliteTrackingStore.Open(tmp))
        {
            var rng = new Random(42);
            var experiments = Enumerable.Range(0, 10).Select(e => store.CreateExperiment($"exp-{e}").ExperimentId).ToArray();
            for (int i = 0; i < SearchRuns; i++)
            {
                var run = store.CreateRun(new NewRun { ExperimentId = experiments[i % 10], Name = $"run-{i}", StartTime = 1_700_000_000_000 + i * 60_000L });
                store.LogBatch(run.RunId, new RunBatch
                {
                    Params = Enumerable.Range(0, 10).Select(p => new KeyValuePair<string, string>($"p{p}", $"v{rng.Next(10)}")).ToList(),
                    Metrics = Enumerable.Range(0, 5).Select(m => new MetricPoint($"m{m}", rng.NextDouble(), 1, 1)).ToList(),
                });
                if (i % 10_000 == 0) Console.Error.Write($"\r  seeding {i:N0}/{SearchRuns:N0} runs...");
            }
        }
        Console.Error.WriteLine($"\r  seeded {SearchRuns:N0} runs in {sw.Elapsed.TotalSeconds:0}s        ");
        SqliteConnectionPoolReset();
        File.Move(tmp, path);
        return SqliteTrackingStore.Open(path);
    }

    /// <summary>One run with a 10,000,000-point "loss" series, seeded through the public API once, then reused from the scratch folder.</summary>
    private static SqliteTrackingStore LongSeries(BenchContext ctx)
    {
        var path = Path.Combine(ctx.ScratchDir, $"runs-long-series-{LongPoints}-v{SqliteTrackingStore.SchemaVersion}.db");
        if (File.Exists(path)) return SqliteTrackingStore.Open(path);
        var tmp = path + ".partial";
        foreach (var f in new[] { tmp, tmp + "-wal", tmp + "-shm" }) File.Delete(f);
        var sw = Stopwatch.StartNew();
        using (var store = SqliteTrackingStore.Open(tmp))
        {
            var run = store.CreateRun(new NewRun { Name = "long" });
            long t0 = 1_700_000_000_000;
            var batch = new List<MetricPoint>(LongBatch);
            for (int step = 0; step < LongPoints; step++)
            {
                batch.Add(new MetricPoint("loss", 1.0 / (1 + step) + Math.Sin(step) * 0.01, t0 + step / 10, step));
                if (batch.Count == LongBatch || step == LongPoints - 1)
                {
                    store.LogMetrics(run.RunId, batch);
                    batch.Clear();
                }
            }
        }
        Console.Error.WriteLine($"  seeded a {LongPoints:N0}-point series in {sw.Elapsed.TotalSeconds:0}s");
        SqliteConnectionPoolReset();
        File.Move(tmp, path);
        return SqliteTrackingStore.Open(path);
    }

    private static void SqliteConnectionPoolReset() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
