using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>The PostgreSQL metric store answers exactly as the SQLite one on the same appends.</summary>
public sealed class PostgresMetricsTests : IDisposable
{
    private readonly TwinStores _twins = new();

    public void Dispose() => _twins.Dispose();

    private string NewRun(long startTime = 1_700_000_000_000)
    {
        var runId = Guid.NewGuid().ToString("N");
        _twins.Both(s => s.CreateRun(new NewRun { RunId = runId, Name = "r", User = "ada", StartTime = startTime }));
        return runId;
    }

    [Fact]
    public void Messy_series_give_the_same_histories_buckets_and_summaries_as_sqlite()
    {
        var rng = new Random(7);
        var runId = NewRun();
        string[] keys = ["loss", "acc", "lr", "grad/norm"];
        var next = keys.ToDictionary(k => k, _ => 0L);
        for (int batch = 0; batch < 120; batch++)
        {
            // Point-by-point appends (tail merges), small, 1,000-point and big batches, several keys per batch.
            int size = (batch % 4) switch { 0 => 1, 1 => rng.Next(1, 300), 2 => 1000, _ => rng.Next(1, 9000) };
            var points = new List<MetricPoint>(size);
            for (int i = 0; i < size; i++)
            {
                var key = keys[rng.Next(keys.Length)];
                long step = rng.Next(100) switch
                {
                    < 3 => next[key],
                    < 5 => Math.Max(0, next[key] - rng.Next(1, 200)),
                    < 6 => rng.NextInt64(next[key] + 1),
                    _ => next[key] + rng.Next(1, 4),
                };
                next[key] = Math.Max(next[key], step);
                double value = rng.Next(20) switch { 0 => double.NaN, 1 => double.PositiveInfinity * (rng.Next(2) * 2 - 1), _ => rng.NextDouble() * 10 - 5 };
                points.Add(new MetricPoint(key, value, 1_700_000_000_000 + rng.Next(3), step));
            }
            _twins.Both(s => s.LogMetrics(runId, points));
        }

        AssertSame(s => s.GetMetricSummaries(runId));
        AssertSame(s => s.ListMetricKeys());
        foreach (var key in keys)
        {
            AssertSame(s => s.GetMetricHistory(runId, key));
            long max = next[key];
            foreach (int buckets in new[] { 1, 2, 7, 40, 100, 1000 })
            {
                AssertSame(s => s.GetMetricBuckets(runId, key, buckets));
                long a = rng.NextInt64(max + 1), b = rng.NextInt64(max + 1);
                var (from, to) = (Math.Min(a, b), Math.Max(a, b));
                AssertSame(s => s.GetMetricBuckets(runId, key, buckets, from, to));
                AssertSame(s => s.GetMetricHistory(runId, key, from, to));
            }
            AssertSame(s => s.GetMetricBuckets(runId, key, 10, fromStep: max / 2));
            AssertSame(s => s.GetMetricBuckets(runId, key, 10, toStep: max / 3));
            AssertSame(s => s.GetMetricBuckets(runId, key, 10, fromStep: max + 10));
        }
    }

    [Fact]
    public void The_latest_value_is_the_highest_step_then_newest_timestamp_then_last_logged_as_in_sqlite()
    {
        var runId = NewRun();
        _twins.Both(s => s.LogMetrics(runId, [new("m", 1, 10, 5), new("m", 2, 9, 5), new("m", 3, 10, 5), new("m", 4, 99, 4)]));
        _twins.Both(s => s.LogMetrics(runId, [new("m", double.NaN, 10, 5), new("n", -3, 1, -7)]));
        AssertSame(s => s.GetMetricSummaries(runId));
        var m = _twins.Postgres.GetMetricSummaries(runId).Single(x => x.Key == "m");
        Assert.Equal((double.NaN, 5L, 10L, 1.0, 4.0, 5L), (m.Latest, m.LatestStep, m.LatestTimestamp, m.Min, m.Max, m.Count));
        var n = _twins.Postgres.GetMetricSummaries(runId).Single(x => x.Key == "n");
        Assert.Equal((-3.0, -7L), (n.Latest, n.LatestStep)); // a first point at a negative step is still the latest
    }

    [Fact]
    public void A_missing_run_is_refused_and_a_missing_key_is_empty_as_in_sqlite()
    {
        var runId = NewRun();
        _twins.Both(s => s.LogMetric(runId, "m", 1, 1));
        foreach (var store in new[] { _twins.Sqlite, _twins.Postgres })
        {
            Assert.Equal(StoreErrorCode.ResourceDoesNotExist, Assert.Throws<StoreException>(() => store.GetMetricHistory("f" + new string('0', 31), "m")).Code);
            Assert.Equal(StoreErrorCode.ResourceDoesNotExist, Assert.Throws<StoreException>(() => store.GetMetricBuckets("f" + new string('0', 31), "m", 10)).Code);
            Assert.Empty(store.GetMetricHistory(runId, "other"));
            Assert.Empty(store.GetMetricBuckets(runId, "other", 10, 5, 1)); // a missing key is empty before the range is judged
            Assert.Equal(StoreErrorCode.InvalidParameterValue, Assert.Throws<StoreException>(() => store.GetMetricBuckets(runId, "m", 10, 5, 1)).Code);
            Assert.Equal(StoreErrorCode.InvalidParameterValue, Assert.Throws<StoreException>(() => store.GetMetricBuckets(runId, "m", 0)).Code);
        }
    }

    [Fact]
    public void A_deleted_runs_metrics_stay_readable()
    {
        var runId = NewRun();
        _twins.Both(s => s.LogMetrics(runId, [new("m", 1, 1, 1), new("m", 2, 1, 2)]));
        _twins.Both(s => s.DeleteRun(runId));
        AssertSame(s => s.GetMetricHistory(runId, "m"));
        AssertSame(s => s.GetMetricBuckets(runId, "m", 5));
        Assert.Equal(2, _twins.Postgres.GetMetricHistory(runId, "m").Count);
    }

    /// <summary>Both stores return equal lists, or refuse with the same code and message.</summary>
    private void AssertSame<T>(Func<ITrackingStore, IEnumerable<T>> read)
    {
        var (sqlite, postgres) = _twins.Ask(s =>
        {
            try
            {
                return (Result: (List<T>?)read(s).ToList(), Error: ((StoreErrorCode, string)?)null);
            }
            catch (StoreException e)
            {
                return (Result: (List<T>?)null, Error: ((StoreErrorCode, string)?)(e.Code, e.Message));
            }
        });
        Assert.Equal(sqlite.Error, postgres.Error);
        Assert.Equal(sqlite.Result, postgres.Result);
    }
}
