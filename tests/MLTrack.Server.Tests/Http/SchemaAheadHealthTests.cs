using System.Net;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Server.Composition;
using MLTrack.Server.Http;
using MLTrack.Server.Tests.Cli;
using MLTrack.Server.Tests.Composition;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// A replica that keeps running while a newer MLTrack migrates the shared database past the schema it reads must
/// leave the load balancer's pool: its /health turns 503 and says which versions disagree.
/// </summary>
public sealed class SchemaAheadHealthTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-schema-ahead-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_running_replica_answers_health_503_naming_both_versions_once_the_database_moved_ahead()
    {
        using var database = TemporaryPostgresDatabase.Create();
        var settings = new MltrackSettings { Store = StoreLocation.Parse(database.Uri), StateFolder = Path.Combine(_dir, "state") };
        await using var root = MltrackRoot.Open(settings);
        await using var server = await TrackingServer.StartAsync(root.Store, root.ServerOptions() with { Log = TextWriter.Null });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using (var before = await http.GetAsync("health")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var newer = PostgresTrackingStore.SchemaVersion + 1;

        TeamServerStartFaultTests.Execute(database.Uri, $"INSERT INTO mltrack_migrations (version, name) VALUES ({newer}, 'from_a_newer_mltrack')");

        using var after = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        var body = await after.Content.ReadAsStringAsync();
        Assert.Contains($"schema version {newer}, this build expects {PostgresTrackingStore.SchemaVersion}", body);
        Assert.DoesNotContain(database.Name, body); // anyone may ask /health: no names of hosts or databases
    }
}
