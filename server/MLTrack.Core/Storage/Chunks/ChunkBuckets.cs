using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// Buckets of a chunked series over [from, to] (default: the series' whole step range), the same in every store. Wide
/// buckets are folded from the chunks' stored sub-block summaries (512 points, else 64) without reading the data blobs;
/// boundaries then snap to sub-block edges and each bucket reports the steps it really covers. Narrow buckets, range
/// edges and out-of-order stretches decode points. Either way a bucket's count, min, max and last are exact for its
/// [FromStep, ToStep].
/// </summary>
internal static class ChunkBuckets
{
    public static void CheckCount(int buckets)
    {
        if (buckets < 1) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Bucket count must be at least 1, got {buckets}.");
    }

    /// <summary>
    /// Buckets of an existing series from <paramref name="heads"/> (its chunks overlapping [fromStep, toStep]);
    /// <paramref name="seriesSteps"/> gives the series' whole step range (null when it has no points), asked only when
    /// no chunk overlaps; <paramref name="read"/> fetches fine summaries and data of the chunks that need them.
    /// </summary>
    public static IReadOnlyList<MetricBucket> Read(ChunkHeads heads, int buckets, long? fromStep, long? toStep,
        Func<(long Min, long Max)?> seriesSteps, ChunkColumnReader read)
    {
        if (fromStep > toStep) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Step range is empty: from {fromStep} > to {toStep}.");
        long lo, hi;
        if (heads.Count > 0)
        {
            lo = fromStep ?? heads.MinStep;
            hi = toStep ?? heads.MaxStep;
        }
        else
        {
            if (fromStep is not null && toStep is not null) return [];
            if (seriesSteps() is not { } all) return [];
            lo = fromStep ?? all.Min;
            hi = toStep ?? all.Max;
        }
        if (hi < lo) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Step range is empty: from {lo} > to {hi}.");
        return Bucket(heads, new SnappedBucketer(lo, hi, buckets), read);
    }

    /// <summary>Storage position of a chunk's point, for last-value ties: chunks in seq order, points in stored order.</summary>
    private static long Position(long seq, int index) => (seq << 32) | (uint)index;

    private static IReadOnlyList<MetricBucket> Bucket(ChunkHeads chunks, SnappedBucketer bucketer, ChunkColumnReader read)
    {
        var raw = new List<(long Seq, int From, int To)>(); // stored point ranges to decode
        var refine = new List<(long Seq, int Coarse)>();     // coarse blocks to look at through their fine blocks
        for (int i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if (chunk.MaxStep < bucketer.From || chunk.MinStep > bucketer.To) continue;
            Visit(chunk.Seq, chunks.Summary(i), bucketer, raw, refine);
        }
        if (refine.Count > 0)
        {
            int next = 0;
            read(ChunkColumn.SummaryFine, DistinctSeqs(refine.Select(r => r.Seq)), (seq, blob) =>
            {
                int from = next;
                while (next < refine.Count && refine[next].Seq == seq) next++;
                Visit(seq, blob, bucketer, raw, null, CollectionsMarshal.AsSpan(refine).Slice(from, next - from));
            });
        }
        foreach (var block in bucketer.Seal())
        {
            int first = (int)(uint)block.Order;
            raw.Add((block.Order >> 32, first, first + (int)block.Count));
        }
        if (raw.Count > 0)
        {
            raw.Sort();
            var scratch = new SeriesPoint[ChunkLayout.MaxChunkPoints];
            int next = 0;
            read(ChunkColumn.Data, DistinctSeqs(raw.Select(r => r.Seq)), (seq, blob) =>
            {
                int n = MetricChunkCodec.Count(blob);
                if (n > scratch.Length) scratch = new SeriesPoint[n];
                var points = scratch.AsSpan(0, n);
                MetricChunkCodec.Decode(blob, points);
                for (; next < raw.Count && raw[next].Seq == seq; next++)
                {
                    var (_, from, to) = raw[next];
                    bucketer.AddPoints(points[from..Math.Min(to, n)], Position(seq, from));
                }
            });
        }
        return bucketer.Result();
    }

    /// <summary>Ascending seqs (already sorted, repeats allowed) without repeats.</summary>
    private static List<long> DistinctSeqs(IEnumerable<long> sorted)
    {
        var list = new List<long>();
        foreach (var seq in sorted)
            if (list.Count == 0 || list[^1] != seq) list.Add(seq);
        return list;
    }

    /// <summary>
    /// Sorts a chunk's summary blocks: whole into the bucketer when they fit, to <paramref name="refine"/> when their finer
    /// blocks may (coarse level only), else to <paramref name="raw"/>. <paramref name="only"/> limits a fine summary to the
    /// coarse blocks asked for.
    /// </summary>
    private static void Visit(long seq, ReadOnlySpan<byte> summary, SnappedBucketer bucketer, List<(long, int, int)> raw,
        List<(long, int)>? refine, ReadOnlySpan<(long Seq, int Coarse)> only = default)
    {
        var blocks = MetricSummaryCodec.Blocks(summary);
        int shift = MetricSummaryCodec.Shift(summary), n = MetricSummaryCodec.PointCount(summary);
        int perCoarse = 1 << (MetricSummaryCodec.CoarseShift - shift);
        int onlyAt = 0;
        for (int u = 0; u < blocks.Length; u++)
        {
            if (refine is null)
            {
                int coarse = u / perCoarse;
                while (onlyAt < only.Length && only[onlyAt].Coarse < coarse) onlyAt++;
                if (onlyAt == only.Length) break;
                if (only[onlyAt].Coarse != coarse) continue;
            }
            ref readonly var b = ref blocks[u];
            int from = u << shift, to = Math.Min(n, (u + 1) << shift);
            if (b.MaxStep < bucketer.From || b.MinStep > bucketer.To) continue;
            if (bucketer.Fits(b.MinStep, b.MaxStep))
                bucketer.AddBlock(new StepBlock(b.MinStep, b.MaxStep, to - from, b.Min, b.Max, b.Last, Position(seq, from)));
            else if (refine is not null && shift > MetricSummaryCodec.FineShift && bucketer.WorthRefining(b.MinStep, b.MaxStep))
                refine.Add((seq, u));
            else if (raw.Count > 0 && raw[^1] is var (lastSeq, lastFrom, lastTo) && lastSeq == seq && lastTo == from)
                raw[^1] = (seq, lastFrom, to);
            else
                raw.Add((seq, from, to));
        }
    }
}
