using System.Net;
using System.Net.Sockets;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http.S3;

/// <summary>
/// A server whose S3 artifact store cannot be reached: artifact requests answer 503 TEMPORARILY_UNAVAILABLE naming the
/// endpoint, and everything else about the run (params, metrics, tags) keeps working and is kept.
/// </summary>
public sealed class ArtifactStoreDownApiTests : IAsyncLifetime
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";
    private readonly string _root = Directory.CreateTempSubdirectory("mltrack-s3-down-").FullName;
    private readonly string _endpoint = $"http://127.0.0.1:{ClosedPort()}";
    private SqliteTrackingStore _store = null!;
    private S3ArtifactStore _artifacts = null!;
    private TrackingServer _server = null!;
    private HttpClient _client = null!;

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task InitializeAsync()
    {
        _store = SqliteTrackingStore.Open(Path.Combine(_root, "mltrack.db"));
        var options = new S3StorageOptions { Bucket = "team", Prefix = "p", ServiceUrl = _endpoint, AccessKeyId = "k", SecretAccessKey = "s", MaxErrorRetry = 0 };
        _artifacts = new S3ArtifactStore(new S3ModelStorage(options), Path.Combine(_root, "cache"));
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Token = "t", Log = TextWriter.Null, Artifacts = _artifacts });
        _client = new HttpClient { BaseAddress = _server.BaseAddress };
        _client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _artifacts.Dispose();
        _store.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private async Task<ApiResponse> Post(string path, string json)
    {
        using var response = await _client.PostAsync(ServerFixture.Mlflow + path, new StringContent(json));
        return await ApiResponse.ReadAsync(response);
    }

    private void AssertUnavailableNamingEndpoint(ApiResponse r)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
        Assert.Equal("TEMPORARILY_UNAVAILABLE", r.ErrorCode);
        Assert.Contains(_endpoint, r.Message);
    }

    [Fact]
    public async Task An_upload_is_503_naming_the_endpoint_and_the_runs_metadata_is_kept()
    {
        var run = (await Post("runs/create", "{\"experiment_id\":\"0\"}")).Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Post("runs/log-parameter", $"{{\"run_id\":\"{run}\",\"key\":\"lr\",\"value\":\"0.1\"}}")).Status);

        using var put = await _client.PutAsync($"{Proxy}/0/{run}/artifacts/model.bin", new ByteArrayContent(new byte[1000]));
        var upload = await ApiResponse.ReadAsync(put);
        var metric = await Post("runs/log-metric", $"{{\"run_id\":\"{run}\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}}");
        var tag = await Post("runs/set-tag", $"{{\"run_id\":\"{run}\",\"key\":\"stage\",\"value\":\"after\"}}");

        AssertUnavailableNamingEndpoint(upload);
        Assert.Contains("'model.bin'", upload.Message);
        Assert.Equal(HttpStatusCode.OK, metric.Status);
        Assert.Equal(HttpStatusCode.OK, tag.Status);
        var stored = _store.GetRun(run);
        Assert.Equal("0.1", stored.Params["lr"]);
        Assert.Equal("after", stored.Tags["stage"]);
        Assert.Single(_store.GetMetricHistory(run, "loss"));
        Assert.Empty(_store.ListArtifacts(run));
    }

    [Fact]
    public async Task Listing_and_downloading_are_503_naming_the_endpoint()
    {
        var run = (await Post("runs/create", "{\"experiment_id\":\"0\"}")).Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;

        using var list = await _client.GetAsync($"{Proxy}?path=0/{run}/artifacts");
        using var get = await _client.GetAsync($"{Proxy}/0/{run}/artifacts/model.bin");

        AssertUnavailableNamingEndpoint(await ApiResponse.ReadAsync(list));
        AssertUnavailableNamingEndpoint(await ApiResponse.ReadAsync(get));
    }

    [Fact]
    public async Task Health_is_503_naming_the_artifact_store_while_the_database_is_fine()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };

        using var response = await anonymous.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unavailable","checks":{"database":{"status":"ok"},"artifacts":{"status":"unavailable","reason":"the artifact store cannot be reached"}}}""",
            await response.Content.ReadAsStringAsync());
    }
}
