using MLTrack.Core.Lineage;
using static MLTrack.Core.Storage.FileDirectionNames;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    public void RecordRunFiles(string runId, IReadOnlyList<RunFile> files) => Write((c, tx) =>
    {
        var rowid = RequireRun(c, tx, runId, allowDeleted: false);
        foreach (var f in files)
            c.Exec("""
                INSERT INTO run_files VALUES (@r, @d, @p, @s, @h)
                ON CONFLICT (run_rowid, direction, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256
                """, tx, ("@r", rowid), ("@d", DirectionName(f.Direction)), ("@p", f.Path), ("@s", f.Size), ("@h", f.Sha256));
    });

    public IReadOnlyList<RunFile> ListRunFiles(string runId) => Read(c =>
    {
        var rowid = RequireRun(c, null, runId, allowDeleted: true);
        var list = new List<RunFile>();
        using var cmd = c.Command("SELECT direction, path, size, sha256 FROM run_files WHERE run_rowid = @r ORDER BY direction, path", null, ("@r", rowid));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new RunFile(ParseDirection(r.GetString(0)), r.GetString(1), r.GetInt64(2), r.GetString(3)));
        return (IReadOnlyList<RunFile>)list;
    });

    public IReadOnlyList<(string RunId, RunFile File)> FindRunsByFile(string sha256) => Read(c =>
    {
        var list = new List<(string, RunFile)>();
        using var cmd = c.Command("""
            SELECT r.run_id, f.direction, f.path, f.size, f.sha256 FROM run_files f JOIN runs r ON r.run_rowid = f.run_rowid
            WHERE f.sha256 = @h AND r.lifecycle_stage = 'active' ORDER BY r.start_time, r.run_rowid
            """, null, ("@h", sha256));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add((r.GetString(0), new RunFile(ParseDirection(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetString(4))));
        return (IReadOnlyList<(string, RunFile)>)list;
    });
}
