using MLTrack.Core.Analytics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Contracts;

/// <summary>What every store does for IMetricStore: metric histories, buckets, summaries and keys. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class MetricStoreContract : StoreContract
{
    [Fact]
    public void Metric_history_returns_every_point_in_step_order()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("loss", 0.5, 10, 2), new("loss", 0.9, 5, 1), new("acc", 0.1, 5, 1)]);
        Store.LogMetric(run.RunId, "loss", 0.3, step: 3, timestamp: 20);
        var history = Store.GetMetricHistory(run.RunId, "loss");
        Assert.Equal([1L, 2, 3], history.Select(p => p.Step));
        Assert.Equal([0.9, 0.5, 0.3], history.Select(p => p.Value));
    }

    [Fact]
    public void NaN_and_infinities_are_kept()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("x", double.NaN, 1, 1), new("x", double.PositiveInfinity, 1, 2), new("x", double.NegativeInfinity, 1, 3), new("x", double.NaN, 1, 4)]);
        var values = Store.GetMetricHistory(run.RunId, "x").Select(p => p.Value).ToList();
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(double.PositiveInfinity, values[1]);
        Assert.Equal(double.NegativeInfinity, values[2]);
        var summary = Assert.Single(Store.GetMetricSummaries(run.RunId));
        Assert.True(double.IsNaN(summary.Latest));
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity, 4L), (summary.Min, summary.Max, summary.Count));
    }

    [Fact]
    public void Latest_value_is_the_highest_step_not_the_last_logged()
    {
        var run = NewRun();
        Store.LogMetric(run.RunId, "acc", 0.9, step: 10, timestamp: 1);
        Store.LogMetric(run.RunId, "acc", 0.1, step: 2, timestamp: 2);
        var s = Assert.Single(Store.GetMetricSummaries(run.RunId));
        Assert.Equal((0.9, 10L, 0.1, 0.9, 2L), (s.Latest, s.LatestStep, s.Min, s.Max, s.Count));
    }

    [Fact]
    public void Point_by_point_logging_keeps_all_points_across_chunk_merges()
    {
        var run = NewRun();
        for (int i = 0; i < 700; i++) Store.LogMetric(run.RunId, "loss", 1.0 / (i + 1), step: i, timestamp: 1000 + i * 7919L);
        var history = Store.GetMetricHistory(run.RunId, "loss");
        Assert.Equal(700, history.Count);
        Assert.Equal(Enumerable.Range(0, 700).Select(i => (long)i), history.Select(p => p.Step));
        Assert.Equal(1000 + 699 * 7919L, history[^1].Timestamp);
    }

    [Fact]
    public void Large_batches_round_trip_exactly()
    {
        var run = NewRun();
        var rng = new Random(7);
        var points = Enumerable.Range(0, 10_000).Select(i => new MetricPoint("v", rng.NextDouble(), 1_700_000_000_000 + rng.Next(100_000), i * 3)).ToList();
        Store.LogMetrics(run.RunId, points);
        var history = Store.GetMetricHistory(run.RunId, "v");
        Assert.Equal(points.Select(p => (p.Step, p.Timestamp, p.Value)), history.Select(p => (p.Step, p.Timestamp, p.Value)));
    }

    [Fact]
    public void History_can_be_limited_to_a_step_range()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 10_000).Select(i => new MetricPoint("v", i, 1, i)).ToList());
        var part = Store.GetMetricHistory(run.RunId, "v", 5000, 5009);
        Assert.Equal(Enumerable.Range(5000, 10).Select(i => (double)i), part.Select(p => p.Value));
    }

    [Fact]
    public void Buckets_summarise_min_max_and_last_per_step_range()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 1000).Select(i => new MetricPoint("v", i % 10 == 5 ? 100 : i, 1, i)).ToList());
        var buckets = Store.GetMetricBuckets(run.RunId, "v", 10);
        Assert.Equal(10, buckets.Count);
        var first = buckets[0];
        Assert.Equal((0L, 99L, 100L), (first.FromStep, first.ToStep, first.Count));
        Assert.Equal((0.0, 100.0, 99L, 99.0), (first.Min, first.Max, first.LastStep, first.Last));
    }

    [Fact]
    public void Buckets_over_a_narrow_range_show_full_detail()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 100_000).Select(i => new MetricPoint("v", i, 1, i)).ToList());
        var buckets = Store.GetMetricBuckets(run.RunId, "v", 1000, 50_000, 50_099);
        Assert.Equal(100, buckets.Count);
        Assert.All(buckets, b => Assert.Equal((1L, (double)b.FromStep), (b.Count, b.Last)));
    }

    [Fact]
    public void Buckets_skip_NaN_in_the_envelope_but_report_it_as_last()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("v", 1, 1, 0), new("v", double.NaN, 1, 1)]);
        var b = Assert.Single(Store.GetMetricBuckets(run.RunId, "v", 1));
        Assert.Equal((1.0, 1.0), (b.Min, b.Max));
        Assert.True(double.IsNaN(b.Last));
    }

    [Fact]
    public void Metrics_of_a_missing_key_are_empty()
    {
        var run = NewRun();
        Assert.Empty(Store.GetMetricHistory(run.RunId, "nope"));
        Assert.Empty(Store.GetMetricBuckets(run.RunId, "nope", 10));
    }

    [Fact]
    public void Metric_keys_are_listed_once_each_sorted()
    {
        var a = NewRun();
        var b = NewRun();
        Store.LogMetrics(a.RunId, [new("val_loss", 1, 1, 0), new("acc", 0.5, 1, 0)]);
        Store.LogMetrics(b.RunId, [new("acc", 0.7, 1, 0), new("lr", 0.1, 1, 0)]);

        Assert.Equal(["acc", "lr", "val_loss"], Store.ListMetricKeys());
    }
}
