namespace MLTrack.Core.Metrics;

/// <summary>
/// A pre-folded run of stored points: its step range, count, NaN-ignoring min/max and the value at its highest step.
/// <paramref name="Order"/> is the storage position of its first point; positions order ties on the highest step (the
/// last stored point wins, as in <see cref="MetricBucketer"/>), and blocks never interleave with other points' positions.
/// </summary>
internal readonly record struct StepBlock(long MinStep, long MaxStep, long Count, double Min, double Max, double Last, long Order);

/// <summary>
/// Buckets a series from a mix of whole blocks (<see cref="StepBlock"/>, summaries of sub-blocks of stored chunks) and raw
/// points, exactly: every returned bucket holds precisely the points whose steps lie in its [FromStep, ToStep].
/// Buckets start as <see cref="MetricBucketer"/>'s equal ranges; a boundary that would cut a block moves right past it, so
/// each block lands wholly in the bucket holding its first step. Blocks narrower than an eighth of a bucket keep the
/// distortion small; overlapping blocks (out-of-order steps) are merged into clusters that move boundaries together, and a
/// block that would grow a cluster past a quarter of a bucket is handed back to be read point by point instead.
/// <para>Use: <see cref="AddBlock"/> every block, <see cref="Seal"/> (decode the blocks it returns), <see cref="AddPoints"/>, <see cref="Result"/>.</para>
/// </summary>
internal sealed class SnappedBucketer
{
    private readonly long _from, _to, _span;
    private readonly int _nominal;
    private readonly List<StepBlock> _blocks = [];
    private bool _sorted = true;
    private long[]? _starts; // first step of each bucket, ascending; bucket k ends at _starts[k + 1] - 1 (or To)
    private long[] _count = [], _lastStep = [], _lastOrder = [];
    private double[] _min = [], _max = [], _last = [];
    private int _cur = -1;
    private long _curLo = 1, _curHi;

    public SnappedBucketer(long from, long to, int buckets)
    {
        if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "Bucket count must be at least 1.");
        if (to < from) throw new ArgumentException($"Step range is empty: from {from} > to {to}.");
        _from = from;
        _to = to;
        _span = to - from + 1;
        _nominal = (int)Math.Min(buckets, _span);
    }

    public long From => _from;
    public long To => _to;

    /// <summary>Whether a block over these steps may be folded whole: inside [From, To] and at most an eighth of a bucket wide.</summary>
    public bool Fits(long minStep, long maxStep) =>
        minStep >= _from && maxStep <= _to && (Int128)(maxStep - minStep + 1) * 8 * _nominal <= _span;

    /// <summary>Whether a block over these steps is at most a bucket wide, so its eight sub-blocks are likely to fit.</summary>
    public bool WorthRefining(long minStep, long maxStep) =>
        maxStep >= _from && minStep <= _to && (Int128)(maxStep - minStep + 1) * _nominal <= _span;

    public void AddBlock(in StepBlock block)
    {
        if (_starts is not null) throw new InvalidOperationException("Blocks must be added before Seal.");
        if (block.Count == 0) return;
        if (!Fits(block.MinStep, block.MaxStep)) throw new ArgumentException($"Block over steps {block.MinStep}..{block.MaxStep} does not fit.", nameof(block));
        if (_blocks.Count > 0 && (block.MinStep < _blocks[^1].MinStep || (block.MinStep == _blocks[^1].MinStep && block.MaxStep < _blocks[^1].MaxStep))) _sorted = false;
        _blocks.Add(block);
    }

    /// <summary>Fixes the bucket boundaries and folds the blocks; returns the blocks given back, whose points the caller must add raw.</summary>
    public List<StepBlock> Seal()
    {
        if (_starts is not null) throw new InvalidOperationException("Already sealed.");
        var demoted = new List<StepBlock>();
        if (!_sorted) _blocks.Sort(static (a, b) => a.MinStep != b.MinStep ? a.MinStep.CompareTo(b.MinStep) : a.MaxStep != b.MaxStep ? a.MaxStep.CompareTo(b.MaxStep) : a.Order.CompareTo(b.Order));

        // Disjoint clusters of kept blocks (blocks sharing or overlapping steps must share a bucket).
        var kept = new List<StepBlock>(_blocks.Count);
        var clusters = new List<(long Lo, long Hi)>();
        foreach (var b in _blocks)
        {
            if (clusters.Count > 0 && b.MinStep <= clusters[^1].Hi)
            {
                var (lo, hi) = clusters[^1];
                long grown = Math.Max(hi, b.MaxStep);
                if ((Int128)(grown - lo + 1) * 4 * _nominal <= _span)
                {
                    clusters[^1] = (lo, grown);
                    kept.Add(b);
                }
                else demoted.Add(b);
            }
            else
            {
                clusters.Add((b.MinStep, b.MaxStep));
                kept.Add(b);
            }
        }

        // Nominal boundaries, each moved past the cluster it would cut.
        var starts = new List<long>(_nominal) { _from };
        int ci = 0;
        for (int b = 1; b < _nominal; b++)
        {
            long x = MetricBucketer.Lower(_from, _span, _nominal, b);
            while (ci < clusters.Count && clusters[ci].Hi < x) ci++;
            if (ci < clusters.Count && clusters[ci].Lo < x) x = clusters[ci].Hi + 1;
            if (x > _to || x <= starts[^1]) continue;
            starts.Add(x);
        }
        _starts = [.. starts];
        int n = _starts.Length;
        _count = new long[n];
        _min = new double[n];
        _max = new double[n];
        _last = new double[n];
        _lastStep = new long[n];
        _lastOrder = new long[n];
        Array.Fill(_min, double.NaN);
        Array.Fill(_max, double.NaN);
        Array.Fill(_lastStep, long.MinValue);
        Array.Fill(_lastOrder, long.MinValue);

        int k = 0;
        foreach (var b in kept) // sorted by first step: walk the buckets alongside
        {
            while (k + 1 < n && _starts[k + 1] <= b.MinStep) k++;
            Fold(k, b.Count, b.Min, b.Max, b.MaxStep, b.Order, b.Last);
        }
        return demoted;
    }

    /// <summary>Adds raw points (those outside [From, To] are skipped); point i's storage position is <paramref name="order"/> + i.</summary>
    public void AddPoints(ReadOnlySpan<SeriesPoint> points, long order)
    {
        var starts = _starts ?? throw new InvalidOperationException("Seal before adding points.");
        for (int i = 0; i < points.Length; i++)
        {
            ref readonly var p = ref points[i];
            if (p.Step < _from || p.Step > _to) continue;
            if (p.Step < _curLo || p.Step > _curHi)
            {
                int k = Array.BinarySearch(starts, p.Step);
                _cur = k >= 0 ? k : ~k - 1;
                _curLo = starts[_cur];
                _curHi = _cur + 1 < starts.Length ? starts[_cur + 1] - 1 : _to;
            }
            double v = p.Value;
            Fold(_cur, 1, v, v, p.Step, order + i, v);
        }
    }

    private void Fold(int k, long count, double min, double max, long lastStep, long order, double last)
    {
        _count[k] += count;
        if (!double.IsNaN(min) && !(min >= _min[k])) _min[k] = min; // NaN-initialised: the first real value always wins
        if (!double.IsNaN(max) && !(max <= _max[k])) _max[k] = max;
        if (lastStep > _lastStep[k] || (lastStep == _lastStep[k] && order > _lastOrder[k]))
        {
            _lastStep[k] = lastStep;
            _lastOrder[k] = order;
            _last[k] = last;
        }
    }

    public IReadOnlyList<MetricBucket> Result()
    {
        var starts = _starts ?? throw new InvalidOperationException("Seal before reading the result.");
        var result = new List<MetricBucket>(starts.Length);
        for (int k = 0; k < starts.Length; k++)
        {
            if (_count[k] == 0) continue;
            long hi = k + 1 < starts.Length ? starts[k + 1] - 1 : _to;
            result.Add(new MetricBucket(starts[k], hi, _count[k], _min[k], _max[k], _lastStep[k], _last[k]));
        }
        return result;
    }
}
