using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// A real tracking server on a free loopback port over a temporary store, shared by one test class; its artifacts in
/// the store's local folder (<see cref="S3ServerFixture"/>: in S3).
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    public const string Mlflow = "api/2.0/mlflow/";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mltrack-http-" + Guid.NewGuid().ToString("N"));
    public string MltrackDir => Path.Combine(Root, ".mltrack");
    public SqliteTrackingStore Store { get; private set; } = null!;
    public TrackingServer Server { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public StringWriter Log { get; } = new();

    /// <summary>The server's artifact store; null: the store's local folder (the server's default).</summary>
    public IArtifactStore? Artifacts { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(MltrackDir);
        Store = SqliteTrackingStore.Open(Path.Combine(MltrackDir, "mltrack.db"));
        Artifacts = await OpenArtifactsAsync();
        Server = await TrackingServer.StartAsync(Store, new TrackingServerOptions { MltrackDirectory = MltrackDir, Log = TextWriter.Synchronized(Log), Artifacts = Artifacts });
        Client = NewClient(Server.Token);
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Artifacts?.Dispose();
        Store.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The artifact store the server is given (called once the store is open); null: its default.</summary>
    protected virtual Task<IArtifactStore?> OpenArtifactsAsync() => Task.FromResult<IArtifactStore?>(null);

    /// <summary>The bytes the artifact store holds for the run's artifact, read behind the server's back; null when none.</summary>
    public virtual Task<byte[]?> StoredBytesAsync(string runId, string path)
    {
        var file = Path.Combine(Store.ArtifactRoot, runId, path);
        return Task.FromResult(File.Exists(file) ? File.ReadAllBytes(file) : null);
    }

    /// <summary>Every file and folder under the store's folder and in the artifact store, to check that a refused request wrote nothing.</summary>
    public virtual Task<IReadOnlyList<string>> EverythingStoredAsync() =>
        Task.FromResult<IReadOnlyList<string>>(Directory.GetFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order().ToList());

    /// <summary>The local folder where an upload to the run writes its temporary file.</summary>
    public virtual string UploadTempFolder(string runId) => Path.Combine(Store.ArtifactRoot, runId);

    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<ApiResponse> PostAsync(string path, object body) =>
        PostRawAsync(path, JsonSerializer.Serialize(body));

    /// <param name="expectContinue">
    /// Ask before sending the body: a server that refuses an oversize body then answers before the upload instead of
    /// resetting the connection under it (which, on a loaded machine, the client can see before the 413).
    /// </param>
    public async Task<ApiResponse> PostRawAsync(string path, string json, HttpClient? client = null, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Mlflow + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (expectContinue) request.Headers.ExpectContinue = true;
        using var response = await (client ?? Client).SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public async Task<ApiResponse> GetAsync(string pathAndQuery, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(pathAndQuery.StartsWith("api/", StringComparison.Ordinal) || pathAndQuery.StartsWith('/') ? pathAndQuery : Mlflow + pathAndQuery);
        return await ApiResponse.ReadAsync(response);
    }

    public async Task<string> CreateExperimentAsync(string? name = null)
    {
        var r = await PostAsync("experiments/create", new { name = name ?? "exp-" + Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.OK, r.Status);
        return r.Json.GetProperty("experiment_id").GetString()!;
    }

    public async Task<string> CreateRunAsync(string? experimentId = null)
    {
        experimentId ??= await CreateExperimentAsync();
        var r = await PostAsync("runs/create", new { experiment_id = experimentId, start_time = 1000 });
        Assert.Equal(HttpStatusCode.OK, r.Status);
        return r.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    /// <summary>Sends a request exactly as written (no client-side path normalisation) and returns the status code.</summary>
    public async Task<int> SendRawAsync(string requestLine, string? host = null, string body = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"{requestLine} HTTP/1.1\r\nHost: {host ?? "127.0.0.1:" + Server.BaseAddress.Port}\r\nAuthorization: Bearer {Server.Token}\r\n" +
                      $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync() ?? "";
        return int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Status and parsed JSON body of one API reply.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Json, string Body, string? ContentType)
{
    public string? ErrorCode => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("error_code", out var c) ? c.GetString() : null;
    public string Message => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var json = body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default;
        return new ApiResponse(response.StatusCode, json, body, response.Content.Headers.ContentType?.MediaType);
    }
}
