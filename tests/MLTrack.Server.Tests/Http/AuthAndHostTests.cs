using System.Net;
using System.Text;

namespace MLTrack.Server.Tests.Http;

/// <summary>Every request but GET /health needs the bearer token; the Host header must be a loopback name.</summary>
public sealed class AuthAndHostTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Health_needs_no_token_and_says_only_which_checks_are_ok()
    {
        using var anonymous = f.NewClient(token: null);

        var r = await f.GetAsync("/health", anonymous);

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("""{"status":"ok","checks":{"database":{"status":"ok"},"artifacts":{"status":"ok"}}}""", r.Body);
    }

    [Fact]
    public async Task A_missing_token_is_401_UNAUTHENTICATED_and_writes_nothing()
    {
        using var anonymous = f.NewClient(token: null);
        var name = "unauth-" + Guid.NewGuid().ToString("N");

        var r = await f.PostRawAsync("experiments/create", $$"""{"name":"{{name}}"}""", anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("UNAUTHENTICATED", r.ErrorCode);
        Assert.Null(f.Store.FindExperimentByName(name));
    }

    [Fact]
    public async Task A_wrong_token_is_401_and_writes_nothing()
    {
        var run = await f.CreateRunAsync();
        using var wrong = f.NewClient(token: "not-the-token");

        var r = await f.PostRawAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"k","value":1,"timestamp":1}""", wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Empty(f.Store.GetRun(run).Metrics);
    }

    [Fact]
    public async Task A_read_without_token_is_401_too()
    {
        using var anonymous = f.NewClient(token: null);

        var r = await f.GetAsync("experiments/get?experiment_id=0", anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
    }

    [Fact]
    public async Task An_artifact_upload_without_token_is_401_and_creates_no_file()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        using var anonymous = f.NewClient(token: null);

        using var response = await anonymous.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/x.txt", new ByteArrayContent("x"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(f.Store.ArtifactRoot, run)));
    }

    [Fact]
    public async Task A_foreign_Host_header_is_403_PERMISSION_DENIED_and_writes_nothing()
    {
        var name = "rebound-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, ServerFixture.Mlflow + "experiments/create")
        {
            Content = new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "attacker.example.com";

        using var response = await f.Client.SendAsync(request);
        var r = await ApiResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, r.Status);
        Assert.Equal("PERMISSION_DENIED", r.ErrorCode);
        Assert.Null(f.Store.FindExperimentByName(name));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Loopback_Host_names_are_accepted_with_any_port(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ServerFixture.Mlflow + "experiments/get?experiment_id=0");
        request.Headers.Host = $"{host}:{f.Server.BaseAddress.Port}";

        using var response = await f.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
