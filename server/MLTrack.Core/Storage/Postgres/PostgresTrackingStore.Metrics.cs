using System.Runtime.InteropServices;
using MLTrack.Core.Metrics;
using MLTrack.Core.Storage.Chunks;
using Npgsql;
using static MLTrack.Core.Storage.StoreErrors;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// Metric series in binary chunks (migration 2), cut and read by the shared <see cref="ChunkLayout"/>,
/// <see cref="SeriesHistory"/> and <see cref="ChunkBuckets"/>, so the same appends give SQLite's chunks, histories and
/// buckets. Nothing about a series is remembered in this process: each append locks its series rows and reads what it
/// needs in the same transaction, so any number of replicas may append to one series.
/// </summary>
public sealed partial class PostgresTrackingStore
{
    /// <summary>
    /// Appends a batch's points inside the caller's transaction, in two round trips whatever the number of keys: (1)
    /// create missing series, lock every series of the batch (in key order, so that concurrent batches cannot
    /// deadlock) and read the tail chunks that the points merge into; (2) write the chunks and the series rows. The
    /// tail is read by a statement that runs after the lock is granted, so it sees the last committed append.
    /// </summary>
    private void AppendMetrics(NpgsqlConnection c, NpgsqlTransaction tx, string runId, IReadOnlyList<MetricPoint> metrics)
    {
        // Group by key keeping arrival order within each key; most batches hold one or a few keys.
        var byKey = new Dictionary<string, List<SeriesPoint>>();
        foreach (var m in metrics)
        {
            if (!byKey.TryGetValue(m.Key, out var list)) byKey[m.Key] = list = new List<SeriesPoint>(metrics.Count);
            list.Add(new SeriesPoint(m.Step, m.Timestamp, m.Value));
        }
        var keys = byKey.Keys.ToArray();
        var counts = keys.Select(k => byKey[k].Count).ToArray();

        var states = new Dictionary<string, SeriesState>(keys.Length);
        var tails = new Dictionary<string, byte[]>();
        using (var lockBatch = new NpgsqlBatch(c, tx))
        {
            lockBatch.BatchCommands.Add(Statement(
                """INSERT INTO metric_series (run_id, key) SELECT $1, k FROM unnest($2::text[]) AS k ORDER BY k COLLATE "C" ON CONFLICT DO NOTHING""",
                runId, keys));
            lockBatch.BatchCommands.Add(Statement(
                """
                SELECT key, point_count, last_step, last_timestamp, last_value, min_value, max_value, chunk_count, tail_points
                FROM metric_series WHERE run_id = $1 AND key = ANY($2) ORDER BY key FOR UPDATE
                """, runId, keys));
            lockBatch.BatchCommands.Add(Statement(
                """
                SELECT s.key, ch.data
                FROM unnest($2::text[], $3::int[]) AS b(key, n)
                JOIN metric_series s ON s.run_id = $1 AND s.key = b.key
                JOIN metric_chunks ch ON ch.run_id = s.run_id AND ch.key = s.key AND ch.seq = s.chunk_count - 1
                WHERE s.tail_points > 0 AND s.tail_points < $4 AND s.tail_points + b.n <= $5
                """, runId, keys, counts, ChunkLayout.MergeBelowPoints, ChunkLayout.MaxChunkPoints));
            using var r = lockBatch.ExecuteReader();
            while (r.Read()) states[r.GetString(0)] = ReadSeries(r);
            r.NextResult();
            while (r.Read()) tails[r.GetString(0)] = r.GetFieldValue<byte[]>(1);
        }

        var writes = new List<(string Key, ChunkWrite Chunk)>();
        foreach (var key in keys)
        {
            var s = states[key];
            var points = CollectionsMarshal.AsSpan(byKey[key]);
            if (ChunkLayout.MergesIntoTail(s.TailPoints, points.Length) && !tails.ContainsKey(key))
                throw new InvalidOperationException($"The tail chunk {s.ChunkCount - 1} of metric '{key}' of run '{runId}' is missing.");
            foreach (var w in ChunkLayout.Append(s, points, tails.GetValueOrDefault(key))) writes.Add((key, w));
        }

        using var writeBatch = new NpgsqlBatch(c, tx);
        var replaced = writes.Where(w => w.Chunk.ReplacesTail).ToList();
        if (replaced.Count > 0)
            writeBatch.BatchCommands.Add(ChunkStatement(
                """
                UPDATE metric_chunks ch SET point_count = b.n, min_step = b.lo, max_step = b.hi, summary = b.s, summary_fine = b.f, data = b.d
                FROM unnest($2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::bytea[], $8::bytea[], $9::bytea[]) AS b(key, seq, n, lo, hi, s, f, d)
                WHERE ch.run_id = $1 AND ch.key = b.key AND ch.seq = b.seq
                """, runId, replaced));
        var added = writes.Where(w => !w.Chunk.ReplacesTail).ToList();
        if (added.Count > 0)
            writeBatch.BatchCommands.Add(ChunkStatement(
                """
                INSERT INTO metric_chunks (run_id, key, seq, point_count, min_step, max_step, summary, summary_fine, data)
                SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[], $7::bytea[], $8::bytea[], $9::bytea[])
                """, runId, added));
        var saved = keys.Select(k => states[k]).ToArray();
        writeBatch.BatchCommands.Add(Statement(
            """
            UPDATE metric_series s SET point_count = b.n, last_step = b.step, last_timestamp = b.ts, last_value = b.v,
                   min_value = NULLIF(b.lo, 'NaN'), max_value = NULLIF(b.hi, 'NaN'), chunk_count = b.chunks, tail_points = b.tail
            FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::float8[], $7::float8[], $8::float8[], $9::int[], $10::int[])
                 AS b(key, n, step, ts, v, lo, hi, chunks, tail)
            WHERE s.run_id = $1 AND s.key = b.key
            """, runId, keys, saved.Select(s => s.Count).ToArray(), saved.Select(s => s.LastStep).ToArray(),
            saved.Select(s => s.LastTimestamp).ToArray(), saved.Select(s => s.LastValue).ToArray(), saved.Select(s => s.Min).ToArray(),
            saved.Select(s => s.Max).ToArray(), saved.Select(s => checked((int)s.ChunkCount)).ToArray(), saved.Select(s => s.TailPoints).ToArray()));
        writeBatch.ExecuteNonQuery();
    }

    private static SeriesState ReadSeries(NpgsqlDataReader r)
    {
        var count = r.GetInt64(1);
        return count == 0
            ? new SeriesState() // created by this append: any first point is the latest
            : new SeriesState
            {
                Count = count,
                LastStep = r.GetInt64(2),
                LastTimestamp = r.GetInt64(3),
                LastValue = r.GetDouble(4),
                Min = r.IsDBNull(5) ? double.NaN : r.GetDouble(5),
                Max = r.IsDBNull(6) ? double.NaN : r.GetDouble(6),
                ChunkCount = r.GetInt32(7),
                TailPoints = r.GetInt32(8),
            };
    }

    private static NpgsqlBatchCommand ChunkStatement(string sql, string runId, List<(string Key, ChunkWrite Chunk)> chunks) => Statement(sql,
        runId, chunks.Select(w => w.Key).ToArray(), chunks.Select(w => checked((int)w.Chunk.Seq)).ToArray(),
        chunks.Select(w => w.Chunk.PointCount).ToArray(), chunks.Select(w => w.Chunk.MinStep).ToArray(), chunks.Select(w => w.Chunk.MaxStep).ToArray(),
        chunks.Select(w => w.Chunk.Summary).ToArray(), chunks.Select(w => w.Chunk.SummaryFine).ToArray(), chunks.Select(w => w.Chunk.Data).ToArray());

    /// <summary>A statement with positional parameters ($1, $2, ...).</summary>
    private static NpgsqlBatchCommand Statement(string sql, params object[] args)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return cmd;
    }

    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId) => GetRun(runId).Metrics;

    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null) => _db.Read(c =>
    {
        var history = new SeriesHistory();
        int chunks = 0;
        using (var cmd = c.Command(
            "SELECT data FROM metric_chunks WHERE run_id = @r AND key = @k AND max_step >= @lo AND min_step <= @hi ORDER BY seq", null,
            ("r", runId), ("k", key), ("lo", fromStep ?? long.MinValue), ("hi", toStep ?? long.MaxValue)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                history.Add(r.GetFieldValue<byte[]>(0));
                chunks++;
            }
        }
        if (chunks == 0) RequireRun(c, null, runId, allowDeleted: true);
        return (IReadOnlyList<SeriesPoint>)history.Result(fromStep, toStep);
    });

    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null)
    {
        ChunkBuckets.CheckCount(buckets);
        return _db.Read(c =>
        {
            var heads = new ChunkHeads();
            using (var cmd = c.Command(
                "SELECT seq, min_step, max_step, summary FROM metric_chunks WHERE run_id = @r AND key = @k AND max_step >= @lo AND min_step <= @hi ORDER BY seq",
                null, ("r", runId), ("k", key), ("lo", fromStep ?? long.MinValue), ("hi", toStep ?? long.MaxValue)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) heads.Add(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), r.GetFieldValue<byte[]>(3));
            }
            (long, long)? steps = null;
            if (heads.Count == 0)
            {
                RequireRun(c, null, runId, allowDeleted: true);
                using var cmd = c.Command("SELECT min(min_step), max(max_step) FROM metric_chunks WHERE run_id = @r AND key = @k", null, ("r", runId), ("k", key));
                using var r = cmd.ExecuteReader();
                r.Read();
                if (r.IsDBNull(0)) return (IReadOnlyList<MetricBucket>)[]; // no such series
                steps = (r.GetInt64(0), r.GetInt64(1));
            }
            return ChunkBuckets.Read(heads, buckets, fromStep, toStep, () => steps, (column, seqs, visit) =>
            {
                var name = column == ChunkColumn.Data ? "data" : "summary_fine";
                using var cmd = c.Command($"SELECT seq, {name} FROM metric_chunks WHERE run_id = @r AND key = @k AND seq = ANY(@seqs) ORDER BY seq",
                    null, ("r", runId), ("k", key), ("seqs", seqs.Select(s => checked((int)s)).ToArray()));
                using var r = cmd.ExecuteReader();
                while (r.Read()) visit(r.GetInt32(0), r.GetFieldValue<byte[]>(1));
            });
        });
    }

    public IReadOnlyList<string> ListMetricKeys() => _db.Read(c =>
    {
        // Jumps from one distinct key to the next through metric_series_key_run: O(keys × log series), not a scan.
        using var cmd = c.Command("""
            WITH RECURSIVE k(name) AS (
                SELECT min(key) FROM metric_series
                UNION ALL
                SELECT (SELECT min(key) FROM metric_series WHERE key > k.name) FROM k WHERE k.name IS NOT NULL)
            SELECT name FROM k WHERE name IS NOT NULL ORDER BY name
            """, null);
        var keys = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) keys.Add(r.GetString(0));
        return (IReadOnlyList<string>)keys;
    });
}
