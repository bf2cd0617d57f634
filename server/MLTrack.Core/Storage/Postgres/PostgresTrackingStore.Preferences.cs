namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    public string? GetPreferences(string user) => _db.Read(c =>
        c.Scalar("SELECT value FROM preferences WHERE user_name = @u", null, ("u", user)) as string);

    public void SavePreferences(string user, string json) => _db.Write((c, tx) =>
        c.Exec("""
            INSERT INTO preferences (user_name, value, updated_at) VALUES (@u, @v, @t)
            ON CONFLICT (user_name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, tx, ("u", user), ("v", json), ("t", Now())));
}
