using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Tests.Storage.Contracts;

namespace MLTrack.Core.Tests.Storage.Sqlite;

// Every store contract suite on SQLite: a new store file per test.

public sealed class SqliteRunStoreTests : RunStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteMetricStoreTests : MetricStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteLineageStoreTests : LineageStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteArtifactRecordStoreTests : ArtifactRecordStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteDeploymentStoreTests : DeploymentStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteReportStoreTests : ReportStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqlitePreferenceStoreTests : PreferenceStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteAnalyticsStoreTests : AnalyticsStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}

public sealed class SqliteAccountStoreTests : AccountStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-contract-").FullName;

    protected override ITrackingStore CreateStore() => SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));

    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}
