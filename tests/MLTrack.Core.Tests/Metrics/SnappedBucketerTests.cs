using MLTrack.Core.Metrics;

namespace MLTrack.Core.Tests.Metrics;

public sealed class SnappedBucketerTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 3)]   // repeated steps
    [InlineData(3, 30)]  // out-of-order steps
    [InlineData(4, 100)] // wildly out of order
    public void Blocks_and_raw_points_fold_exactly_for_the_steps_each_bucket_reports(int seed, int disorderPercent)
    {
        var rng = new Random(seed);
        var points = new List<SeriesPoint>();
        long step = 0;
        for (int i = 0; i < 60_000; i++)
        {
            step += rng.Next(100) < 10 ? 0 : rng.Next(1, 3);
            long s = rng.Next(100) < disorderPercent ? Math.Max(0, step - rng.Next(1, 5000)) : step;
            points.Add(new SeriesPoint(s, 0, rng.Next(25) == 0 ? double.NaN : rng.NextDouble()));
        }
        long max = points.Max(p => p.Step);
        foreach (var (from, to, buckets) in new[] { (0L, max, 7), (0L, max, 40), (max / 3, max / 2, 5), (100L, max - 100, 1) })
        {
            var bucketer = new SnappedBucketer(from, to, buckets);
            var raw = new List<(int Start, int Length)>();
            int blocks = 0;
            for (int start = 0; start < points.Count;)
            {
                int length = Math.Min(rng.Next(1, 300), points.Count - start);
                var run = points.Skip(start).Take(length).ToList();
                long lo = run.Min(p => p.Step), hi = run.Max(p => p.Step);
                if (bucketer.Fits(lo, hi))
                {
                    bucketer.AddBlock(Summarise(run, start));
                    blocks++;
                }
                else raw.Add((start, length));
                start += length;
            }
            foreach (var b in bucketer.Seal()) raw.Add(((int)b.Order, (int)b.Count));
            foreach (var (start, length) in raw.OrderBy(_ => rng.Next())) // any order: storage positions settle ties
                bucketer.AddPoints(points.Skip(start).Take(length).ToArray(), start);
            AssertExact(bucketer.Result(), points, from, to);
            if (disorderPercent == 0) Assert.True(blocks > 0);
        }
    }

    [Fact]
    public void Without_blocks_it_equals_the_plain_bucketer()
    {
        var rng = new Random(9);
        var points = Enumerable.Range(0, 5000).Select(_ => new SeriesPoint(rng.NextInt64(-20, 3000), 0, rng.NextDouble())).ToArray();
        foreach (int buckets in new[] { 1, 7, 100, 5000 })
        {
            var plain = new MetricBucketer(0, 2999, buckets);
            plain.Add(points);
            var snapped = new SnappedBucketer(0, 2999, buckets);
            Assert.Empty(snapped.Seal());
            snapped.AddPoints(points, 0);
            Assert.Equal(plain.Result(), snapped.Result());
        }
    }

    [Fact]
    public void A_boundary_that_would_cut_a_block_moves_past_it()
    {
        var bucketer = new SnappedBucketer(0, 999, 10); // nominal edges at 100, 200, ...
        Assert.True(bucketer.Fits(90, 101));
        Assert.False(bucketer.Fits(90, 103)); // wider than an eighth of a bucket
        Assert.False(bucketer.Fits(-1, 5));   // not inside the range
        bucketer.AddBlock(new StepBlock(90, 101, 12, 1, 2, 2, 1000));
        Assert.Empty(bucketer.Seal());
        bucketer.AddPoints([new(89, 0, 0), new(102, 0, 5), new(199, 0, 6)], 0);
        var result = bucketer.Result();
        Assert.Equal(new MetricBucket(0, 101, 13, 0, 2, 101, 2), result[0]);
        Assert.Equal(new MetricBucket(102, 199, 2, 5, 6, 199, 6), result[1]);
    }

    [Fact]
    public void Overlapping_blocks_share_a_bucket_or_are_handed_back()
    {
        var bucketer = new SnappedBucketer(0, 9_999, 10); // buckets of 1,000: blocks up to 125 wide, clusters up to 250
        bucketer.AddBlock(new StepBlock(950, 1_050, 10, 0, 1, 1, 0));
        bucketer.AddBlock(new StepBlock(1_000, 1_100, 10, 0, 1, 1, 10)); // overlaps: same cluster, 151 wide
        bucketer.AddBlock(new StepBlock(1_100, 1_210, 10, 0, 1, 1, 20)); // would make it 261 wide: handed back
        var back = Assert.Single(bucketer.Seal());
        Assert.Equal(20, back.Order);
        var result = bucketer.Result();
        Assert.Equal((0L, 1_100L, 20L), (result[0].FromStep, result[0].ToStep, result[0].Count));
    }

    [Fact]
    public void On_a_tie_at_the_highest_step_the_later_stored_point_is_last()
    {
        var bucketer = new SnappedBucketer(0, 9_999, 2);
        bucketer.AddBlock(new StepBlock(100, 200, 50, 0, 1, 7, 1_000)); // stored after the raw point below
        bucketer.Seal();
        bucketer.AddPoints([new(200, 0, 3)], 10);
        bucketer.AddPoints([new(200, 0, 4)], 5_000);
        Assert.Equal(4.0, bucketer.Result()[0].Last);

        var earlier = new SnappedBucketer(0, 9_999, 2);
        earlier.AddBlock(new StepBlock(100, 200, 50, 0, 1, 7, 1_000));
        earlier.Seal();
        earlier.AddPoints([new(200, 0, 3)], 10);
        Assert.Equal(7.0, earlier.Result()[0].Last);
    }

    private static StepBlock Summarise(List<SeriesPoint> run, long order)
    {
        var real = run.Where(p => !double.IsNaN(p.Value)).Select(p => p.Value).ToList();
        long maxStep = run.Max(p => p.Step);
        return new StepBlock(run.Min(p => p.Step), maxStep, run.Count,
            real.Count == 0 ? double.NaN : real.Min(), real.Count == 0 ? double.NaN : real.Max(), run.Last(p => p.Step == maxStep).Value, order);
    }

    private static void AssertExact(IReadOnlyList<MetricBucket> buckets, List<SeriesPoint> points, long from, long to)
    {
        long previous = from - 1;
        foreach (var b in buckets)
        {
            Assert.True(b.FromStep > previous && b.ToStep >= b.FromStep && b.ToStep <= to);
            previous = b.ToStep;
            var mine = points.Where(p => p.Step >= b.FromStep && p.Step <= b.ToStep).ToList();
            var real = mine.Where(p => !double.IsNaN(p.Value)).Select(p => p.Value).ToList();
            long lastStep = mine.Max(p => p.Step);
            Assert.Equal((mine.Count, real.Count == 0 ? double.NaN : real.Min(), real.Count == 0 ? double.NaN : real.Max(), lastStep, mine.Last(p => p.Step == lastStep).Value),
                (b.Count, b.Min, b.Max, b.LastStep, b.Last));
        }
        Assert.Equal(points.Count(p => p.Step >= from && p.Step <= to), buckets.Sum(b => b.Count));
    }
}
