namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>A fresh database on the test cluster plus an artifact folder, both removed on Dispose.</summary>
internal sealed class PostgresDatabaseForTest : IDisposable
{
    private readonly PostgresTestDatabase _db = new();

    public string Uri => _db.Uri;

    public string Artifacts { get; } = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        _db.Dispose();
        Directory.Delete(Artifacts, recursive: true);
    }
}
