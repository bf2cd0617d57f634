namespace MLTrack.Core.Storage.Chunks;

/// <summary>One chunk to store: a new one at <see cref="Seq"/>, or (<see cref="ReplacesTail"/>) the tail chunk rewritten with more points.</summary>
internal sealed record ChunkWrite(long Seq, int PointCount, long MinStep, long MaxStep, byte[] Summary, byte[] SummaryFine, byte[] Data, bool ReplacesTail);
