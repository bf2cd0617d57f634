using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Storage;
using MLTrack.Server.Composition;
using MLTrack.Server.Rpc;
using MLTrack.Server.Ui;

namespace MLTrack.Server.Tests.Ui;

/// <summary>
/// A real <c>mltrack ui</c> server (Kestrel on loopback, in-process RPC session) over a temporary store, with a
/// webviews folder holding the repository's <c>webviews/shell.html</c> and a stand-in <c>dist/</c>.
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mltrack-ui-").FullName;
    public string StoreDir => Path.Combine(Root, ".mltrack");
    public string StorePath => Path.Combine(StoreDir, "mltrack.db");
    public string Webviews => Path.Combine(Root, "webviews");
    public MltrackRoot App { get; private set; } = null!;
    public ITrackingStore Store => App.Store;
    public UiServer Server { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public StringWriter Log { get; } = new();

    /// <summary>The sign-in clock: tests move it instead of sleeping.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public const string MainJs = "console.log('panels');\n";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StoreDir);
        Directory.CreateDirectory(Path.Combine(Webviews, "dist", "chunks"));
        File.Copy(Path.Combine(RepoRoot(), "webviews", UiShell.FileName), Path.Combine(Webviews, UiShell.FileName));
        File.WriteAllText(Path.Combine(Webviews, "dist", "main.js"), MainJs);
        File.WriteAllText(Path.Combine(Webviews, "dist", "main.css"), "body { margin: 0 }\n");
        File.WriteAllText(Path.Combine(Webviews, "dist", "chunks", "a.js"), "export {};\n");
        File.WriteAllText(Path.Combine(Root, "secret.txt"), "not for the browser\n");
        App = MltrackRoot.Open(new MltrackSettings { Store = StoreLocation.Sqlite(StorePath) });
        Server = await UiServer.StartAsync(App, new UiServerOptions
        {
            WebviewsDirectory = Webviews,
            Log = TextWriter.Synchronized(Log),
            Time = Clock,
            Rpc = new RpcOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(100),
                RunChangeInterval = TimeSpan.FromMilliseconds(100),
                LogFlushInterval = TimeSpan.FromMilliseconds(50),
                SystemMetricsInterval = TimeSpan.Zero,
                KillGracePeriod = TimeSpan.FromSeconds(2),
                Log = TextWriter.Synchronized(Log),
            },
        });
        Client = NewClient(Server.Token);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The origin a page of this server sends (http://127.0.0.1:PORT).</summary>
    public string Origin => Server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>A client that keeps cookies and does not follow redirects, as a browser tab that has not signed in yet.</summary>
    public HttpClient NewBrowser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = Server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A browser signed in through a fresh one-time code (it holds the session cookie, never the token).</summary>
    public async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = NewBrowser();
        using var response = await browser.GetAsync($"ui/runs?code={Server.Sessions.MintCode()}");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return browser;
    }

    /// <summary>POST /rpc as our page sends it: JSON, with our Origin.</summary>
    public async Task<(int Status, JsonNode Body)> PageRpcAsync(HttpClient browser, string method, object? @params = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { method, @params }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin ?? Origin);
        using var response = await browser.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The repository root, from this source file's path (test output may live anywhere: --artifacts-path).</summary>
    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        for (var d = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MLTrack.Ide.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found above " + thisFile);
    }

    /// <summary>POST /rpc; the status and the parsed body.</summary>
    public async Task<(int Status, JsonNode Body)> RpcAsync(string method, object? @params = null, HttpClient? client = null)
    {
        var body = JsonSerializer.Serialize(new { method, @params });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await (client ?? Client).PostAsync("rpc", content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    public async Task<JsonNode> RpcResultAsync(string method, object? @params = null)
    {
        var (status, body) = await RpcAsync(method, @params);
        Assert.True(status == 200, $"{method} → {status}: {body.ToJsonString()}");
        return body["result"]!;
    }

    public async Task<JsonElement> PostRestAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An experiment with one finished run (params, tags, a few metric points), through the public REST API.</summary>
    public async Task<(string ExperimentId, string RunId)> SeedRunAsync(string experiment, string name)
    {
        var exp = (await PostRestAsync("api/2.0/mlflow/experiments/create", new { name = experiment })).GetProperty("experiment_id").GetString()!;
        var run = (await PostRestAsync("api/2.0/mlflow/runs/create", new { experiment_id = exp, run_name = name, start_time = 1_700_000_000_000 }))
            .GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        await PostRestAsync("api/2.0/mlflow/runs/log-batch", new
        {
            run_id = run,
            @params = new[] { new { key = "lr", value = "0.1" } },
            tags = new[] { new { key = "team", value = "vision" } },
            metrics = Enumerable.Range(0, 5).Select(i => new { key = "loss", value = 1.0 / (i + 1), timestamp = 1_700_000_000_000 + i, step = i }).ToArray(),
        });
        await PostRestAsync("api/2.0/mlflow/runs/update", new { run_id = run, status = "FINISHED", end_time = 1_700_000_060_000 });
        return (exp, run);
    }
}
