namespace MLTrack.Core.Storage.Chunks;

/// <summary>Receives one chunk's blob.</summary>
internal delegate void ChunkBlobVisitor(long seq, ReadOnlySpan<byte> blob);

/// <summary>
/// A store's read of one blob column of some chunks of one series: <paramref name="seqs"/> are distinct and ascending,
/// and <paramref name="visit"/> is called once per chunk, in seq order.
/// </summary>
internal delegate void ChunkColumnReader(ChunkColumn column, IReadOnlyList<long> seqs, ChunkBlobVisitor visit);
