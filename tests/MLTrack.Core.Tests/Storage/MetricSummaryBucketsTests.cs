using Microsoft.Data.Sqlite;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Chunks;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage;

/// <summary>
/// Coarse bucket reads are folded from per-chunk sub-block summaries; whatever path answers, every bucket must be exact
/// for the steps it reports, and the buckets must be ordered, disjoint and cover every point in the range.
/// </summary>
public sealed class MetricSummaryBucketsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-summary-").FullName;
    private readonly SqliteTrackingStore _store;

    public MetricSummaryBucketsTests()
    {
        _store = SqliteTrackingStore.Open(DbPath);
    }

    private string DbPath => Path.Combine(_dir, "mltrack.db");

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string NewRun() => _store.CreateRun(new NewRun { Name = "r" }).RunId;

    [Fact]
    public void Buckets_from_summaries_agree_with_a_naive_fold_over_messy_series()
    {
        var rng = new Random(11);
        var runId = NewRun();
        string[] keys = ["loss", "acc", "lr", "grad"];
        var logged = keys.ToDictionary(k => k, _ => new List<(long Step, double Value)>());
        var next = keys.ToDictionary(k => k, _ => 0L);
        for (int batch = 0; batch < 260; batch++)
        {
            // Point-by-point appends (tail merges), small and big batches, several keys per batch.
            int size = (batch % 4) switch { 0 => 1, 1 => rng.Next(1, 300), 2 => 1000, _ => rng.Next(1, 6000) };
            var points = new List<MetricPoint>(size);
            for (int i = 0; i < size; i++)
            {
                var key = keys[rng.Next(keys.Length)];
                long step = NextStep(rng, next[key]);
                next[key] = Math.Max(next[key], step);
                double value = rng.Next(20) switch { 0 => double.NaN, 1 => double.PositiveInfinity * (rng.Next(2) * 2 - 1), _ => rng.NextDouble() * 10 - 5 };
                points.Add(new MetricPoint(key, value, 1_700_000_000_000 + batch, step));
                logged[key].Add((step, value));
            }
            _store.LogMetrics(runId, points);
        }

        foreach (var key in keys)
        {
            var series = logged[key];
            long min = series.Min(p => p.Step), max = series.Max(p => p.Step);
            foreach (int buckets in new[] { 1, 2, 5, 13, 40, 100, 1000 })
            {
                AssertExact(_store.GetMetricBuckets(runId, key, buckets), series, min, max);
                long a = min + rng.NextInt64(max - min + 1), b = min + rng.NextInt64(max - min + 1);
                AssertExact(_store.GetMetricBuckets(runId, key, buckets, Math.Min(a, b), Math.Max(a, b)), series, Math.Min(a, b), Math.Max(a, b));
            }
        }
    }

    /// <summary>Mostly rising with strides of 1–3; sometimes repeated, sometimes back a little, rarely far back.</summary>
    private static long NextStep(Random rng, long last) => rng.Next(100) switch
    {
        < 3 => last,
        < 5 => Math.Max(0, last - rng.Next(1, 200)),
        < 6 => rng.NextInt64(last + 1),
        _ => last + rng.Next(1, 4),
    };

    [Fact]
    public void Wide_buckets_are_answered_from_summaries_without_reading_the_points()
    {
        var runId = NewRun();
        var series = Enumerable.Range(0, 100_000).Select(i => ((long)i, i % 977 == 0 ? double.NaN : Math.Sin(i / 1000.0) + i % 13)).ToList();
        foreach (var batch in series.Chunk(1000)) _store.LogMetrics(runId, batch.Select(p => new MetricPoint("v", p.Item2, 1, p.Item1)).ToList());
        var narrow = _store.GetMetricBuckets(runId, "v", 100, 50_000, 50_099);

        using (var c = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE metric_chunks SET data = X'FF'"; // any read of the points now fails
            cmd.ExecuteNonQuery();
        }

        foreach (int buckets in new[] { 10, 100 }) // 512-point blocks, then 64-point ones
        {
            var result = _store.GetMetricBuckets(runId, "v", buckets);
            Assert.Equal(buckets, result.Count);
            AssertExact(result, series, 0, 99_999);
        }
        Assert.Equal(100, narrow.Count);
        Assert.ThrowsAny<Exception>(() => _store.GetMetricBuckets(runId, "v", 100, 50_000, 50_099));
    }

    [Fact]
    public void Wide_buckets_snap_to_block_edges_and_report_the_steps_they_cover()
    {
        var runId = NewRun();
        _store.LogMetrics(runId, Enumerable.Range(0, 40_960).Select(i => new MetricPoint("v", i, 1, i)).ToList());
        var buckets = _store.GetMetricBuckets(runId, "v", 9); // nominal edges at 4,552, 9,103, ...
        Assert.Equal(9, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(0, b.FromStep % 512));
        Assert.Equal(0, buckets[0].FromStep);
        Assert.Equal(40_959, buckets[^1].ToStep);
        Assert.All(buckets.Zip(buckets.Skip(1)), pair => Assert.Equal(pair.First.ToStep + 1, pair.Second.FromStep));
        Assert.All(buckets, b => Assert.Equal((b.ToStep - b.FromStep + 1, (double)b.FromStep, (double)b.ToStep, b.ToStep, (double)b.ToStep), (b.Count, b.Min, b.Max, b.LastStep, b.Last)));
    }

    [Fact]
    public void Narrow_ranges_stay_exact_on_the_nominal_buckets()
    {
        var runId = NewRun();
        var rng = new Random(5);
        var points = Enumerable.Range(0, 30_000).Select(i => new MetricPoint("v", rng.Next(50) == 0 ? double.NaN : rng.NextDouble(), 1, i * 2)).ToList();
        _store.LogMetrics(runId, points);
        foreach (var (from, to, buckets) in new[] { (10_000L, 12_000L, 1000), (0L, 59_998L, 1000), (31_001L, 31_001L, 5), (100L, 5_000L, 300) })
        {
            var expected = new MetricBucketer(from, to, buckets);
            expected.Add(_store.GetMetricHistory(runId, "v").ToArray());
            Assert.Equal(expected.Result(), _store.GetMetricBuckets(runId, "v", buckets, from, to));
        }
    }

    [Fact]
    public void Tail_merges_keep_every_chunk_summary_equal_to_its_points()
    {
        var runId = NewRun();
        var rng = new Random(3);
        var logged = new List<(long, double)>();
        long step = 0;
        for (int i = 0; i < 1500; i++)
        {
            // Mostly one point at a time, so the small tail chunk is rewritten again and again; now and then out of order.
            long s = rng.Next(30) == 0 ? rng.NextInt64(step + 1) : step++;
            double v = rng.Next(10) == 0 ? double.NaN : rng.NextDouble();
            _store.LogMetric(runId, "v", v, s, timestamp: i);
            logged.Add((s, v));
            if (i % 400 == 399)
            {
                var many = Enumerable.Range(0, 300).Select(j => new MetricPoint("v", j, i, step + j)).ToList();
                step += 300;
                _store.LogMetrics(runId, many);
                logged.AddRange(many.Select(m => (m.Step, m.Value)));
            }
        }

        using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT summary, summary_fine, data, point_count FROM metric_chunks ORDER BY series_id, seq";
        using var r = cmd.ExecuteReader();
        int chunks = 0;
        while (r.Read())
        {
            var points = new List<SeriesPoint>();
            MetricChunkCodec.Decode((byte[])r[2], points);
            var (coarse, fine) = MetricSummaryCodec.Encode(points.ToArray());
            Assert.Equal(coarse, (byte[])r[0]);
            Assert.Equal(fine, (byte[])r[1]);
            Assert.Equal(r.GetInt64(3), MetricSummaryCodec.PointCount((byte[])r[0]));
            chunks++;
        }
        Assert.InRange(chunks, 2, 20); // merged into few chunks, not one per point

        long max = logged.Max(p => p.Item1);
        foreach (int buckets in new[] { 1, 3, 7 })
            AssertExact(_store.GetMetricBuckets(runId, "v", buckets), logged, 0, max);
    }

    [Fact]
    public void A_summary_block_holds_its_step_range_envelope_and_last_value_at_the_highest_step()
    {
        SeriesPoint[] points = [new(5, 0, 1), new(9, 0, double.NaN), new(3, 0, -2), new(9, 0, 7), new(4, 0, double.PositiveInfinity)];
        var (coarse, fine) = MetricSummaryCodec.Encode(points);
        foreach (var blob in new[] { coarse, fine })
        {
            var block = Assert.Single(MetricSummaryCodec.Blocks(blob).ToArray());
            Assert.Equal((3L, 9L, -2.0, double.PositiveInfinity, 7.0), (block.MinStep, block.MaxStep, block.Min, block.Max, block.Last));
        }
        var allNaN = MetricSummaryCodec.Blocks(MetricSummaryCodec.Encode([new(1, 0, double.NaN)]).Coarse)[0];
        Assert.True(double.IsNaN(allNaN.Min) && double.IsNaN(allNaN.Max) && double.IsNaN(allNaN.Last));
    }

    [Fact]
    public void A_far_out_of_order_point_still_gives_exact_buckets()
    {
        var runId = NewRun();
        var logged = Enumerable.Range(0, 50_000).Select(i => ((long)i + 1, (double)i)).ToList();
        _store.LogMetrics(runId, logged.Select(p => new MetricPoint("v", p.Item2, 1, p.Item1)).ToList());
        // One late point at the very first step, and one repeating the last step: both land in blocks spanning everything.
        _store.LogMetrics(runId, [new MetricPoint("v", -1, 2, 0), new MetricPoint("v", 99, 2, 50_000), new MetricPoint("v", 5, 2, 25_000)]);
        logged.AddRange([(0, -1), (50_000, 99), (25_000, 5)]);
        foreach (int buckets in new[] { 5, 50 })
        {
            var result = _store.GetMetricBuckets(runId, "v", buckets);
            Assert.Equal(buckets, result.Count);
            AssertExact(result, logged, 0, 50_000);
        }
        Assert.Equal(99.0, _store.GetMetricBuckets(runId, "v", 5)[^1].Last);
    }

    [Fact]
    public void Repeated_steps_across_block_edges_still_give_exact_buckets()
    {
        var runId = NewRun();
        // Every step logged three times: 64- and 512-point blocks share their edge steps with their neighbours.
        var logged = Enumerable.Range(0, 90_000).Select(i => ((long)(i / 3), (double)(i % 7))).ToList();
        _store.LogMetrics(runId, logged.Select(p => new MetricPoint("v", p.Item2, 1, p.Item1)).ToList());
        foreach (int buckets in new[] { 3, 10, 40 })
            AssertExact(_store.GetMetricBuckets(runId, "v", buckets), logged, 0, 29_999);
    }

    /// <summary>Ordered, disjoint buckets inside [lo, hi] that together hold every logged point in it, each exact for its own steps.</summary>
    private static void AssertExact(IReadOnlyList<MetricBucket> buckets, IReadOnlyList<(long Step, double Value)> logged, long lo, long hi)
    {
        long previous = lo - 1;
        foreach (var b in buckets)
        {
            Assert.True(b.FromStep > previous && b.ToStep >= b.FromStep && b.ToStep <= hi, $"bucket {b.FromStep}..{b.ToStep} after {previous} in [{lo}, {hi}]");
            previous = b.ToStep;
            var mine = logged.Where(p => p.Step >= b.FromStep && p.Step <= b.ToStep).ToList(); // in logged (stored) order
            Assert.Equal(mine.Count, b.Count);
            var real = mine.Where(p => !double.IsNaN(p.Value)).Select(p => p.Value).ToList();
            Assert.Equal(real.Count == 0 ? double.NaN : real.Min(), b.Min);
            Assert.Equal(real.Count == 0 ? double.NaN : real.Max(), b.Max);
            long lastStep = mine.Max(p => p.Step);
            Assert.Equal(lastStep, b.LastStep);
            Assert.Equal(mine.Last(p => p.Step == lastStep).Value, b.Last);
        }
        Assert.Equal(logged.Count(p => p.Step >= lo && p.Step <= hi), buckets.Sum(b => b.Count));
    }
}
