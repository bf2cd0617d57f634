using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// The multi-resolution summary stored beside each chunk, so coarse bucket reads never touch the data blob: the chunk's
/// points, in stored order, are cut into fixed-size sub-blocks (the last one may be short), each summarised by its step
/// range, NaN-ignoring min/max and the value at its highest step (the last stored one on ties, as <see cref="MetricBucketer"/>).
/// Two levels are kept: <see cref="CoarseShift"/> (512 points) in <c>metric_chunks.summary</c>, small enough to sit on the
/// table's leaf page, and <see cref="FineShift"/> (64 points) in <c>summary_fine</c> for bucket widths of ~500–4,000 points.
/// Layout (little-endian): <c>u8 version | u8 log2(points per block) | u16 0 | i32 point count | Block[ceil(count / size)]</c>,
/// where Block is <c>i64 min step, i64 max step, f64 min, f64 max, f64 last</c> (min/max NaN when every value is NaN).
/// </summary>
internal static class MetricSummaryCodec
{
    public const int FineShift = 6;
    public const int CoarseShift = 9;
    private const int FinePerCoarse = 1 << (CoarseShift - FineShift);
    private const byte Version = 1;
    private const int HeaderBytes = 8;

    [StructLayout(LayoutKind.Sequential)]
    public struct Block
    {
        public long MinStep, MaxStep;
        public double Min, Max, Last;
    }

    /// <summary>Summarises one chunk's points at both levels.</summary>
    public static (byte[] Coarse, byte[] Fine) Encode(ReadOnlySpan<SeriesPoint> points)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Metric summaries are stored little-endian.");
        int n = points.Length;
        var fine = NewBlob(FineShift, n);
        var coarse = NewBlob(CoarseShift, n);
        var fineBlocks = MutableBlocks(fine);
        for (int u = 0; u < fineBlocks.Length; u++)
        {
            int start = u << FineShift;
            fineBlocks[u] = Summarise(points.Slice(start, Math.Min(1 << FineShift, n - start)));
        }
        var coarseBlocks = MutableBlocks(coarse);
        for (int u = 0; u < coarseBlocks.Length; u++)
        {
            int start = u * FinePerCoarse;
            coarseBlocks[u] = Fold(fineBlocks.Slice(start, Math.Min(FinePerCoarse, fineBlocks.Length - start)));
        }
        return (coarse, fine);
    }

    public static int Shift(ReadOnlySpan<byte> blob) => blob[1];

    public static int PointCount(ReadOnlySpan<byte> blob) => BinaryPrimitives.ReadInt32LittleEndian(blob[4..]);

    /// <summary>The blob's blocks; block <c>i</c> covers stored points <c>[i &lt;&lt; Shift, min(PointCount, (i + 1) &lt;&lt; Shift))</c>.</summary>
    public static ReadOnlySpan<Block> Blocks(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderBytes || blob[0] != Version) throw new InvalidDataException($"Unknown metric summary format {(blob.Length > 0 ? blob[0] : -1)}.");
        return MemoryMarshal.Cast<byte, Block>(blob[HeaderBytes..]);
    }

    private static byte[] NewBlob(int shift, int points)
    {
        int blocks = (points + (1 << shift) - 1) >> shift;
        var blob = new byte[HeaderBytes + blocks * Marshal.SizeOf<Block>()];
        blob[0] = Version;
        blob[1] = (byte)shift;
        BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(4), points);
        return blob;
    }

    private static Span<Block> MutableBlocks(byte[] blob) => MemoryMarshal.Cast<byte, Block>(blob.AsSpan(HeaderBytes));

    private static Block Summarise(ReadOnlySpan<SeriesPoint> points)
    {
        var b = new Block { MinStep = long.MaxValue, MaxStep = long.MinValue, Min = double.NaN, Max = double.NaN };
        foreach (ref readonly var p in points)
        {
            double v = p.Value;
            if (!double.IsNaN(v))
            {
                if (!(v >= b.Min)) b.Min = v;
                if (!(v <= b.Max)) b.Max = v;
            }
            if (p.Step < b.MinStep) b.MinStep = p.Step;
            if (p.Step >= b.MaxStep)
            {
                b.MaxStep = p.Step;
                b.Last = v;
            }
        }
        return b;
    }

    private static Block Fold(ReadOnlySpan<Block> parts)
    {
        var b = new Block { MinStep = long.MaxValue, MaxStep = long.MinValue, Min = double.NaN, Max = double.NaN };
        foreach (ref readonly var p in parts)
        {
            if (!(p.Min >= b.Min) && !double.IsNaN(p.Min)) b.Min = p.Min;
            if (!(p.Max <= b.Max) && !double.IsNaN(p.Max)) b.Max = p.Max;
            if (p.MinStep < b.MinStep) b.MinStep = p.MinStep;
            if (p.MaxStep >= b.MaxStep)
            {
                b.MaxStep = p.MaxStep;
                b.Last = p.Last;
            }
        }
        return b;
    }
}
