using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// Requests Kestrel refuses before any middleware runs (URL too long, malformed header or request line, headers too
/// large) still get MLflow's JSON error body, over a raw TCP connection as a hostile or broken client sends them.
/// </summary>
public sealed class KestrelErrorBodyTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private async Task<(int Status, string Head, string Body)> SendAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, f.Server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // the server may close before taking all of an oversize request; its answer is already on the way
        }
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no response head in: {text}");
        var head = text[..split];
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head, text[(split + 4)..]);
    }

    private string Host => $"Host: 127.0.0.1:{f.Server.BaseAddress.Port}\r\n";

    private static void AssertJsonError((int Status, string Head, string Body) r, int status, string contains)
    {
        Assert.Equal(status, r.Status);
        Assert.Contains("Content-Type: application/json", r.Head);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(r.Body)}", r.Head);
        using var json = JsonDocument.Parse(r.Body);
        Assert.Equal("BAD_REQUEST", json.RootElement.GetProperty("error_code").GetString());
        Assert.Contains(contains, json.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_20_KB_url_gets_414_with_a_json_error_body()
    {
        var r = await SendAsync($"GET /api/2.0/mlflow/runs/get?run_id={new string('a', 20_000)} HTTP/1.1\r\n{Host}\r\n");

        AssertJsonError(r, 414, "at most 8192 bytes");
    }

    [Fact]
    public async Task A_malformed_header_gets_400_with_a_json_error_body()
    {
        var r = await SendAsync($"GET /health HTTP/1.1\r\n{Host}Bad Header\r\n\r\n");

        AssertJsonError(r, 400, "Invalid request header");
    }

    [Fact]
    public async Task A_malformed_request_line_gets_400_with_a_json_error_body()
    {
        var r = await SendAsync("GARBAGE\r\n\r\n");

        AssertJsonError(r, 400, "Malformed HTTP request");
    }

    [Fact]
    public async Task Headers_over_the_limit_get_431_with_a_json_error_body()
    {
        var r = await SendAsync($"GET /health HTTP/1.1\r\n{Host}X-Big: {new string('b', 40_000)}\r\n\r\n");

        AssertJsonError(r, 431, "headers are too large");
    }

    [Fact]
    public async Task Requests_kestrel_accepts_pass_through_unchanged_on_a_kept_alive_connection()
    {
        var r = await SendAsync($"GET /health HTTP/1.1\r\n{Host}\r\nGET /health HTTP/1.1\r\n{Host}Connection: close\r\n\r\n");
        var whole = r.Head + "\r\n\r\n" + r.Body;

        Assert.Equal(2, whole.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Equal(2, whole.Split("{\"status\":\"ok\",\"checks\":").Length - 1);
    }
}
