using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Tests.Storage.Contracts;

namespace MLTrack.Core.Tests.Storage.Postgres;

// Every store contract suite on PostgreSQL: a new database per test on the test cluster.

public sealed class PostgresRunStoreTests : RunStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresMetricStoreTests : MetricStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresLineageStoreTests : LineageStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresArtifactRecordStoreTests : ArtifactRecordStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresDeploymentStoreTests : DeploymentStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresReportStoreTests : ReportStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresPreferenceStoreTests : PreferenceStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresAnalyticsStoreTests : AnalyticsStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}

public sealed class PostgresAccountStoreTests : AccountStoreContract
{
    private readonly PostgresDatabaseForTest _db = new();

    protected override ITrackingStore CreateStore() => PostgresTrackingStore.Open(_db.Uri, _db.Artifacts);

    protected override void Cleanup() => _db.Dispose();
}
