using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Tests.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>The text search suite on PostgreSQL (tsvector + GIN): each test gets a database of its own.</summary>
public sealed class PostgresTextSearchTests : TextSearchContract
{
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-text-").FullName;

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _artifacts);

    public override void Dispose()
    {
        base.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }
}
