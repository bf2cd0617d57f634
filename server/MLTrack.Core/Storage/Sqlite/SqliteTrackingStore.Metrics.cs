using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    /// <summary>Largest chunk; a read of a narrow step range decodes at most this many points outside it per edge.</summary>
    internal const int MaxChunkPoints = 4096;
    /// <summary>A tail chunk smaller than this is merged with the next append, so point-by-point logging still makes big chunks.</summary>
    internal const int MergeBelowPoints = 256;

    public void LogBatch(string runId, RunBatch batch)
    {
        ValidateBatch(runId, batch);
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

    private static void ValidateBatch(string runId, RunBatch batch)
    {
        foreach (var m in batch.Metrics)
            if (string.IsNullOrEmpty(m.Key)) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Metric key must be non-empty (run '{runId}').");
        foreach (var (k, _) in batch.Params.Concat(batch.Tags))
            if (string.IsNullOrEmpty(k)) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Param and tag keys must be non-empty (run '{runId}').");
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

    private static StoreException ParamChanged(string runId, string key, string old, string attempted) => new(
        StoreErrorCode.InvalidParameterValue,
        $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{attempted}'.");

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
            MetricWriteCommands.Bind(cmds.ReplaceTailChunk, merged.Count, lo, hi, MetricChunkCodec.Encode(span), s.SeriesId, s.ChunkCount - 1);
            cmds.ReplaceTailChunk.ExecuteNonQuery();
            s.TailPoints = merged.Count;
            offset = points.Length;
        }
        while (offset < points.Length)
        {
            var part = points.Slice(offset, Math.Min(MaxChunkPoints, points.Length - offset));
            var (lo, hi) = StepRange(part);
            MetricWriteCommands.Bind(cmds.InsertChunk, s.SeriesId, s.ChunkCount, part.Length, lo, hi, MetricChunkCodec.Encode(part));
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

    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null)
    {
        if (buckets < 1) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Bucket count must be at least 1, got {buckets}.");
        return Read(c =>
        {
            if (FindSeriesId(c, runId, key) is not { } seriesId) return (IReadOnlyList<MetricBucket>)[];
            long lo = fromStep ?? 0, hi = toStep ?? 0;
            if (fromStep is null || toStep is null)
            {
                using var cmd = c.Command("SELECT min(min_step), max(max_step) FROM metric_chunks WHERE series_id = @id", null, ("@id", seriesId));
                using var r = cmd.ExecuteReader();
                r.Read();
                if (r.IsDBNull(0)) return [];
                lo = fromStep ?? r.GetInt64(0);
                hi = toStep ?? r.GetInt64(1);
            }
            if (hi < lo) throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Step range is empty: from {lo} > to {hi}.");
            var bucketer = new MetricBucketer(lo, hi, buckets);
            var scratch = new SeriesPoint[MaxChunkPoints];
            ForEachChunk(c, seriesId, lo, hi, blob =>
            {
                int n = MetricChunkCodec.Count(blob);
                var dest = n <= scratch.Length ? scratch.AsSpan(0, n) : new SeriesPoint[n];
                MetricChunkCodec.Decode(blob, dest);
                bucketer.Add(dest);
            });
            return bucketer.Result();
        });
    }

    private static long? FindSeriesId(SqliteConnection c, string runId, string key)
    {
        var rowid = RequireRun(c, null, runId, allowDeleted: true);
        return c.Scalar("SELECT series_id FROM metric_series WHERE run_rowid = @r AND key = @k", null, ("@r", rowid), ("@k", key)) as long?;
    }

    private delegate void ChunkVisitor(ReadOnlySpan<byte> blob);

    private static void ForEachChunk(SqliteConnection c, long seriesId, long lo, long hi, ChunkVisitor visit)
    {
        using var cmd = c.Command(
            "SELECT data FROM metric_chunks WHERE series_id = @id AND max_step >= @lo AND min_step <= @hi ORDER BY seq",
            null, ("@id", seriesId), ("@lo", lo), ("@hi", hi));
        using var r = cmd.ExecuteReader();
        byte[] buffer = new byte[64 * 1024];
        while (r.Read())
        {
            int len = (int)r.GetBytes(0, 0, null, 0, 0);
            if (len > buffer.Length) buffer = new byte[Math.Max(len, buffer.Length * 2)];
            r.GetBytes(0, 0, buffer, 0, len);
            visit(buffer.AsSpan(0, len));
        }
    }
}
