using System.Net;

namespace MLTrack.Server.Tests.Http;

/// <summary>Bad requests get MLflow's JSON error body, never HTML or an empty 500.</summary>
public sealed class RequestErrorTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Malformed_json_is_400_BAD_REQUEST_as_json()
    {
        var r = await f.PostRawAsync("experiments/create", "{\"name\": ");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("application/json", r.ContentType);
        Assert.Equal("BAD_REQUEST", r.ErrorCode);
        Assert.False(string.IsNullOrEmpty(r.Message));
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_400_naming_the_field()
    {
        var r = await f.PostRawAsync("runs/search", """{"max_results": {"a": 1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("max_results", r.Message);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_400()
    {
        var r = await f.PostRawAsync("runs/search", "[1, 2]");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.NotNull(r.ErrorCode);
    }

    [Fact]
    public async Task A_json_body_over_1_MB_is_refused_with_a_json_error_and_writes_nothing()
    {
        var run = await f.CreateRunAsync();
        var padding = new string(' ', 1024 * 1024 + 10);

        var r = await f.PostRawAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"k","value":1,"timestamp":1{{padding}}}""", expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.Status);
        Assert.NotNull(r.ErrorCode);
        Assert.Empty(f.Store.GetRun(run).Metrics);
    }

    [Fact]
    public async Task An_unknown_endpoint_is_404_ENDPOINT_NOT_FOUND_as_json()
    {
        var r = await f.GetAsync("no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("ENDPOINT_NOT_FOUND", r.ErrorCode);
    }

    [Fact]
    public async Task Strings_sent_as_numbers_are_accepted_as_mlflow_clients_sometimes_send_them()
    {
        var r = await f.PostRawAsync("runs/create", """{"experiment_id": 0}""");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("0", r.Json.GetProperty("run").GetProperty("info").GetProperty("experiment_id").GetString());
    }
}
