using System.Text.Json;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>
/// Params of the wrong JSON kind, missing params and malformed requests: each request with an id gets one answer with
/// that id, -32602 naming the parameter and the kind it takes (never a .NET type name), or -32600/-32601.
/// </summary>
public sealed class RpcParamsTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new(startClient: false);
    private RawLspClient _raw = null!;

    public Task InitializeAsync()
    {
        _raw = new RawLspClient(_h.ClientStream, _h.ClientStream);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<JsonElement> Call(string method, string? paramsJson, int id = 7)
    {
        var p = paramsJson is null ? "" : $",\"params\":{paramsJson}";
        await _raw.SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}"{{p}}}""");
        return await _raw.ReadResponseAsync(id);
    }

    private static (int Code, string Message) ErrorOf(JsonElement response)
    {
        var error = response.GetProperty("error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    public static TheoryData<string, string, string> WrongKinds => new()
    {
        { "runs/get", "\"x\"", "params must be an object, got the string \"x\"" },
        { "runs/get", "5", "params must be an object, got the number 5" },
        { "runs/get", "true", "params must be an object, got true" },
        { "runs/get", "[1]", "params must be an object, got an array" },
        { "runs/get", """{"runId":5}""", "'runId' must be a string, got the number 5" },
        { "runs/get", """{"runId":["a"]}""", "'runId' must be a string, got an array" },
        { "metrics/history", """{"runId":5,"key":"loss"}""", "'runId' must be a string, got the number 5" },
        { "metrics/history", """{"runId":"abc123","key":"loss","buckets":"ten"}""", "'buckets' must be an integer, got the string \"ten\"" },
        { "metrics/history", """{"runId":"abc123","key":{"k":1}}""", "'key' must be a string, got an object" },
        { "metrics/historyMany", """{"runIds":"abc123","key":"loss"}""", "'runIds' must be an array of strings, got the string \"abc123\"" },
        { "runs/launch", """{"command":5}""", "'command' must be an array of strings, got the number 5" },
        { "runs/launch", """{"command":["python",5]}""", "'command[1]' must be a string, got the number 5" },
        { "runs/launch", """{"file":"t.py","env":{"A":1}}""", "'env.A' must be a string, got the number 1" },
        { "preferences/set", """{"values":"x"}""", "'values' must be an object, got the string \"x\"" },
        { "analytics/timeSeries", """{"from":"2026-02-01"}""", "'from' must be an integer, got the string \"2026-02-01\"" },
        { "runs/list", """{"maxResults":99999999999}""", "'maxResults' must be an integer from -2147483648 to 2147483647, got the number 99999999999" },
        { "runs/list", """{"maxResults":1.5}""", "'maxResults' must be an integer, got the number 1.5" },
        { "deployments/create", """{"runId":"abc123","target":"local","config":{"cpu":"two"}}""", "'config.cpu' must be a number, got the string \"two\"" },
        { "initialize", """{"startTrackingServer":"yes"}""", "'startTrackingServer' must be true or false, got the string \"yes\"" },
    };

    [Theory]
    [MemberData(nameof(WrongKinds))]
    public async Task A_param_of_the_wrong_kind_is_invalid_params_naming_it_and_the_kind_it_takes(string method, string paramsJson, string expected)
    {
        var response = await Call(method, paramsJson);
        var (code, message) = ErrorOf(response);
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains(expected, message);
        Assert.Equal("INVALID_PARAMETER_VALUE", response.GetProperty("error").GetProperty("data").GetProperty("errorCode").GetString());
        RpcAssert.NoDotNetNames(response.GetRawText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public async Task Missing_params_of_a_method_that_needs_them_are_invalid_params_saying_what_it_takes(string? paramsJson)
    {
        var (code, message) = ErrorOf(await Call("metrics/history", paramsJson));
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Equal("'metrics/history' needs params: an object with runId and key.", message);
    }

    [Fact]
    public async Task Params_given_to_a_method_that_takes_none_are_invalid_params()
    {
        var (code, message) = ErrorOf(await Call("analytics/facets", "[1]"));
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Equal("'analytics/facets' takes no params.", message);
    }

    [Theory]
    [InlineData("deployments/list")]
    [InlineData("reports/list")]
    public async Task Methods_whose_params_are_optional_run_without_them(string method)
    {
        // Not initialized: reaching the method is what counts.
        Assert.Equal(RpcErrorCodes.NotInitialized, ErrorOf(await Call(method, null)).Code);
    }

    [Fact]
    public async Task An_unknown_method_is_method_not_found_with_the_requests_id()
    {
        var response = await Call("runs/nope", "{}", id: 12);
        Assert.Equal(12, response.GetProperty("id").GetInt32());
        Assert.Equal(RpcErrorCodes.MethodNotFound, ErrorOf(response).Code);
    }

    [Fact]
    public async Task A_method_that_is_not_a_string_is_an_invalid_request_with_the_requests_id()
    {
        await _raw.SendAsync("""{"jsonrpc":"2.0","id":13,"method":5,"params":{}}""");
        var (code, message) = ErrorOf(await _raw.ReadResponseAsync(13));
        Assert.Equal(RpcErrorCodes.InvalidRequest, code);
        Assert.Contains("'method' must be a string, got the number 5", message);
    }

    [Fact]
    public async Task An_id_that_is_neither_string_nor_integer_is_an_invalid_request_answered_with_id_null()
    {
        await _raw.SendAsync("""{"jsonrpc":"2.0","id":{"a":1},"method":"runs/get","params":{}}""");
        var error = await _raw.ReadAsync();
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        Assert.Contains("'id' must be a string or an integer, got an object", ErrorOf(error).Message);
    }

    [Fact]
    public async Task A_string_id_is_answered_with_that_id()
    {
        await _raw.SendAsync("""{"jsonrpc":"2.0","id":"req-1","method":"runs/get","params":"x"}""");
        var error = await _raw.ReadAsync();
        Assert.Equal("req-1", error.GetProperty("id").GetString());
        Assert.Equal(RpcErrorCodes.InvalidParams, ErrorOf(error).Code);
    }

    [Fact]
    public async Task A_batch_is_refused_as_an_invalid_request()
    {
        await _raw.SendAsync("""[{"jsonrpc":"2.0","id":1,"method":"runs/list"}]""");
        var error = await _raw.ReadAsync();
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorOf(error).Code);
        Assert.Contains("batches", ErrorOf(error).Message);
    }
}
