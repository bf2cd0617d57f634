using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Metrics;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    /// <summary>Largest chunk; a read of a narrow step range decodes at most this many points outside it per edge.</summary>
    internal const int MaxChunkPoints = 4096;
    /// <summary>A tail chunk smaller than this is merged with the next append, so point-by-point logging still makes big chunks.</summary>
    internal const int MergeBelowPoints = 256;

    public void LogBatch(string runId, RunBatch batch)
    {
        CheckBatch(batch);
        Write((c, tx) =>
        {
            var rowid = RequireRun(c, tx, runId, allowDeleted: false);
            if (batch.IdempotencyKey is { } key
                && c.Exec("INSERT OR IGNORE INTO applied_batches VALUES (@r, @k)", tx, ("@r", rowid), ("@k", key)) == 0)
                return; // applied before: a retry or a replayed spool
            WriteParams(c, tx, rowid, runId, batch.Params);
            foreach (var (k, v) in batch.Tags) UpsertTag(c, tx, rowid, k, v);
            if (batch.Metrics.Count > 0) AppendMetrics(tx, rowid, batch.Metrics);
        });
    }

    private static void WriteParams(SqliteConnection c, SqliteTransaction tx, long rowid, string runId, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var seen = new Dictionary<string, string>();
        foreach (var (k, v) in parameters)
        {
            if (seen.TryGetValue(k, out var earlier) && earlier != v)
                throw ParamChanged(runId, k, earlier, v);
            seen[k] = v;
            var existing = c.Scalar("SELECT value FROM params WHERE run_rowid = @r AND key = @k", tx, ("@r", rowid), ("@k", k)) as string;
            if (existing is null)
                c.Exec("INSERT INTO params VALUES (@r, @k, @v)", tx, ("@r", rowid), ("@k", k), ("@v", v));
            else if (existing != v)
                throw ParamChanged(runId, k, existing, v);
        }
    }

    private void AppendMetrics(SqliteTransaction tx, long rowid, IReadOnlyList<Metrics.MetricPoint> metrics)
    {
        var cmds = _metricCommands ??= new MetricWriteCommands(_writer);
        cmds.Enlist(tx);
        // Group by key keeping arrival order; most batches hold one or a few keys.
        var byKey = new Dictionary<string, List<SeriesPoint>>();
        foreach (var m in metrics)
        {
            if (!byKey.TryGetValue(m.Key, out var list)) byKey[m.Key] = list = new List<SeriesPoint>(metrics.Count);
            list.Add(new SeriesPoint(m.Step, m.Timestamp, m.Value));
        }
        foreach (var (key, points) in byKey) AppendSeries(cmds, rowid, key, CollectionsMarshal.AsSpan(points));
    }

    private static void AppendSeries(MetricWriteCommands cmds, long rowid, string key, ReadOnlySpan<SeriesPoint> points)
    {
        var s = SeriesState.Load(cmds, rowid, key);
        s.Absorb(points);

        int offset = 0;
        if (s.TailPoints is > 0 and < MergeBelowPoints && s.TailPoints + points.Length <= MaxChunkPoints)
        {
            // Rewrite the small tail chunk with the new points appended.
            MetricWriteCommands.Bind(cmds.ReadTailChunk, s.SeriesId, s.ChunkCount - 1);
            var old = (byte[])cmds.ReadTailChunk.ExecuteScalar()!;
            var merged = new List<SeriesPoint>(s.TailPoints + points.Length);
            MetricChunkCodec.Decode(old, merged);
            merged.AddRange(points);
            var span = CollectionsMarshal.AsSpan(merged);
            var (lo, hi) = StepRange(span);
            var (summary, fine) = MetricSummaryCodec.Encode(span);
            MetricWriteCommands.Bind(cmds.ReplaceTailChunk, merged.Count, lo, hi, summary, fine, MetricChunkCodec.Encode(span), s.SeriesId, s.ChunkCount - 1);
            cmds.ReplaceTailChunk.ExecuteNonQuery();
            s.TailPoints = merged.Count;
            offset = points.Length;
        }
        while (offset < points.Length)
        {
            var part = points.Slice(offset, Math.Min(MaxChunkPoints, points.Length - offset));
            var (lo, hi) = StepRange(part);
            var (summary, fine) = MetricSummaryCodec.Encode(part);
            MetricWriteCommands.Bind(cmds.InsertChunk, s.SeriesId, s.ChunkCount, part.Length, lo, hi, summary, fine, MetricChunkCodec.Encode(part));
            cmds.InsertChunk.ExecuteNonQuery();
            s.ChunkCount++;
            s.TailPoints = part.Length;
            offset += part.Length;
        }
        s.Save(cmds);
    }

    private static (long Lo, long Hi) StepRange(ReadOnlySpan<SeriesPoint> points)
    {
        long lo = long.MaxValue, hi = long.MinValue;
        foreach (var p in points)
        {
            if (p.Step < lo) lo = p.Step;
            if (p.Step > hi) hi = p.Step;
        }
        return (lo, hi);
    }

    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId) => GetRun(runId).Metrics;

    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null) => Read(c =>
    {
        var points = new List<SeriesPoint>();
        if (FindSeriesId(c, runId, key) is not { } seriesId) return points;
        long lo = fromStep ?? long.MinValue, hi = toStep ?? long.MaxValue;
        bool sorted = true;
        long prevStep = long.MinValue, prevTs = long.MinValue;
        ForEachChunk(c, seriesId, lo, hi, blob =>
        {
            int start = points.Count;
            MetricChunkCodec.Decode(blob, points);
            var added = CollectionsMarshal.AsSpan(points)[start..];
            foreach (var p in added)
            {
                if (p.Step < prevStep || (p.Step == prevStep && p.Timestamp < prevTs)) sorted = false;
                prevStep = p.Step;
                prevTs = p.Timestamp;
            }
        });
        if (fromStep is not null || toStep is not null) points.RemoveAll(p => p.Step < lo || p.Step > hi);
        if (!sorted) points.Sort(static (a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Timestamp.CompareTo(b.Timestamp));
        return (IReadOnlyList<SeriesPoint>)points;
    });

    /// <summary>
    /// Buckets over [from, to] (default: the series' whole step range). Wide buckets are folded from the chunks' stored
    /// sub-block summaries (512 points, else 64) without reading the data blobs; boundaries then snap to sub-block edges and
    /// each bucket reports the steps it really covers. Narrow buckets, range edges and out-of-order stretches decode points.
    /// Either way a bucket's count, min, max and last are exact for its [FromStep, ToStep].
    /// </summary>
    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null)
    {
        if (buckets < 1) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Bucket count must be at least 1, got {buckets}.");
        return Read(c =>
        {
            if (FindSeriesId(c, runId, key) is not { } seriesId) return (IReadOnlyList<MetricBucket>)[];
            if (fromStep > toStep) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Step range is empty: from {fromStep} > to {toStep}.");
            var chunks = ChunkSummaries.Read(c, seriesId, fromStep ?? long.MinValue, toStep ?? long.MaxValue);
            long lo, hi;
            if (chunks.Count > 0)
            {
                lo = fromStep ?? chunks.MinStep;
                hi = toStep ?? chunks.MaxStep;
            }
            else
            {
                if (fromStep is not null && toStep is not null) return [];
                using var cmd = c.Command($"SELECT min(min_step), max(max_step) FROM metric_chunks WHERE {SeriesChunks}", null, ("@id", seriesId));
                using var r = cmd.ExecuteReader();
                r.Read();
                if (r.IsDBNull(0)) return [];
                lo = fromStep ?? r.GetInt64(0);
                hi = toStep ?? r.GetInt64(1);
            }
            if (hi < lo) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Step range is empty: from {lo} > to {hi}.");
            return BucketChunks(c, seriesId, chunks, new SnappedBucketer(lo, hi, buckets));
        });
    }

    /// <summary>Storage position of a chunk's point, for last-value ties: chunks in seq order, points in stored order.</summary>
    private static long Position(long seq, int index) => (seq << 32) | (uint)index;

    private static IReadOnlyList<MetricBucket> BucketChunks(SqliteConnection c, long seriesId, ChunkSummaries chunks, SnappedBucketer bucketer)
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
            ForEachChunkColumn(c, seriesId, "summary_fine", refine.Select(r => r.Seq), (seq, blob) =>
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
            var scratch = new SeriesPoint[MaxChunkPoints];
            int next = 0;
            ForEachChunkColumn(c, seriesId, "data", raw.Select(r => r.Seq), (seq, blob) =>
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

    /// <summary>Chunk heads and coarse summaries of a series' chunks overlapping a step range, in seq order.</summary>
    private sealed class ChunkSummaries
    {
        private readonly List<(long Seq, long MinStep, long MaxStep, byte[] Summary)> _rows = [];

        public int Count => _rows.Count;
        public long MinStep { get; private set; } = long.MaxValue;
        public long MaxStep { get; private set; } = long.MinValue;
        public (long Seq, long MinStep, long MaxStep) this[int i] => (_rows[i].Seq, _rows[i].MinStep, _rows[i].MaxStep);
        public ReadOnlySpan<byte> Summary(int i) => _rows[i].Summary;

        public static ChunkSummaries Read(SqliteConnection c, long seriesId, long lo, long hi)
        {
            var result = new ChunkSummaries();
            using var cmd = c.Command(
                $"SELECT seq, min_step, max_step, summary FROM metric_chunks WHERE {SeriesChunks} AND max_step >= @lo AND min_step <= @hi ORDER BY chunk_id",
                null, ("@id", seriesId), ("@lo", lo), ("@hi", hi));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                long min = r.GetInt64(1), max = r.GetInt64(2);
                result._rows.Add((r.GetInt64(0), min, max, r.GetFieldValue<byte[]>(3))); // GetBytes costs microseconds per call
                if (min < result.MinStep) result.MinStep = min;
                if (max > result.MaxStep) result.MaxStep = max;
            }
            return result;
        }
    }

    private static long? FindSeriesId(SqliteConnection c, string runId, string key)
    {
        var rowid = RequireRun(c, null, runId, allowDeleted: true);
        return c.Scalar("SELECT series_id FROM metric_series WHERE run_rowid = @r AND key = @k", null, ("@r", rowid), ("@k", key)) as long?;
    }

    /// <summary>The rowid range of series @id's chunks (see the schema: chunk_id = series_id &lt;&lt; 32 | seq).</summary>
    private const string SeriesChunks = "chunk_id BETWEEN (@id << 32) AND (@id << 32) | 4294967295";

    private delegate void ChunkVisitor(ReadOnlySpan<byte> blob);
    private delegate void SeqChunkVisitor(long seq, ReadOnlySpan<byte> blob);

    /// <summary>
    /// Visits one blob column of the given chunks (seqs ascending, repeats allowed) in seq order: one range query per run
    /// of consecutive seqs, so only the chunks asked for are read.
    /// </summary>
    private static void ForEachChunkColumn(SqliteConnection c, long seriesId, string column, IEnumerable<long> seqs, SeqChunkVisitor visit)
    {
        using var cmd = c.Command(
            $"SELECT seq, {column} FROM metric_chunks WHERE chunk_id BETWEEN (@id << 32) | @from AND (@id << 32) | @to ORDER BY chunk_id",
            null, ("@id", seriesId), ("@from", 0L), ("@to", 0L));
        void Run(long from, long to)
        {
            cmd.Parameters["@from"].Value = from;
            cmd.Parameters["@to"].Value = to;
            using var r = cmd.ExecuteReader();
            while (r.Read()) visit(r.GetInt64(0), r.GetFieldValue<byte[]>(1));
        }
        long runFrom = 0, runTo = -1;
        foreach (var seq in seqs)
        {
            if (runTo >= runFrom && seq <= runTo + 1)
            {
                runTo = Math.Max(runTo, seq);
                continue;
            }
            if (runTo >= runFrom) Run(runFrom, runTo);
            runFrom = runTo = seq;
        }
        if (runTo >= runFrom) Run(runFrom, runTo);
    }

    private static void ForEachChunk(SqliteConnection c, long seriesId, long lo, long hi, ChunkVisitor visit)
    {
        using var cmd = c.Command(
            $"SELECT data FROM metric_chunks WHERE {SeriesChunks} AND max_step >= @lo AND min_step <= @hi ORDER BY chunk_id",
            null, ("@id", seriesId), ("@lo", lo), ("@hi", hi));
        using var r = cmd.ExecuteReader();
        while (r.Read()) visit(r.GetFieldValue<byte[]>(0)); // a fresh array, but GetBytes costs microseconds per call
    }
}
