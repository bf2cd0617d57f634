using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Tests.Storage.Postgres;

namespace MLTrack.Core.Tests.Analytics;

/// <summary>A real store (SQLite in a temp folder, or a fresh PostgreSQL database) and a way to plant runs at exact times.</summary>
public sealed class AnalyticsStoreFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-analytics-").FullName;
    private readonly PostgresTestDatabase? _database;

    public AnalyticsStoreFixture() : this(postgres: false) { }

    public AnalyticsStoreFixture(bool postgres)
    {
        if (!postgres)
        {
            Store = SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));
            return;
        }
        _database = new PostgresTestDatabase();
        Store = PostgresTrackingStore.Open(_database.Uri, Path.Combine(_dir, "artifacts"));
    }

    public ITrackingStore Store { get; }

    public static long Ms(string isoUtc) => DateTimeOffset.Parse(isoUtc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    /// <summary>A run that started at <paramref name="startUtc"/>; ended after <paramref name="hours"/> with <paramref name="status"/> unless RUNNING.</summary>
    public string Run(string startUtc, RunStatus status = RunStatus.FINISHED, double hours = 1, string? experimentId = null, string user = "ada")
    {
        var start = Ms(startUtc);
        var run = Store.CreateRun(new NewRun { StartTime = start, ExperimentId = experimentId, User = user });
        if (status != RunStatus.RUNNING)
            Store.UpdateRun(run.RunId, new RunUpdate { Status = status, EndTime = start + (long)(hours * 3_600_000) });
        return run.RunId;
    }

    public string Experiment(string name) => Store.CreateExperiment(name).ExperimentId;

    public void Dispose()
    {
        Store.Dispose();
        _database?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
