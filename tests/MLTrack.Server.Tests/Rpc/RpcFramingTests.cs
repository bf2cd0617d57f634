using System.Text;
using System.Text.Json;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>
/// Malformed LSP frames, in one process: each bad frame is answered with one error and reading resumes at the next
/// valid header, so the request sent after it gets its answer.
/// </summary>
public sealed class RpcFramingTests : IAsyncLifetime
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(200);

    // The request a bad frame carries; a too-large Content-Length still lets its id be answered.
    private const string Carried = """{"jsonrpc":"2.0","id":99,"method":"initialize","params":{"clientName":"carried"}}""";

    private readonly RpcHarness _h = new(startClient: false, o => o with { FrameStallTimeout = Stall, MaxMessageBytes = 256 * 1024 });
    private RawLspClient _raw = null!;

    public Task InitializeAsync()
    {
        _raw = new RawLspClient(_h.ClientStream, _h.ClientStream);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string Valid(int id) => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id,
        method = "initialize",
        @params = new { workspaceFolder = _h.Workspace, startTrackingServer = false },
    });

    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    private static void AssertAnswered(JsonElement response) =>
        Assert.EndsWith("mltrack.db", response.GetProperty("result").GetProperty("storePath").GetString());

    private static int CodeOf(JsonElement error) => error.GetProperty("error").GetProperty("code").GetInt32();

    public static TheoryData<string, string, int> BadFrames => new()
    {
        { "Content-Length larger than the body, the next frame not all there", $"Content-Length: {Bytes(Carried) + 400}\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length larger than the body, swallowing part of the next frame", $"Content-Length: {Bytes(Carried) + 30}\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length smaller than the body", $"Content-Length: {Bytes(Carried) - 20}\r\n\r\n{Carried}", RpcErrorCodes.ParseError },
        { "no Content-Length", $"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length -1", $"Content-Length: -1\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length abc", $"Content-Length: abc\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length 99999999999", $"Content-Length: 99999999999\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "Content-Length 0", "Content-Length: 0\r\n\r\n", RpcErrorCodes.InvalidRequest },
        { "LF-only header terminator", $"Content-Length: {Bytes(Carried)}\n\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "two Content-Length lines", $"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}", RpcErrorCodes.InvalidRequest },
        { "a charset other than UTF-8", $"Content-Length: {Bytes(Carried)}\r\nContent-Type: application/json; charset=latin1\r\n\r\n{Carried}", RpcErrorCodes.InvalidRequest },
        { "text where a header belongs", "hello world\r\n\r\n", RpcErrorCodes.InvalidRequest },
        { "an empty line where a header belongs", "\r\n", RpcErrorCodes.InvalidRequest },
        { "a body that is not JSON", "Content-Length: 9\r\n\r\n{not json", RpcErrorCodes.ParseError },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_gets_one_error_and_the_request_glued_after_it_its_answer(string kind, string frame, int code)
    {
        await _raw.SendRawAsync(frame + RawLspClient.Frame(Valid(1)));
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        var error = Assert.Single(errors);
        Assert.True(CodeOf(error) == code, $"{kind}: {error}");
        Assert.Contains("Malformed", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_too_large_content_length_is_answered_with_the_id_of_the_request_it_carried()
    {
        await _raw.SendRawAsync($"Content-Length: {Bytes(Carried) + 400}\r\n\r\n{Carried}" + RawLspClient.Frame(Valid(1)));
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        var error = Assert.Single(errors);
        Assert.Equal(99, error.GetProperty("id").GetInt32());
        Assert.Contains($"Content-Length {Bytes(Carried) + 400} is larger than the message", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_too_large_content_length_with_nothing_after_it_is_answered_once_the_input_pauses()
    {
        await _raw.SendRawAsync($"Content-Length: {Bytes(Carried) + 400}\r\n\r\n{Carried}");
        var error = await _raw.ReadAsync(timeoutMs: 5_000);
        Assert.Equal(99, error.GetProperty("id").GetInt32());
        Assert.Equal(RpcErrorCodes.InvalidRequest, CodeOf(error));
        await _raw.SendAsync(Valid(1));
        AssertAnswered(await _raw.ReadResponseAsync(1));
    }

    [Fact]
    public async Task An_incomplete_header_with_nothing_after_it_is_answered_once_the_input_pauses()
    {
        await _raw.SendRawAsync("Content-Len");
        var error = await _raw.ReadAsync(timeoutMs: 5_000);
        Assert.Equal(RpcErrorCodes.InvalidRequest, CodeOf(error));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        await _raw.SendAsync(Valid(1));
        AssertAnswered(await _raw.ReadResponseAsync(1));
    }

    [Fact]
    public async Task Random_bytes_get_one_error_and_the_request_after_them_its_answer()
    {
        var garbage = new byte[4096];
        new Random(11).NextBytes(garbage);
        garbage[0] = 0xff; // not a header character, whatever the seed gives
        await _raw.SendBytesAsync([.. garbage, .. Encoding.UTF8.GetBytes(RawLspClient.Frame(Valid(1)))]);
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        Assert.Single(errors);
    }

    [Fact]
    public async Task Hundred_and_twenty_bad_frames_in_a_row_leave_the_backend_serving()
    {
        var bad = string.Concat(Enumerable.Repeat("Content-Length: abc\r\n\r\n{}", 120));
        await _raw.SendRawAsync(bad + RawLspClient.Frame(Valid(1)));
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        Assert.Equal(120, errors.Count);
        Assert.False(_h.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_body_arriving_slowly_in_pieces_is_read_whole_and_not_taken_for_a_bad_frame()
    {
        var frame = Encoding.UTF8.GetBytes(RawLspClient.Frame(Valid(1)));
        int half = frame.Length / 2;
        await _raw.SendBytesAsync(frame[..half]);
        await Task.Delay(Stall * 3);
        await _raw.SendBytesAsync(frame[half..]);
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_large_message_sent_in_many_writes_is_read_whole()
    {
        var json = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "initialize",
            @params = new { workspaceFolder = _h.Workspace, startTrackingServer = false, clientName = new string('n', 200_000) },
        });
        var frame = Encoding.UTF8.GetBytes(RawLspClient.Frame(json));
        for (int i = 0; i < frame.Length; i += 8_000) await _raw.SendBytesAsync(frame[i..Math.Min(frame.Length, i + 8_000)]);
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        AssertAnswered(response);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Input_with_no_header_anywhere_within_the_size_limit_ends_the_connection_as_a_failure()
    {
        // Not awaited: once the backend gives up it reads no more, and the rest of the write never drains.
        _ = _raw.SendBytesAsync(Encoding.ASCII.GetBytes(new string('x', 600 * 1024)));
        var ended = await Task.WhenAny(_h.Server.Completion, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(_h.Server.Completion, ended);
        Assert.Contains("no 'Content-Length:' header", _h.Server.InputFailure);
    }
}
