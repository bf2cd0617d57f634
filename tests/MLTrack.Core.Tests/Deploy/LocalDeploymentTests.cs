using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

[Collection(SklearnModelCollection.Name)]
public sealed class LocalDeploymentTests(SklearnModelFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-local-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private LocalDeployment NewDeployment(ModelInfo? model = null) =>
        new(model ?? fixture.Model, new DeploymentConfig { AppName = "iris", ModelName = "Iris classifier", ModelVersion = "1.0.0" },
            _dir, new PythonRunner(TestPython.Executable, TimeSpan.FromSeconds(60)));

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string url, string json)
    {
        using var response = await _http.PostAsync(url + "/predict", new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Serves_the_same_predictions_as_the_model_its_openapi_and_health_and_counts_traffic()
    {
        await using var deployment = NewDeployment();
        var seen = new List<DeploymentStatus>();
        deployment.StatusChanged += c => seen.Add(c.Status);

        await deployment.StartAsync();

        Assert.True(deployment.Status == DeploymentStatus.READY, deployment.Message);
        Assert.Equal([DeploymentStatus.BUILDING, DeploymentStatus.DEPLOYING, DeploymentStatus.READY], seen);
        var url = deployment.EndpointUrl!;
        Assert.StartsWith("http://127.0.0.1:", url);

        var (status, body) = await PostAsync(url, new JsonObject { ["instances"] = fixture.TestRows.DeepClone() }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        var expected = await fixture.PredictInProcessAsync(fixture.TestRows);
        Assert.Equal(20, expected.Count);
        Assert.Equal(expected.ToJsonString(), body!["predictions"]!.ToJsonString());

        var health = await _http.GetFromJsonAsync<JsonObject>(url + "/health");
        Assert.Equal("ok", health!["status"]!.GetValue<string>());
        Assert.Equal(fixture.RunId, health["run_id"]!.GetValue<string>());

        var openapi = JsonNode.Parse(await _http.GetStringAsync(url + "/openapi.json"))!;
        Assert.Equal("3.1.0", openapi["openapi"]!.GetValue<string>());
        Assert.Equal("predict", openapi["paths"]!["/predict"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.Equal("Iris classifier", openapi["info"]!["title"]!.GetValue<string>());

        var (badStatus, badBody) = await PostAsync(url, """{"instances": [[5.1, 3.5, 1.4]]}""");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("instances[0]: expected 4 values, got 3", badBody!["error"]!.GetValue<string>());
        var (notJson, notJsonBody) = await PostAsync(url, "{oops");
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
        Assert.StartsWith("request body is not valid JSON", notJsonBody!["error"]!.GetValue<string>());
        var (noInstances, _) = await PostAsync(url, """{"rows": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, noInstances);
        for (var i = 0; i < 7; i++) Assert.Equal(HttpStatusCode.OK, (await PostAsync(url, """{"instances": [[5.1, 3.5, 1.4, 0.2]]}""")).Status);

        // A request is counted as its response completes, which the client may see a moment before.
        var stats = deployment.GetStats();
        for (var deadline = DateTime.UtcNow.AddSeconds(5); stats.Requests < 11 && DateTime.UtcNow < deadline; stats = deployment.GetStats()) await Task.Delay(20);
        Assert.Equal(11, stats.Requests); // /predict only: 1 + 3 bad + 7
        Assert.Equal(3, stats.Errors);
        Assert.True(stats.P50 > 0 && stats.P50 <= stats.P95 && stats.P95 <= stats.P99, stats.ToString());
    }

    [Fact]
    public async Task Requests_for_a_non_loopback_host_are_refused()
    {
        await using var deployment = NewDeployment();
        await deployment.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, deployment.EndpointUrl + "/health");
        request.Headers.Host = "evil.example";
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Stopping_ends_the_server_and_stopping_twice_is_harmless()
    {
        var deployment = NewDeployment();
        await deployment.StartAsync();
        Assert.Equal(DeploymentStatus.READY, deployment.Status);
        var pid = deployment.ProcessId!.Value;
        var port = new Uri(deployment.EndpointUrl!).Port;

        await deployment.StopAsync();
        await deployment.StopAsync();
        await deployment.DisposeAsync();

        Assert.Equal(DeploymentStatus.STOPPED, deployment.Status);
        Assert.Single(deployment.History, h => h.Status == DeploymentStatus.STOPPED);
        Assert.Null(deployment.ProcessId);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAny<SocketException>(() => socket.Connect(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Stopping_a_deployment_that_never_started_is_harmless()
    {
        await using var deployment = NewDeployment();
        await deployment.StopAsync();
        await deployment.StopAsync();
        Assert.Equal(DeploymentStatus.STOPPED, deployment.Status);
    }

    [Fact]
    public async Task A_model_the_server_cannot_load_fails_with_pythons_error()
    {
        var broken = Path.Combine(_dir, "broken.joblib");
        File.WriteAllText(broken, "not a model");
        await using var deployment = NewDeployment(fixture.Model with { LocalPath = broken });

        await deployment.StartAsync();

        Assert.Equal(DeploymentStatus.FAILED, deployment.Status);
        Assert.StartsWith("The local server exited (code 1):", deployment.Message);
        Assert.Contains("Error", deployment.Message);
        Assert.Null(deployment.ProcessId);
    }

    [Fact]
    public async Task Invalid_settings_fail_before_anything_starts()
    {
        await using var deployment = new LocalDeployment(fixture.Model, new DeploymentConfig { AppName = "Bad Name!", Cpu = 0 }, _dir, new PythonRunner(TestPython.Executable));
        await deployment.StartAsync();
        Assert.Equal(DeploymentStatus.FAILED, deployment.Status);
        Assert.Contains("App name 'Bad Name!'", deployment.Message);
        Assert.Contains("CPU must be between", deployment.Message);
    }
}
