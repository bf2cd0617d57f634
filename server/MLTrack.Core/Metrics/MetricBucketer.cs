namespace MLTrack.Core.Metrics;

/// <summary>
/// Folds a series into equal step ranges over [from, to]: min/max envelope of non-NaN values and the point with the
/// highest step per bucket. Charts draw the envelope as a band and the last values as the line, so spikes survive
/// downsampling where averaging or point-sampling would hide them.
/// </summary>
public sealed class MetricBucketer
{
    private readonly long _from;
    private readonly long _span; // number of steps covered, to - from + 1
    private readonly int _buckets;
    private readonly long[] _count;
    private readonly double[] _min, _max, _last;
    private readonly long[] _lastStep;
    private readonly bool _fitsInLong; // (step - from) * buckets cannot overflow: skip 128-bit math on the hot path

    public MetricBucketer(long from, long to, int buckets)
    {
        if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "Bucket count must be at least 1.");
        if (to < from) throw new ArgumentException($"Step range is empty: from {from} > to {to}.");
        _from = from;
        _span = to - from + 1;
        _buckets = (int)Math.Min(buckets, _span);
        _count = new long[_buckets];
        _min = new double[_buckets];
        _max = new double[_buckets];
        _last = new double[_buckets];
        _lastStep = new long[_buckets];
        Array.Fill(_min, double.NaN);
        Array.Fill(_max, double.NaN);
        Array.Fill(_lastStep, long.MinValue);
        _fitsInLong = _span <= long.MaxValue / _buckets;
    }

    public long From => _from;
    public long To => _from + _span - 1;

    public void Add(ReadOnlySpan<SeriesPoint> points)
    {
        long to = To;
        // Points mostly arrive in step order: remember the current bucket's bounds and divide only on leaving it.
        int b = -1;
        long lo = 1, hi = 0;
        foreach (ref readonly var p in points)
        {
            if (p.Step < _from || p.Step > to) continue;
            if (p.Step < lo || p.Step > hi)
            {
                b = BucketOf(p.Step);
                lo = Lower(b);
                hi = Lower(b + 1) - 1;
            }
            _count[b]++;
            double v = p.Value;
            if (!double.IsNaN(v))
            {
                if (!(v >= _min[b])) _min[b] = v; // NaN-initialised: the first real value always wins
                if (!(v <= _max[b])) _max[b] = v;
            }
            if (p.Step >= _lastStep[b])
            {
                _lastStep[b] = p.Step;
                _last[b] = v;
            }
        }
    }

    private int BucketOf(long step) => _fitsInLong
        ? (int)((step - _from) * _buckets / _span)
        : (int)((Int128)(step - _from) * _buckets / _span);

    /// <summary>First step of bucket <paramref name="b"/>: the smallest s with BucketOf(s) == b.</summary>
    private long Lower(int b) => Lower(_from, _span, _buckets, b);

    /// <summary>First step of bucket <paramref name="b"/> when <paramref name="span"/> steps from <paramref name="from"/> are cut into <paramref name="buckets"/> equal ranges.</summary>
    internal static long Lower(long from, long span, int buckets, int b) => from + (long)(((Int128)b * span + buckets - 1) / buckets);

    public IReadOnlyList<MetricBucket> Result()
    {
        var result = new List<MetricBucket>(_buckets);
        for (int b = 0; b < _buckets; b++)
        {
            if (_count[b] == 0) continue;
            long lo = Lower(b);
            long hi = Lower(b + 1) - 1;
            result.Add(new MetricBucket(lo, hi, _count[b], _min[b], _max[b], _lastStep[b], _last[b]));
        }
        return result;
    }
}
