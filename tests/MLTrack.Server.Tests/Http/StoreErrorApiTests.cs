using System.Net;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

public sealed class StoreErrorApiTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("mltrack-store-error-").FullName;
    private readonly StringWriter _log = new();
    private SqliteTrackingStore _store = null!;
    private TrackingServer _server = null!;
    private string DbPath => Path.Combine(_root, ".mltrack", "mltrack.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        _store = SqliteTrackingStore.Open(DbPath, busyTimeout: TimeSpan.FromMilliseconds(100));
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Token = "t", Log = TextWriter.Synchronized(_log) });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_failing_store_answers_503_without_its_path_and_logs_the_path()
    {
        using var blocker = new SqliteConnection($"Data Source={DbPath}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "t");

        using var response = await http.PostAsync("api/2.0/mlflow/experiments/create", new StringContent("""{"name":"x"}"""));
        var r = await ApiResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
        Assert.Equal("TEMPORARILY_UNAVAILABLE", r.ErrorCode);
        Assert.Contains("locked by another process", r.Message);
        Assert.DoesNotContain(_root, r.Body);
        Assert.Contains(DbPath, _log.ToString());
    }
}
