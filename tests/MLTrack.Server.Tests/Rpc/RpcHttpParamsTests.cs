using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MLTrack.Server.Rpc;
using MLTrack.Server.Tests.Ui;

namespace MLTrack.Server.Tests.Rpc;

/// <summary><c>POST /rpc</c> with params of the wrong kind: an immediate 400 with -32602 naming the parameter, never a hang or a 500.</summary>
public sealed class RpcHttpParamsTests(UiFixture ui) : IClassFixture<UiFixture>
{
    /// <summary>POST /rpc with an exact body, on a client that gives up quickly (a hang fails the test, it does not stall it).</summary>
    private async Task<(int Status, string Text)> PostAsync(string body)
    {
        using var client = new HttpClient { BaseAddress = ui.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ui.Server.Token);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("rpc", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> WrongKinds => new()
    {
        { "runs/get", "\"x\"", "params must be an object, got the string \"x\"" },
        { "runs/get", "5", "params must be an object, got the number 5" },
        { "runs/get", "[1]", "params must be an object, got an array" },
        { "runs/get", """{"runId":5}""", "'runId' must be a string, got the number 5" },
        { "metrics/history", """{"runId":"abc123","key":"loss","fromStep":"1"}""", "'fromStep' must be an integer, got the string \"1\"" },
        { "runs/launch", """{"command":5}""", "'command' must be an array of strings, got the number 5" },
        { "preferences/set", """{"values":"x"}""", "'values' must be an object, got the string \"x\"" },
        { "analytics/timeSeries", """{"from":"2026-02-01"}""", "'from' must be an integer, got the string \"2026-02-01\"" },
    };

    [Theory]
    [MemberData(nameof(WrongKinds))]
    public async Task A_param_of_the_wrong_kind_answers_400_with_invalid_params_naming_it(string method, string paramsJson, string expected)
    {
        var (status, text) = await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""");
        Assert.Equal(400, status);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(RpcErrorCodes.InvalidParams, (int)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!);
        RpcAssert.NoDotNetNames(text);
    }

    [Fact]
    public async Task Missing_params_answer_400_saying_what_the_method_takes()
    {
        var (status, text) = await PostAsync("""{"method":"runs/get"}""");
        Assert.Equal(400, status);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(RpcErrorCodes.InvalidParams, (int)error["code"]!);
        Assert.Equal("'runs/get' needs params: an object with runId.", (string)error["message"]!);
    }
}
