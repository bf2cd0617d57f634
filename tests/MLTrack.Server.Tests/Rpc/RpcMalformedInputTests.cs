using System.Text.Json;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Garbage on the wire gets a JSON-RPC error and the backend keeps serving.</summary>
public sealed class RpcMalformedInputTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new(startClient: false);
    private RawLspClient _raw = null!;

    public Task InitializeAsync()
    {
        _raw = new RawLspClient(_h.ClientStream, _h.ClientStream);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task AssertStillServes(int id)
    {
        var json = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id,
            method = "initialize",
            @params = new { workspaceFolder = _h.Workspace, startTrackingServer = false },
        });
        await _raw.SendAsync(json);
        var response = await _raw.ReadResponseAsync(id);
        Assert.EndsWith("mltrack.db", response.GetProperty("result").GetProperty("storePath").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_a_parse_error_with_a_null_id()
    {
        await _raw.SendRawAsync("Content-Length: 9\r\n\r\n{not json");
        var error = await _raw.ReadAsync();
        Assert.Equal(RpcErrorCodes.ParseError, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        await AssertStillServes(1);
    }

    [Fact]
    public async Task Json_that_is_not_a_request_gets_an_error_and_the_backend_stays_up()
    {
        await _raw.SendAsync("""{"hello":"world"}""");
        var error = await _raw.ReadAsync();
        Assert.True(error.TryGetProperty("error", out _));
        await _raw.SendAsync("[1,2,3]");
        Assert.True((await _raw.ReadAsync()).TryGetProperty("error", out _));
        await AssertStillServes(2);
    }

    [Fact]
    public async Task Unknown_methods_and_wrong_param_types_are_errors_not_disconnects()
    {
        await _raw.SendAsync("""{"jsonrpc":"2.0","id":7,"method":"no/such","params":{}}""");
        Assert.Equal(RpcErrorCodes.MethodNotFound, (await _raw.ReadResponseAsync(7)).GetProperty("error").GetProperty("code").GetInt32());
        await _raw.SendAsync("""{"jsonrpc":"2.0","id":8,"method":"initialize","params":{"workspaceFolder":42}}""");
        Assert.True((await _raw.ReadResponseAsync(8)).TryGetProperty("error", out _));
        await AssertStillServes(9);
    }
}
