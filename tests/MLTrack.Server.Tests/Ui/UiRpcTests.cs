using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Server.Rpc;
using MLTrack.Server.Tests.Rpc;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace MLTrack.Server.Tests.Ui;

/// <summary><c>POST /rpc</c>: the same methods, answers and errors as <c>mltrack rpc --stdio</c>, behind the token and Host guard.</summary>
public sealed class UiRpcTests(UiFixture ui) : IClassFixture<UiFixture>
{
    /// <summary>A JSON-RPC client on its own session over the same store, framed exactly as stdio is.</summary>
    private async Task<(RpcConnection Server, JsonRpc Client)> StdioLikeAsync()
    {
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        var server = RpcConnection.Start(serverStream, serverStream, new RpcOptions { Log = TextWriter.Null, SystemMetricsInterval = TimeSpan.Zero });
        var client = new ClientJsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, RpcJson.CreateFormatter()));
        client.StartListening();
        await client.InvokeWithParameterObjectAsync<JsonElement>(RpcMethods.Initialize, new { storePath = ui.StorePath, startTrackingServer = false });
        return (server, client);
    }

    [Fact]
    public async Task Rpc_answers_the_same_json_as_the_stdio_protocol()
    {
        var (_, runId) = await ui.SeedRunAsync("same-json", "run-a");
        var (server, client) = await StdioLikeAsync();
        await using var _ = server;
        using var __ = client;
        var calls = new (string Method, object? Params)[]
        {
            (RpcMethods.RunsList, new { maxResults = 50 }),
            (RpcMethods.RunsGet, new { runId }),
            (RpcMethods.MetricsKeys, new { runId }),
            (RpcMethods.MetricsHistory, new { runId, key = "loss" }),
            (RpcMethods.ExperimentsList, new { }),
            (RpcMethods.SearchQuery, new { text = "run-a" }),
        };
        foreach (var (method, p) in calls)
        {
            var viaHttp = await ui.RpcResultAsync(method, p);
            var viaStdio = p is null
                ? await client.InvokeAsync<JsonElement>(method)
                : await client.InvokeWithParameterObjectAsync<JsonElement>(method, p);
            var expected = JsonNode.Parse(viaStdio.GetRawText());
            Assert.True(JsonNode.DeepEquals(expected, viaHttp), $"{method}:\n http:  {viaHttp.ToJsonString()}\n stdio: {expected!.ToJsonString()}");
        }
        var runs = (await ui.RpcResultAsync(RpcMethods.RunsList, new { }))["runs"]!.AsArray();
        Assert.Contains(runs, r => (string?)r!["runId"] == runId && (string?)r["status"] == "FINISHED");
    }

    [Fact]
    public async Task Errors_carry_code_message_and_data_as_over_stdio()
    {
        var (status, body) = await ui.RpcAsync(RpcMethods.RunsGet, new { runId = "0123456789abcdef0123456789abcdef" });
        Assert.Equal(404, status);
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, (int)body["error"]!["code"]!);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)body["error"]!["data"]!["errorCode"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error"]!["message"]));

        (status, body) = await ui.RpcAsync(RpcMethods.RunsList, new { filter = "metrics.loss <" });
        Assert.Equal(400, status);
        Assert.Equal(RpcErrorCodes.InvalidFilter, (int)body["error"]!["code"]!);
        Assert.True(body["error"]!["data"]!["position"] is JsonValue);

        var (server, client) = await StdioLikeAsync();
        await using var _ = server;
        using var __ = client;
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => client.InvokeWithParameterObjectAsync<JsonElement>(RpcMethods.RunsList, new { filter = "metrics.loss <" }));
        Assert.Equal(e.ErrorCode, (int)body["error"]!["code"]!);
        Assert.Equal(e.Message, (string?)body["error"]!["message"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(((JsonElement)e.DeserializedErrorData!).GetRawText()), body["error"]!["data"]));
    }

    [Theory]
    [InlineData(RpcMethods.Shutdown)]
    [InlineData(RpcMethods.Initialize)]
    [InlineData(RpcMethods.RunsDelete)]
    [InlineData("no/such")]
    public async Task Methods_off_the_allow_list_are_refused(string method)
    {
        var (status, body) = await ui.RpcAsync(method, new { runId = "x" });
        Assert.Equal(404, status);
        Assert.Equal(RpcErrorCodes.MethodNotFound, (int)body["error"]!["code"]!);
        // the session is still up
        Assert.NotNull((await ui.RpcResultAsync(RpcMethods.RunsList, new { }))["runs"]);
    }

    [Fact]
    public async Task Malformed_bodies_are_400_with_an_rpc_error()
    {
        foreach (var (text, type) in new[] { ("{not json", "application/json"), ("[1,2]", "application/json"), ("{\"params\":{}}", "application/json") })
        {
            using var response = await ui.Client.PostAsync("rpc", new StringContent(text, Encoding.UTF8, type));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(body["error"]!["code"]);
        }
        using var form = await ui.Client.PostAsync("rpc", new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        using var get = await ui.Client.GetAsync("rpc");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Fact]
    public async Task Rpc_needs_the_bearer_token()
    {
        using var anonymous = ui.NewClient(null);
        var (status, body) = await ui.RpcAsync(RpcMethods.RunsList, new { }, anonymous);
        Assert.Equal(401, status);
        Assert.Equal("UNAUTHENTICATED", (string?)body["error"]!["data"]!["errorCode"]);
        using var wrong = ui.NewClient("not-the-token");
        (status, _) = await ui.RpcAsync(RpcMethods.RunsList, new { }, wrong);
        Assert.Equal(401, status);
        // the token is never taken from the URL
        using var content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json");
        using var response = await anonymous.PostAsync($"rpc?token={ui.Server.Token}", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("rpc")]
    [InlineData("rpc/events")]
    [InlineData("ui/runs")]
    [InlineData("ui/assets/main.js")]
    public async Task A_foreign_host_is_refused(string path)
    {
        using var request = new HttpRequestMessage(path == "rpc" ? HttpMethod.Post : HttpMethod.Get, path);
        request.Headers.Host = "attacker.example";
        if (path == "rpc") request.Content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json");
        using var response = await ui.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Another_origin_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc") { Content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await ui.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var same = new HttpRequestMessage(HttpMethod.Post, "rpc") { Content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json") };
        same.Headers.Add("Origin", ui.Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var ok = await ui.Client.SendAsync(same);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task The_rest_api_still_answers_beside_the_ui()
    {
        using var anonymous = ui.NewClient(null);
        using var health = await anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var refused = await anonymous.GetAsync("api/2.0/mlflow/experiments/search");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var ok = await ui.Client.GetAsync("api/2.0/mlflow/experiments/search");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
