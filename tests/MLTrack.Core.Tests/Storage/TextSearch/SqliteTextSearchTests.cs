using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>The text search suite on SQLite (FTS5).</summary>
public sealed class SqliteTextSearchTests : TextSearchContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-text-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
