using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// How a series' points are cut into chunks, the same in every store so that the same appends give the same chunks
/// (and therefore the same snapped buckets): appends go to new chunks of at most <see cref="MaxChunkPoints"/> points,
/// except that a tail chunk smaller than <see cref="MergeBelowPoints"/> is rewritten with the new points appended.
/// </summary>
internal static class ChunkLayout
{
    /// <summary>Largest chunk; a read of a narrow step range decodes at most this many points outside it per edge.</summary>
    public const int MaxChunkPoints = 4096;
    /// <summary>A tail chunk smaller than this is merged with the next append, so point-by-point logging still makes big chunks.</summary>
    public const int MergeBelowPoints = 256;

    /// <summary>Whether appending <paramref name="newPoints"/> rewrites the tail chunk, whose data <see cref="Append"/> then needs.</summary>
    public static bool MergesIntoTail(int tailPoints, int newPoints) =>
        tailPoints is > 0 and < MergeBelowPoints && tailPoints + newPoints <= MaxChunkPoints;

    /// <summary>
    /// Folds <paramref name="points"/> into <paramref name="series"/> and returns the chunks to write, in seq order.
    /// <paramref name="tailData"/> is the tail chunk's stored data when <see cref="MergesIntoTail"/> says so (else ignored).
    /// </summary>
    public static List<ChunkWrite> Append(SeriesState series, ReadOnlySpan<SeriesPoint> points, ReadOnlySpan<byte> tailData)
    {
        series.Absorb(points);
        var writes = new List<ChunkWrite>(points.Length / MaxChunkPoints + 1);
        int offset = 0;
        if (MergesIntoTail(series.TailPoints, points.Length))
        {
            if (tailData.IsEmpty) throw new ArgumentException("The tail chunk's data is needed to merge into it.", nameof(tailData));
            var merged = new List<SeriesPoint>(series.TailPoints + points.Length);
            MetricChunkCodec.Decode(tailData, merged);
            merged.AddRange(points);
            writes.Add(Chunk(series.ChunkCount - 1, CollectionsMarshal.AsSpan(merged), replacesTail: true));
            series.TailPoints = merged.Count;
            offset = points.Length;
        }
        while (offset < points.Length)
        {
            var part = points.Slice(offset, Math.Min(MaxChunkPoints, points.Length - offset));
            writes.Add(Chunk(series.ChunkCount, part, replacesTail: false));
            series.ChunkCount++;
            series.TailPoints = part.Length;
            offset += part.Length;
        }
        return writes;
    }

    private static ChunkWrite Chunk(long seq, ReadOnlySpan<SeriesPoint> points, bool replacesTail)
    {
        long lo = long.MaxValue, hi = long.MinValue;
        foreach (var p in points)
        {
            if (p.Step < lo) lo = p.Step;
            if (p.Step > hi) hi = p.Step;
        }
        var (summary, fine) = MetricSummaryCodec.Encode(points);
        return new ChunkWrite(seq, points.Length, lo, hi, summary, fine, MetricChunkCodec.Encode(points), replacesTail);
    }
}
