using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Chunks;

/// <summary>
/// A series' points decoded from its chunks (added in seq order), returned in step order, then timestamp. Chunks are
/// usually already in that order, so the sort runs only when a point went back.
/// </summary>
internal sealed class SeriesHistory
{
    private readonly List<SeriesPoint> _points = [];
    private bool _sorted = true;
    private long _prevStep = long.MinValue, _prevTs = long.MinValue;

    public void Add(ReadOnlySpan<byte> chunkData)
    {
        int start = _points.Count;
        MetricChunkCodec.Decode(chunkData, _points);
        foreach (var p in CollectionsMarshal.AsSpan(_points)[start..])
        {
            if (p.Step < _prevStep || (p.Step == _prevStep && p.Timestamp < _prevTs)) _sorted = false;
            _prevStep = p.Step;
            _prevTs = p.Timestamp;
        }
    }

    /// <summary>The points in [fromStep, toStep] (each bound optional), in step then timestamp order.</summary>
    public List<SeriesPoint> Result(long? fromStep, long? toStep)
    {
        long lo = fromStep ?? long.MinValue, hi = toStep ?? long.MaxValue;
        if (fromStep is not null || toStep is not null) _points.RemoveAll(p => p.Step < lo || p.Step > hi);
        if (!_sorted) _points.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp));
        return _points;
    }
}
