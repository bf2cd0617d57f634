using System.Text;
using System.Text.Json;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Speaks LSP framing byte by byte, to send what a proper client never would and read the exact answers.</summary>
public sealed class RawLspClient(Stream input, Stream output)
{
    public Task SendRawAsync(string bytes) => SendBytesAsync(Encoding.UTF8.GetBytes(bytes));

    public async Task SendBytesAsync(byte[] bytes)
    {
        await input.WriteAsync(bytes);
        await input.FlushAsync();
    }

    /// <summary>A frame exactly as a correct client sends it.</summary>
    public static string Frame(string json) => $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";

    public Task SendAsync(string json) => SendRawAsync(Frame(json));

    /// <summary>The next frame's body; fails on anything that is not a well-formed frame.</summary>
    public async Task<JsonElement> ReadAsync(int timeoutMs = 10_000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        int? length = null;
        while (true)
        {
            var line = await ReadLineAsync(cts.Token);
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            Assert.True(colon > 0, $"not a header line: '{line}'");
            if (line[..colon].Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[(colon + 1)..].Trim());
        }
        Assert.NotNull(length);
        var body = new byte[length.Value];
        await output.ReadExactlyAsync(body, cts.Token);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Reads frames until one answers <paramref name="id"/> (skipping notifications).</summary>
    public async Task<JsonElement> ReadResponseAsync(int id) => (await ReadUntilResponseAsync(id)).Response;

    /// <summary>Reads frames until one answers <paramref name="id"/>; the error answers (id null or other ids) read before it.</summary>
    public async Task<(JsonElement Response, List<JsonElement> ErrorsBefore)> ReadUntilResponseAsync(int id, int timeoutMs = 10_000)
    {
        var errors = new List<JsonElement>();
        while (true)
        {
            var frame = await ReadAsync(timeoutMs);
            if (frame.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id) return (frame, errors);
            if (frame.TryGetProperty("error", out _)) errors.Add(frame);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await output.ReadAsync(one, ct) == 0) throw new EndOfStreamException("the backend closed its output");
            if (one[0] == '\n') return sb.ToString().TrimEnd('\r');
            sb.Append((char)one[0]);
        }
    }
}
