namespace MLTrack.Core.Storage.Chunks;

/// <summary>The heads (seq, step range) and coarse summaries of a series' chunks overlapping a step range, added in seq order.</summary>
internal sealed class ChunkHeads
{
    private readonly List<(long Seq, long MinStep, long MaxStep, byte[] Summary)> _rows = [];

    public int Count => _rows.Count;
    public long MinStep { get; private set; } = long.MaxValue;
    public long MaxStep { get; private set; } = long.MinValue;
    public (long Seq, long MinStep, long MaxStep) this[int i] => (_rows[i].Seq, _rows[i].MinStep, _rows[i].MaxStep);
    public ReadOnlySpan<byte> Summary(int i) => _rows[i].Summary;

    public void Add(long seq, long minStep, long maxStep, byte[] summary)
    {
        _rows.Add((seq, minStep, maxStep, summary));
        if (minStep < MinStep) MinStep = minStep;
        if (maxStep > MaxStep) MaxStep = maxStep;
    }
}
