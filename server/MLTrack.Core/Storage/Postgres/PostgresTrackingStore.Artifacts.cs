using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    public void RecordArtifact(string runId, ArtifactInfo artifact) => _db.Write((c, tx) =>
    {
        RequireRun(c, tx, runId, allowDeleted: false);
        c.Exec("INSERT INTO artifacts VALUES (@r, @p, @s, @h) ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256",
            tx, ("r", runId), ("p", artifact.Path), ("s", artifact.Size), ("h", artifact.Sha256));
    });

    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId) => _db.Read(c =>
    {
        RequireRun(c, null, runId, allowDeleted: true);
        var list = new List<ArtifactInfo>();
        using var cmd = c.Command("SELECT path, size, sha256 FROM artifacts WHERE run_id = @r ORDER BY path", null, ("r", runId));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new ArtifactInfo(r.GetString(0), r.GetInt64(1), r.GetString(2)));
        return (IReadOnlyList<ArtifactInfo>)list;
    });
}
