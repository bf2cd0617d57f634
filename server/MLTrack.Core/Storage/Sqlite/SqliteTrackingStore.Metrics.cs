using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Metrics;
using MLTrack.Core.Storage.Chunks;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
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
        var (seriesId, s) = cmds.LoadSeries(rowid, key);
        byte[]? tail = null;
        if (ChunkLayout.MergesIntoTail(s.TailPoints, points.Length))
        {
            MetricWriteCommands.Bind(cmds.ReadTailChunk, seriesId, s.ChunkCount - 1);
            tail = (byte[])cmds.ReadTailChunk.ExecuteScalar()!;
        }
        foreach (var w in ChunkLayout.Append(s, points, tail))
        {
            if (w.ReplacesTail)
            {
                MetricWriteCommands.Bind(cmds.ReplaceTailChunk, w.PointCount, w.MinStep, w.MaxStep, w.Summary, w.SummaryFine, w.Data, seriesId, w.Seq);
                cmds.ReplaceTailChunk.ExecuteNonQuery();
            }
            else
            {
                MetricWriteCommands.Bind(cmds.InsertChunk, seriesId, w.Seq, w.PointCount, w.MinStep, w.MaxStep, w.Summary, w.SummaryFine, w.Data);
                cmds.InsertChunk.ExecuteNonQuery();
            }
        }
        cmds.SaveSeries(seriesId, s);
    }

    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId) => GetRun(runId).Metrics;

    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null) => Read(c =>
    {
        if (FindSeriesId(c, runId, key) is not { } seriesId) return (IReadOnlyList<SeriesPoint>)[];
        var history = new SeriesHistory();
        ForEachChunk(c, seriesId, fromStep ?? long.MinValue, toStep ?? long.MaxValue, history.Add);
        return history.Result(fromStep, toStep);
    });

    /// <summary>Buckets over [from, to] (default: the whole series), as <see cref="ChunkBuckets"/> folds them from the chunks.</summary>
    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null)
    {
        ChunkBuckets.CheckCount(buckets);
        return Read(c =>
        {
            if (FindSeriesId(c, runId, key) is not { } seriesId) return (IReadOnlyList<MetricBucket>)[];
            var heads = new ChunkHeads();
            ReadHeads(c, seriesId, fromStep ?? long.MinValue, toStep ?? long.MaxValue, heads);
            return ChunkBuckets.Read(heads, buckets, fromStep, toStep, () =>
            {
                using var cmd = c.Command($"SELECT min(min_step), max(max_step) FROM metric_chunks WHERE {SeriesChunks}", null, ("@id", seriesId));
                using var r = cmd.ExecuteReader();
                r.Read();
                return r.IsDBNull(0) ? null : (r.GetInt64(0), r.GetInt64(1));
            }, (column, seqs, visit) => ForEachChunkColumn(c, seriesId, column == ChunkColumn.Data ? "data" : "summary_fine", seqs, visit));
        });
    }

    /// <summary>Chunk heads and coarse summaries of a series' chunks overlapping a step range, in seq order.</summary>
    private static void ReadHeads(SqliteConnection c, long seriesId, long lo, long hi, ChunkHeads into)
    {
        using var cmd = c.Command(
            $"SELECT seq, min_step, max_step, summary FROM metric_chunks WHERE {SeriesChunks} AND max_step >= @lo AND min_step <= @hi ORDER BY chunk_id",
            null, ("@id", seriesId), ("@lo", lo), ("@hi", hi));
        using var r = cmd.ExecuteReader();
        while (r.Read()) into.Add(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetFieldValue<byte[]>(3)); // GetBytes costs microseconds per call
    }

    private static long? FindSeriesId(SqliteConnection c, string runId, string key)
    {
        var rowid = RequireRun(c, null, runId, allowDeleted: true);
        return c.Scalar("SELECT series_id FROM metric_series WHERE run_rowid = @r AND key = @k", null, ("@r", rowid), ("@k", key)) as long?;
    }

    /// <summary>The rowid range of series @id's chunks (see the schema: chunk_id = series_id &lt;&lt; 32 | seq).</summary>
    private const string SeriesChunks = "chunk_id BETWEEN (@id << 32) AND (@id << 32) | 4294967295";

    private delegate void ChunkVisitor(ReadOnlySpan<byte> blob);

    /// <summary>
    /// Visits one blob column of the given chunks (seqs ascending) in seq order: one range query per run of consecutive
    /// seqs, so only the chunks asked for are read.
    /// </summary>
    private static void ForEachChunkColumn(SqliteConnection c, long seriesId, string column, IEnumerable<long> seqs, ChunkBlobVisitor visit)
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
