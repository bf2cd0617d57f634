using MLTrack.Core.Lineage;
using NpgsqlTypes;
using Npgsql;
using static MLTrack.Core.Storage.FileDirectionNames;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    public void RecordRunFiles(string runId, IReadOnlyList<RunFile> files) => _db.Write((c, tx) =>
    {
        RequireRun(c, tx, runId, allowDeleted: false);
        if (files.Count == 0) return;
        // The last record of a (direction, path) given twice wins, as one by one would; one statement cannot upsert a row twice.
        var last = new Dictionary<(string, string), RunFile>();
        foreach (var f in files) last[(DirectionName(f.Direction), f.Path)] = f;
        using var cmd = c.Command(
            """
            INSERT INTO run_files (run_id, direction, path, size, sha256)
            SELECT @r, d, p, s, h FROM unnest(@d, @p, @s, @h) AS f(d, p, s, h) ORDER BY d COLLATE "C", p COLLATE "C"
            ON CONFLICT (run_id, direction, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256
            """, tx, ("r", runId));
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Keys.Select(k => k.Item1).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Keys.Select(k => k.Item2).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = last.Values.Select(f => f.Size).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Values.Select(f => f.Sha256).ToArray() });
        cmd.ExecuteNonQuery();
    });

    public IReadOnlyList<RunFile> ListRunFiles(string runId) => _db.Read(c =>
    {
        RequireRun(c, null, runId, allowDeleted: true);
        var list = new List<RunFile>();
        using var cmd = c.Command("SELECT direction, path, size, sha256 FROM run_files WHERE run_id = @r ORDER BY direction, path", null, ("r", runId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new RunFile(ParseDirection(r.GetString(0)), r.GetString(1), r.GetInt64(2), r.GetString(3)));
        return (IReadOnlyList<RunFile>)list;
    });

    public IReadOnlyList<(string RunId, RunFile File)> FindRunsByFile(string sha256) => _db.Read(c =>
    {
        var list = new List<(string, RunFile)>();
        using var cmd = c.Command("""
            SELECT r.run_id, f.direction, f.path, f.size, f.sha256 FROM run_files f JOIN runs r ON r.run_id = f.run_id
            WHERE f.sha256 = @h AND r.lifecycle_stage = 'active' ORDER BY r.start_time, r.run_seq, f.direction, f.path
            """, null, ("h", sha256));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add((r.GetString(0), new RunFile(ParseDirection(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetString(4))));
        return (IReadOnlyList<(string, RunFile)>)list;
    });
}
