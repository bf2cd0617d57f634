using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// Packs a run of points of one series into a blob. Steps and timestamps are usually regular (step += 1, or the
/// same timestamp for a whole batch), so each is stored either as (start, stride) or as an array; values are raw
/// doubles so NaN and ±∞ survive bit-exactly. Layout (little-endian):
/// <code>
/// u8 flags | i32 count | steps: (i64 start, i64 stride) or i64[count] | timestamps: (i64 start, i64 stride) or (i64 base, i32[count] delta) | f64[count]
/// </code>
/// </summary>
internal static class MetricChunkCodec
{
    private const byte StepsRegular = 1;
    private const byte TimestampsRegular = 2;
    private const byte TimestampsAsLongs = 4; // deltas beyond ±24 days do not fit in i32

    public static byte[] Encode(ReadOnlySpan<SeriesPoint> points)
    {
        int n = points.Length;
        bool stepsRegular = IsRegular(points, static p => p.Step);
        bool tsRegular = IsRegular(points, static p => p.Timestamp);
        bool tsLongs = false;
        if (!tsRegular)
        {
            long baseTs = points[0].Timestamp;
            foreach (var p in points)
            {
                long d = p.Timestamp - baseTs;
                if (d is < int.MinValue or > int.MaxValue) { tsLongs = true; break; }
            }
        }

        int size = 1 + 4
            + (stepsRegular ? 16 : 8 * n)
            + (tsRegular ? 16 : tsLongs ? 8 * n : 8 + 4 * n)
            + 8 * n;
        var blob = new byte[size];
        var span = blob.AsSpan();
        span[0] = (byte)((stepsRegular ? StepsRegular : 0) | (tsRegular ? TimestampsRegular : 0) | (tsLongs ? TimestampsAsLongs : 0));
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], n);
        int o = 5;

        if (stepsRegular)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[o..], points[0].Step);
            BinaryPrimitives.WriteInt64LittleEndian(span[(o + 8)..], n > 1 ? points[1].Step - points[0].Step : 0);
            o += 16;
        }
        else
        {
            foreach (var p in points) { BinaryPrimitives.WriteInt64LittleEndian(span[o..], p.Step); o += 8; }
        }

        if (tsRegular)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[o..], points[0].Timestamp);
            BinaryPrimitives.WriteInt64LittleEndian(span[(o + 8)..], n > 1 ? points[1].Timestamp - points[0].Timestamp : 0);
            o += 16;
        }
        else if (tsLongs)
        {
            foreach (var p in points) { BinaryPrimitives.WriteInt64LittleEndian(span[o..], p.Timestamp); o += 8; }
        }
        else
        {
            long baseTs = points[0].Timestamp;
            BinaryPrimitives.WriteInt64LittleEndian(span[o..], baseTs);
            o += 8;
            foreach (var p in points) { BinaryPrimitives.WriteInt32LittleEndian(span[o..], (int)(p.Timestamp - baseTs)); o += 4; }
        }

        foreach (var p in points) { BinaryPrimitives.WriteDoubleLittleEndian(span[o..], p.Value); o += 8; }
        return blob;
    }

    public static int Count(ReadOnlySpan<byte> blob) => BinaryPrimitives.ReadInt32LittleEndian(blob[1..]);

    /// <summary>Appends the blob's points to <paramref name="into"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> blob, List<SeriesPoint> into)
    {
        int n = Count(blob);
        int start = into.Count;
        CollectionsMarshal.SetCount(into, start + n);
        var dest = CollectionsMarshal.AsSpan(into).Slice(start, n);
        Decode(blob, dest);
    }

    /// <summary>Decodes into a span of exactly <see cref="Count"/> points.</summary>
    public static void Decode(ReadOnlySpan<byte> blob, Span<SeriesPoint> dest)
    {
        byte flags = blob[0];
        int n = Count(blob);
        int o = 5;
        long stepStart = 0, stepStride = 0;
        bool stepsRegular = (flags & StepsRegular) != 0;
        ReadOnlySpan<byte> stepBytes = default;
        if (stepsRegular)
        {
            stepStart = BinaryPrimitives.ReadInt64LittleEndian(blob[o..]);
            stepStride = BinaryPrimitives.ReadInt64LittleEndian(blob[(o + 8)..]);
            o += 16;
        }
        else
        {
            stepBytes = blob.Slice(o, 8 * n);
            o += 8 * n;
        }

        bool tsRegular = (flags & TimestampsRegular) != 0, tsLongs = (flags & TimestampsAsLongs) != 0;
        long tsStart = 0, tsStride = 0;
        ReadOnlySpan<byte> tsBytes = default;
        if (tsRegular)
        {
            tsStart = BinaryPrimitives.ReadInt64LittleEndian(blob[o..]);
            tsStride = BinaryPrimitives.ReadInt64LittleEndian(blob[(o + 8)..]);
            o += 16;
        }
        else if (tsLongs)
        {
            tsBytes = blob.Slice(o, 8 * n);
            o += 8 * n;
        }
        else
        {
            tsStart = BinaryPrimitives.ReadInt64LittleEndian(blob[o..]);
            o += 8;
            tsBytes = blob.Slice(o, 4 * n);
            o += 4 * n;
        }

        var values = MemoryMarshal.Cast<byte, double>(blob.Slice(o, 8 * n));
        var stepArray = stepsRegular ? default : MemoryMarshal.Cast<byte, long>(stepBytes);
        var tsLongArray = tsLongs ? MemoryMarshal.Cast<byte, long>(tsBytes) : default;
        var tsIntArray = !tsRegular && !tsLongs ? MemoryMarshal.Cast<byte, int>(tsBytes) : default;
        for (int i = 0; i < n; i++)
        {
            long step = stepsRegular ? stepStart + stepStride * i : stepArray[i];
            long ts = tsRegular ? tsStart + tsStride * i : tsLongs ? tsLongArray[i] : tsStart + tsIntArray[i];
            dest[i] = new SeriesPoint(step, ts, values[i]);
        }
    }

    private static bool IsRegular(ReadOnlySpan<SeriesPoint> points, Func<SeriesPoint, long> field)
    {
        if (points.Length <= 2) return points.Length == 1 || points.Length == 2;
        long stride = field(points[1]) - field(points[0]);
        for (int i = 2; i < points.Length; i++)
        {
            if (field(points[i]) - field(points[i - 1]) != stride) return false;
        }
        return true;
    }
}
