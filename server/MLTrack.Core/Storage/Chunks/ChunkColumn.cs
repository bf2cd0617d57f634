namespace MLTrack.Core.Storage.Chunks;

/// <summary>The blob columns of a stored chunk that bucket reads fetch on demand (the coarse summary comes with its head).</summary>
internal enum ChunkColumn
{
    /// <summary>64-point block summaries (<c>summary_fine</c>).</summary>
    SummaryFine,
    /// <summary>The points (<c>data</c>, <see cref="MetricChunkCodec"/>).</summary>
    Data,
}
