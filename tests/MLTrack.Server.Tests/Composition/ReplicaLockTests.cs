using MLTrack.Core.Storage;
using MLTrack.Server.Composition;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Composition;

/// <summary>
/// The one-server lock and server.json are for a SQLite store, whose file one server owns; servers on a postgresql://
/// store are replicas of one another and start side by side.
/// </summary>
public sealed class ReplicaLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-replicas-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Two_servers_on_one_postgresql_store_both_start_and_neither_writes_server_json()
    {
        using var database = TemporaryPostgresDatabase.Create();
        var settings = new MltrackSettings { Store = StoreLocation.Parse(database.Uri), StateFolder = Path.Combine(_dir, "state") };
        await using var rootA = MltrackRoot.Open(settings);
        await using var rootB = MltrackRoot.Open(settings);

        await using var a = await TrackingServer.StartAsync(rootA.Store, rootA.ServerOptions() with { Log = TextWriter.Null });
        await using var b = await TrackingServer.StartAsync(rootB.Store, rootB.ServerOptions() with { Log = TextWriter.Null });

        Assert.NotEqual(a.BaseAddress, b.BaseAddress);
        Assert.Equal(a.Token, b.Token); // one token file: a client may use either replica
        using var http = new HttpClient();
        foreach (var server in new[] { a, b })
            Assert.Contains("\"ok\"", await http.GetStringAsync(new Uri(server.BaseAddress, "health")));
        Assert.False(File.Exists(Path.Combine(_dir, "state", "server.json")));
        Assert.False(File.Exists(Path.Combine(_dir, "state", "server.lock")));
    }

    [Fact]
    public async Task A_second_server_on_one_sqlite_store_is_still_refused()
    {
        var settings = new MltrackSettings { Store = StoreLocation.Sqlite(Path.Combine(_dir, ".mltrack", "mltrack.db")) };
        await using var root = MltrackRoot.Open(settings);
        await using var first = await TrackingServer.StartAsync(root.Store, root.ServerOptions() with { Log = TextWriter.Null });

        var e = await Assert.ThrowsAsync<ServerAlreadyRunningException>(() =>
            TrackingServer.StartAsync(root.Store, root.ServerOptions() with { Log = TextWriter.Null }));
        Assert.Equal(first.BaseAddress, e.Running!.Url);
    }
}
