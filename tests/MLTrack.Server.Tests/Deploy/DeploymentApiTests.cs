using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;
using MLTrack.Server.Http;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using MLTrack.Server.Tests.Http;
using MLTrack.Server.Tests.Rpc;
using StreamJsonRpc;

namespace MLTrack.Server.Tests.Deploy;

/// <summary>deployments/* over in-process RPC and /api/deployments over real Kestrel, with a real scikit-learn model
/// served by the local target, and the Modal path driven through the stand-in <c>modal</c> CLI.</summary>
public sealed class DeploymentApiTests(DeployModelFixture model) : IClassFixture<DeployModelFixture>
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);

    /// <summary>Receives deployments/changed.</summary>
    public sealed class DeploymentSink
    {
        public ConcurrentQueue<DeploymentChangedParams> Changes { get; } = new();

        [JsonRpcMethod(RpcMethods.DeploymentsChanged)]
        public void Changed(DeploymentChangedParams p) => Changes.Enqueue(p);

        public async Task<DeploymentChangedParams> WaitFor(string id, string status)
        {
            var deadline = DateTime.UtcNow + Ready;
            while (DateTime.UtcNow < deadline)
            {
                if (Changes.FirstOrDefault(c => c.DeploymentId == id && c.Status == status) is { } found) return found;
                if (Changes.Any(c => c.DeploymentId == id && c.Status == "FAILED") && status != "FAILED")
                    throw new Xunit.Sdk.XunitException("deployment FAILED: " + Changes.Last(c => c.DeploymentId == id).Message);
                await Task.Delay(100);
            }
            throw new TimeoutException($"no {status} for {id}; got {string.Join(", ", Changes.Select(c => c.Status))}");
        }
    }

    private static async Task<(RpcHarness Harness, DeploymentSink Sink)> StartRpcAsync()
    {
        var harness = new RpcHarness(startClient: false);
        var sink = new DeploymentSink();
        harness.Client.AddLocalRpcTarget(sink, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        harness.Client.StartListening();
        await harness.InitializeAsync();
        return (harness, sink);
    }

    [Fact]
    public async Task Rpc_local_deployment_goes_to_READY_serves_predictions_counts_them_and_stops()
    {
        var (h, sink) = await StartRpcAsync();
        await using var _ = h;
        var runId = model.LogModel(h.Store);

        var can = await h.Call<CanDeployResultDto>(RpcMethods.DeploymentsCanDeploy, new { runId });
        Assert.True(can.Ok, can.Reason);
        Assert.Equal("sklearn", can.Framework);

        var created = await h.Call<DeploymentInfo>(RpcMethods.DeploymentsCreate,
            new { runId, target = "local", config = new { appName = "iris-local", modelName = "Iris", modelVersion = "2.0.0" } });
        Assert.Equal("PENDING", created.Status);
        Assert.Equal("iris-local", created.Name);

        var ready = await sink.WaitFor(created.DeploymentId, "READY");
        Assert.StartsWith("http://127.0.0.1:", ready.EndpointUrl);
        Assert.Contains(sink.Changes, c => c.DeploymentId == created.DeploymentId && c.Status == "BUILDING");
        Assert.Contains(sink.Changes, c => c.DeploymentId == created.DeploymentId && c.Status == "DEPLOYING");

        using var http = new HttpClient { BaseAddress = new Uri(ready.EndpointUrl!) };
        var rows = new JsonArray(model.TestRows.Take(3).Select(r => r!.DeepClone()).ToArray());
        using var answer = await http.PostAsync("/predict", new StringContent(new JsonObject { ["instances"] = rows }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, body);
        Assert.Equal(3, JsonNode.Parse(body)!["predictions"]!.AsArray().Count);

        var got = await h.Call<DeploymentInfo>(RpcMethods.DeploymentsGet, new { deploymentId = created.DeploymentId });
        Assert.Equal("READY", got.Status);
        Assert.NotNull(got.Stats);
        Assert.True(got.Stats!.Requests >= 1, $"requests {got.Stats.Requests}");

        var list = await h.Call<List<DeploymentInfo>>(RpcMethods.DeploymentsList, new { runId });
        Assert.Single(list);
        var spec = await h.Call<DeploymentOpenApiResult>(RpcMethods.DeploymentsOpenApi, new { deploymentId = created.DeploymentId });
        Assert.NotNull(spec.Spec["paths"]!["/predict"]);
        var logs = await h.Call<DeploymentLogsResult>(RpcMethods.DeploymentsLogs, new { deploymentId = created.DeploymentId });
        Assert.NotEmpty(logs.Lines);

        var stopped = await h.Call<DeploymentInfo>(RpcMethods.DeploymentsStop, new { deploymentId = created.DeploymentId });
        Assert.Equal("STOPPED", stopped.Status);
        await sink.WaitFor(created.DeploymentId, "STOPPED");
        var again = await h.Call<DeploymentInfo>(RpcMethods.DeploymentsStop, new { deploymentId = created.DeploymentId });
        Assert.Equal("STOPPED", again.Status);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/health"));

        await h.Call(RpcMethods.DeploymentsDelete, new { deploymentId = created.DeploymentId });
        var (code, _, _) = await h.ErrorOf(RpcMethods.DeploymentsGet, new { deploymentId = created.DeploymentId });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
    }

    [Fact]
    public async Task CanDeploy_is_false_with_the_reason_for_a_run_without_a_model_and_create_is_refused()
    {
        var (h, _) = await StartRpcAsync();
        await using var __ = h;
        var run = h.Store.CreateRun(new NewRun { Name = "no model" });

        var can = await h.Call<CanDeployResultDto>(RpcMethods.DeploymentsCanDeploy, new { runId = run.RunId });
        Assert.False(can.Ok);
        Assert.Contains("no model", can.Reason);
        Assert.Null(can.Framework);

        var (code, _, message) = await h.ErrorOf(RpcMethods.DeploymentsCreate, new { runId = run.RunId, target = "local", config = new { cpu = 1000.0 } });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("CPU", message);
        (code, _, _) = await h.ErrorOf(RpcMethods.DeploymentsCanDeploy, new { runId = "0123456789abcdef0123456789abcdef" });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
    }

    [Fact]
    public async Task Rest_create_with_wait_is_READY_then_openapi_then_delete()
    {
        var fixture = new ServerFixture();
        await fixture.InitializeAsync();
        try
        {
            var runId = model.LogModel(fixture.Store);
            var client = fixture.Client;

            using var created = await client.PostAsJsonAsync("/api/deployments?wait=true",
                new { run_id = runId, target = "local", config = new { app_name = "iris-rest", model_name = "Iris", memory_mb = 256 } });
            var body = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, body);
            var info = JsonNode.Parse(body)!;
            Assert.True(info["status"]!.GetValue<string>() == "READY", body);
            var id = info["deployment_id"]!.GetValue<string>();
            Assert.Equal(256, info["config"]!["memory_mb"]!.GetValue<int>());
            Assert.StartsWith("http://127.0.0.1:", info["endpoint_url"]!.GetValue<string>());

            var list = JsonNode.Parse(await client.GetStringAsync($"/api/deployments?run_id={runId}"))!;
            Assert.Single(list["deployments"]!.AsArray());
            var one = JsonNode.Parse(await client.GetStringAsync($"/api/deployments/{id}"))!;
            Assert.Equal(id, one["deployment_id"]!.GetValue<string>());
            Assert.NotNull(one["stats"]!["p99_ms"]);

            var spec = JsonNode.Parse(await client.GetStringAsync($"/api/deployments/{id}/openapi"))!;
            Assert.StartsWith("3.", spec["openapi"]!.GetValue<string>());
            Assert.NotNull(spec["paths"]!["/predict"]!["post"]);

            using var deleted = await client.DeleteAsync($"/api/deployments/{id}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            using var gone = await client.GetAsync($"/api/deployments/{id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("RESOURCE_DOES_NOT_EXIST", await gone.Content.ReadAsStringAsync());

            var noModel = fixture.Store.CreateRun(new NewRun { Name = "bare" });
            using var bad = await client.PostAsJsonAsync("/api/deployments", new { run_id = noModel.RunId, target = "local", config = new { gpu = "Z80" } });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("INVALID_PARAMETER_VALUE", await bad.Content.ReadAsStringAsync());
            using var unknown = await client.PostAsJsonAsync("/api/deployments", new { run_id = "0123456789abcdef0123456789abcdef", target = "local" });
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var noToken = fixture.NewClient(null);
            using var refused = await noToken.GetAsync("/api/deployments");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        finally
        {
            await fixture.DisposeAsync(); // the server stops the deployments it runs
        }
    }

    [Fact]
    public async Task Modal_deployment_through_the_standin_cli_reaches_READY_with_its_url()
    {
        var dir = Directory.CreateTempSubdirectory("mltrack-modal-rpc-").FullName;
        var wrapper = Path.Combine(dir, "modal");
        var standIn = Path.Combine(DeployModelFixture.RepoRoot, "tests", "fixtures", "modal-standin", "modal");
        File.WriteAllText(wrapper, $"#!/bin/sh\nMODAL_STANDIN_RECORD='{dir}/calls.jsonl' MODAL_STANDIN_MODE='ok' exec '{DeployModelFixture.Python}' '{standIn}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var store = MLTrack.Core.Storage.Sqlite.SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        var service = new DeploymentService(store, Path.Combine(dir, "deployments"), modalExecutable: wrapper);
        Environment.SetEnvironmentVariable("MLTRACK_MODAL_MODEL_URL", "https://models.example.com/iris/model.joblib?sig=abc");
        try
        {
            var statuses = new ConcurrentQueue<DeploymentStatus>();
            service.Changed += r => statuses.Enqueue(r.Status);
            var runId = model.LogModel(store);
            var record = service.Create(runId, "modal", new DeploymentSettings { AppName = "iris-modal", Cpu = 2, MemoryMb = 1024, Gpu = "T4" });
            var done = await service.WaitAsync(record.DeploymentId, Ready);
            Assert.True(done.Status == DeploymentStatus.READY, done.Message);
            Assert.StartsWith("https://", done.EndpointUrl);
            Assert.Contains(".modal.run", done.EndpointUrl);
            Assert.Equal([DeploymentStatus.PENDING, DeploymentStatus.UPLOADING, DeploymentStatus.BUILDING, DeploymentStatus.DEPLOYING, DeploymentStatus.READY],
                statuses.Distinct().ToList());
            var calls = File.ReadAllLines(Path.Combine(dir, "calls.jsonl"));
            Assert.Contains("\"deploy\"", calls[0]);

            var stopped = await service.StopAsync(record.DeploymentId);
            Assert.Equal(DeploymentStatus.STOPPED, stopped.Status);
            Assert.Contains(File.ReadAllLines(Path.Combine(dir, "calls.jsonl")), l => l.Contains("\"stop\"") && l.Contains("iris-modal"));
            Assert.Equal(DeploymentStatus.STOPPED, (await service.StopAsync(record.DeploymentId)).Status);
            Assert.DoesNotContain("sig=abc", File.ReadAllText(Path.Combine(dir, "mltrack.db")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLTRACK_MODAL_MODEL_URL", null);
            await service.DisposeAsync();
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Records_left_live_by_a_process_that_is_gone_are_marked_STOPPED()
    {
        var dir = Directory.CreateTempSubdirectory("mltrack-orphan-").FullName;
        var store = MLTrack.Core.Storage.Sqlite.SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        try
        {
            var run = store.CreateRun(new NewRun { Name = "r" });
            store.SaveDeployment(new DeploymentRecord
            {
                DeploymentId = "orphan",
                RunId = run.RunId,
                Target = "local",
                Name = "x",
                Status = DeploymentStatus.READY,
                EndpointUrl = "http://127.0.0.1:1",
                CreatedAt = 1,
                UpdatedAt = 1,
                Settings = new DeploymentSettings(),
                HostPid = int.MaxValue - 7,
            });
            await using var service = new DeploymentService(store, Path.Combine(dir, "deployments"));
            var r = service.Get("orphan");
            Assert.Equal(DeploymentStatus.STOPPED, r.Status);
            Assert.Contains("gone", r.Message);
        }
        finally
        {
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_live_record_hosted_on_another_machine_is_left_as_it_is()
    {
        var dir = Directory.CreateTempSubdirectory("mltrack-other-host-").FullName;
        var store = MLTrack.Core.Storage.Sqlite.SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        try
        {
            var run = store.CreateRun(new NewRun { Name = "r" });
            store.SaveDeployment(new DeploymentRecord
            {
                DeploymentId = "elsewhere",
                RunId = run.RunId,
                Target = "local",
                Name = "x",
                Status = DeploymentStatus.READY,
                EndpointUrl = "http://10.0.0.2:8000",
                CreatedAt = 1,
                UpdatedAt = 1,
                Settings = new DeploymentSettings(),
                HostPid = int.MaxValue - 7, // no such process here, which says nothing about the other machine
                HostName = "replica-b-" + Guid.NewGuid().ToString("N"),
            });
            await using var service = new DeploymentService(store, Path.Combine(dir, "deployments"));
            Assert.Equal(DeploymentStatus.READY, service.Get("elsewhere").Status);
        }
        finally
        {
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
