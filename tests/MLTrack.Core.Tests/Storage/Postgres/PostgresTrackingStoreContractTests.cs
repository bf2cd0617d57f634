using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>The store contract on PostgreSQL: each test gets a database of its own.</summary>
public sealed class PostgresTrackingStoreContractTests : TrackingStoreContract
{
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _artifacts);

    public override void Dispose()
    {
        base.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }
}
