using System.Net;
using System.Text.Json.Nodes;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Ui;

/// <summary><c>GET /rpc/events</c>: the session's notifications as Server-Sent Events.</summary>
public sealed class UiEventsTests(UiFixture ui) : IClassFixture<UiFixture>
{
    [Fact]
    public async Task A_launch_through_rpc_is_announced_as_runs_changed()
    {
        using var client = ui.NewClient(ui.Server.Token);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Get, "rpc/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // the stream is open once the first comment arrives
        Assert.Equal("retry: 1000", await reader.ReadLineAsync());

        var launched = await ui.RpcResultAsync(RpcMethods.RunsLaunch, new { command = new[] { "sh", "-c", "echo hello-from-ui" }, experiment = "sse", name = "sse-run" });
        var runId = (string)launched["runId"]!;

        var seen = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        bool changed = false, logged = false;
        while (!(changed && logged))
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("events ended; saw: " + string.Join(" | ", seen));
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            seen.Add(line);
            var evt = JsonNode.Parse(line["data: ".Length..])!;
            var method = (string?)evt["method"];
            if (method == RpcMethods.RunsChanged && (string?)evt["params"]!["runId"] == runId) changed = true;
            if (method == RpcMethods.LogAppend && (string?)evt["params"]!["runId"] == runId
                && evt["params"]!["lines"]!.AsArray().Any(l => ((string?)l)?.Contains("hello-from-ui") == true)) logged = true;
        }
    }

    [Fact]
    public async Task A_change_made_through_the_rest_api_reaches_subscribers()
    {
        using var client = await ui.SignedInBrowserAsync(); // its timeout ends with the headers (ResponseHeadersRead)
        using var response = await client.GetAsync("rpc/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadLineAsync();
        var (_, runId) = await ui.SeedRunAsync("sse-rest", "rest-run");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(runId, StringComparison.Ordinal)) break;
        }
    }

    [Fact]
    public async Task Events_need_a_session_cookie_or_the_bearer_token()
    {
        using var client = ui.NewClient(null);
        using var response = await client.GetAsync("rpc/events");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var wrong = ui.NewClient("nope");
        using var refused = await wrong.GetAsync("rpc/events");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
