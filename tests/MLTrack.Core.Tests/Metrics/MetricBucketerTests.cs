using MLTrack.Core.Metrics;

namespace MLTrack.Core.Tests.Metrics;

public sealed class MetricBucketerTests
{
    [Theory]
    [InlineData(0, 999, 10)]
    [InlineData(5, 1_000_003, 1000)]
    [InlineData(-50, 50, 7)]
    [InlineData(0, 5, 100)]
    public void Buckets_agree_with_a_naive_fold_for_shuffled_points(long from, long to, int buckets)
    {
        var rng = new Random(1);
        var points = Enumerable.Range(0, 5000).Select(_ => new SeriesPoint(rng.NextInt64(from - 10, to + 10), 0, rng.NextDouble())).ToArray();
        var bucketer = new MetricBucketer(from, to, buckets);
        bucketer.Add(points);
        var result = bucketer.Result();

        var inRange = points.Where(p => p.Step >= from && p.Step <= to).ToList();
        Assert.Equal(inRange.Count, result.Sum(b => b.Count));
        foreach (var b in result)
        {
            var mine = inRange.Where(p => p.Step >= b.FromStep && p.Step <= b.ToStep).ToList();
            Assert.Equal(mine.Count, b.Count);
            Assert.Equal(mine.Min(p => p.Value), b.Min);
            Assert.Equal(mine.Max(p => p.Value), b.Max);
            Assert.Equal(mine.Max(p => p.Step), b.LastStep);
        }
    }

    [Fact]
    public void Buckets_tile_the_range_without_gaps_or_overlaps()
    {
        var bucketer = new MetricBucketer(0, 99, 7);
        bucketer.Add(Enumerable.Range(0, 100).Select(i => new SeriesPoint(i, 0, i)).ToArray());
        var result = bucketer.Result();
        Assert.Equal(7, result.Count);
        Assert.Equal(0, result[0].FromStep);
        Assert.Equal(99, result[^1].ToStep);
        for (int i = 1; i < result.Count; i++) Assert.Equal(result[i - 1].ToStep + 1, result[i].FromStep);
    }

    [Fact]
    public void More_buckets_than_steps_gives_one_bucket_per_step()
    {
        var bucketer = new MetricBucketer(10, 14, 1000);
        bucketer.Add(Enumerable.Range(10, 5).Select(i => new SeriesPoint(i, 0, i)).ToArray());
        Assert.Equal([10L, 11, 12, 13, 14], bucketer.Result().Select(b => b.FromStep));
    }

    [Fact]
    public void An_inverted_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MetricBucketer(10, 9, 5));
    }
}
