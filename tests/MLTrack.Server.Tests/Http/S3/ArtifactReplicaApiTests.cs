using System.Net;
using System.Security.Cryptography;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Tests.S3;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http.S3;

/// <summary>
/// Two tracking servers over one store and one bucket, each with its own local cache, as stateless replicas behind a
/// load balancer: what is uploaded through one is listed and downloaded through the other.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class ArtifactReplicaApiTests(S3rverFixture s3) : IAsyncLifetime
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";
    private readonly string _root = Directory.CreateTempSubdirectory("mltrack-replicas-").FullName;
    private SqliteTrackingStore _store = null!;
    private readonly List<(TrackingServer Server, HttpClient Client, S3ArtifactStore Artifacts)> _replicas = [];

    public async Task InitializeAsync()
    {
        _store = SqliteTrackingStore.Open(Path.Combine(_root, "mltrack.db"));
        var bucket = (await s3.NewStorageAsync()).Bucket;
        foreach (var name in new[] { "a", "b" })
        {
            var artifacts = new S3ArtifactStore(new S3ModelStorage(s3.Options(bucket, "shared")), Path.Combine(_root, "cache-" + name));
            var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Token = "t", Log = TextWriter.Null, Artifacts = artifacts });
            var client = new HttpClient { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
            _replicas.Add((server, client, artifacts));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (server, client, artifacts) in _replicas)
        {
            client.Dispose();
            await server.DisposeAsync();
            artifacts.Dispose();
        }
        _store.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private HttpClient A => _replicas[0].Client;
    private HttpClient B => _replicas[1].Client;

    private static async Task<string> CreateRunAsync(HttpClient client)
    {
        using var response = await client.PostAsync(ServerFixture.Mlflow + "runs/create", new StringContent("{\"experiment_id\":\"0\"}"));
        var r = await ApiResponse.ReadAsync(response);
        return r.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    [Fact]
    public async Task An_artifact_uploaded_through_one_replica_is_listed_and_downloaded_through_the_other()
    {
        var run = await CreateRunAsync(A);
        var bytes = RandomNumberGenerator.GetBytes(400_000);

        using (var put = await A.PutAsync($"{Proxy}/0/{run}/artifacts/model/weights.bin", new ByteArrayContent(bytes)))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var listed = await ApiResponse.ReadAsync(await B.GetAsync($"{Proxy}?path=0/{run}/artifacts/model"));
        var got = await B.GetByteArrayAsync($"{Proxy}/0/{run}/artifacts/model/weights.bin");

        var file = Assert.Single(listed.Json.GetProperty("files").EnumerateArray());
        Assert.Equal("weights.bin", file.GetProperty("path").GetString());
        Assert.Equal(bytes.Length, file.GetProperty("file_size").GetInt64());
        Assert.Equal(bytes, got);
    }

    [Fact]
    public async Task A_replacement_uploaded_through_one_replica_is_what_the_other_serves_next()
    {
        var run = await CreateRunAsync(B);
        using (var put = await A.PutAsync($"{Proxy}/0/{run}/artifacts/notes.txt", new StringContent("first")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("first", await B.GetStringAsync($"{Proxy}/0/{run}/artifacts/notes.txt")); // now cached by B

        using (var put = await A.PutAsync($"{Proxy}/0/{run}/artifacts/notes.txt", new StringContent("second")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal("second", await B.GetStringAsync($"{Proxy}/0/{run}/artifacts/notes.txt"));
    }

    [Fact]
    public async Task Each_replica_reports_healthy_with_its_database_and_bucket_reachable()
    {
        foreach (var (server, _, _) in _replicas)
        {
            using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
            using var response = await anonymous.GetAsync("health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"status":"ok","checks":{"database":{"status":"ok"},"artifacts":{"status":"ok"}}}""", await response.Content.ReadAsStringAsync());
        }
    }
}
