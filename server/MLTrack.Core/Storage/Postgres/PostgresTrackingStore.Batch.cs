using Npgsql;
using NpgsqlTypes;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    /// <summary>
    /// Params, tags and metric points in one transaction. Safe with writers on other replicas: an idempotency key is
    /// claimed by inserting it (a retry racing the first attempt waits for it, then skips), and params are inserted
    /// first and compared after, so of two replicas setting one param to different values exactly one wins.
    /// </summary>
    public void LogBatch(string runId, RunBatch batch)
    {
        CheckBatch(batch);
        _db.Write((c, tx) =>
        {
            RequireRun(c, tx, runId, allowDeleted: false);
            if (batch.IdempotencyKey is { } key
                && c.Exec("INSERT INTO applied_batches VALUES (@r, @k) ON CONFLICT DO NOTHING", tx, ("r", runId), ("k", key)) == 0)
                return; // applied before: a retry or a replayed spool
            WriteParams(c, tx, runId, batch.Params);
            UpsertTags(c, tx, runId, batch.Tags);
            if (batch.Metrics.Count > 0) AppendMetrics(c, tx, runId, batch.Metrics);
        });
    }

    /// <summary>
    /// Inserts the params that are new and refuses the batch when one was already logged with another value. Not
    /// read-then-write, which two replicas could both pass: the insert waits for a concurrent uncommitted insert of the
    /// same key and then skips it, and the comparison reads what won. Keys go in sorted so that two batches overlapping
    /// in keys lock them in the same order and cannot deadlock.
    /// </summary>
    private static void WriteParams(NpgsqlConnection c, NpgsqlTransaction tx, string runId, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (parameters.Count == 0) return;
        var first = new Dictionary<string, string>();
        foreach (var (k, v) in parameters) first.TryAdd(k, v);
        var keys = first.Keys.ToArray();
        int inserted;
        using (var insert = c.Command(
            """
            INSERT INTO params (run_id, key, value)
            SELECT @r, k, v FROM unnest(@keys, @values) AS p(k, v) ORDER BY k COLLATE "C"
            ON CONFLICT (run_id, key) DO NOTHING
            """, tx, ("r", runId)))
        {
            insert.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
            insert.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = first.Values.ToArray() });
            inserted = insert.ExecuteNonQuery();
        }
        var stored = inserted == first.Count ? first : StoredParams(c, tx, runId, keys);
        // Judge in the batch's order, as one by one would, so the refusal names the same param and values as SQLite's.
        var seen = new Dictionary<string, string>();
        foreach (var (k, v) in parameters)
        {
            if (seen.TryGetValue(k, out var earlier) && earlier != v) throw ParamChanged(runId, k, earlier, v);
            seen[k] = v;
            if (stored[k] != v) throw ParamChanged(runId, k, stored[k], v);
        }
    }

    private static Dictionary<string, string> StoredParams(NpgsqlConnection c, NpgsqlTransaction tx, string runId, string[] keys)
    {
        var stored = new Dictionary<string, string>();
        using var read = c.Command("SELECT key, value FROM params WHERE run_id = @r AND key = ANY(@keys)", tx, ("r", runId), ("keys", keys));
        using var r = read.ExecuteReader();
        while (r.Read()) stored[r.GetString(0)] = r.GetString(1);
        return stored;
    }

    /// <summary>Sets tags (the last value of a key given twice wins, as one by one would), in key order to avoid deadlocks.</summary>
    private static void UpsertTags(NpgsqlConnection c, NpgsqlTransaction tx, string runId, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (tags.Count == 0) return;
        var last = new Dictionary<string, string>();
        foreach (var (k, v) in tags) last[k] = v;
        using var cmd = c.Command(
            """
            INSERT INTO tags (run_id, key, value)
            SELECT @r, k, v FROM unnest(@keys, @values) AS t(k, v) ORDER BY k COLLATE "C"
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
            """, tx, ("r", runId));
        cmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Keys.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Values.ToArray() });
        cmd.ExecuteNonQuery();
    }
}
