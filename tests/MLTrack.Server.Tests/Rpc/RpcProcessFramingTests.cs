using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>The real <c>mltrack rpc --stdio</c> process fed malformed frames and params: it answers and keeps serving.</summary>
public sealed class RpcProcessFramingTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-rpcframes-").FullName;
    private readonly StringBuilder _stderr = new();
    private Process _process = null!;
    private RawLspClient _raw = null!;

    private string Workspace => Path.Combine(_dir, "ws");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Workspace);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mltrack.dll"));
        psi.ArgumentList.Add("rpc");
        psi.ArgumentList.Add("--stdio");
        psi.Environment["HOME"] = _dir;
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _raw = new RawLspClient(_process.StandardInput.BaseStream, _process.StandardOutput.BaseStream);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    private string Valid(int id) => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id,
        method = "initialize",
        @params = new { workspaceFolder = Workspace, startTrackingServer = false },
    });

    [Fact]
    public async Task Every_bad_frame_kind_is_answered_once_and_the_request_after_it_gets_its_answer()
    {
        int id = 100;
        foreach (var row in RpcFramingTests.BadFrames)
        {
            var (kind, frame, code) = ((string)row[0], (string)row[1], (int)row[2]);
            await _raw.SendRawAsync(frame + RawLspClient.Frame(Valid(++id)));
            var (response, errors) = await _raw.ReadUntilResponseAsync(id);
            Assert.True(response.TryGetProperty("result", out _), $"{kind}: {response}");
            var error = Assert.Single(errors);
            Assert.True(code == error.GetProperty("error").GetProperty("code").GetInt32(), $"{kind}: {error}\n{Stderr}");
        }
        Assert.False(_process.HasExited, Stderr);
    }

    [Fact]
    public async Task A_too_large_content_length_with_nothing_after_it_is_answered_with_its_id_after_a_pause()
    {
        var carried = """{"jsonrpc":"2.0","id":42,"method":"runs/list","params":{}}""";
        await _raw.SendRawAsync($"Content-Length: {carried.Length + 100}\r\n\r\n{carried}");
        var error = await _raw.ReadAsync(timeoutMs: 10_000);
        Assert.Equal(42, error.GetProperty("id").GetInt32());
        Assert.Equal(RpcErrorCodes.InvalidRequest, error.GetProperty("error").GetProperty("code").GetInt32());
        await _raw.SendAsync(Valid(1));
        Assert.True((await _raw.ReadResponseAsync(1)).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Hundred_and_twenty_bad_frames_then_a_request_it_is_answered_and_the_process_lives_on()
    {
        await _raw.SendRawAsync(string.Concat(Enumerable.Repeat("Content-Length: -1\r\n\r\n{}", 120)) + RawLspClient.Frame(Valid(1)));
        var (response, errors) = await _raw.ReadUntilResponseAsync(1);
        Assert.True(response.TryGetProperty("result", out _), Stderr);
        Assert.Equal(120, errors.Count);
        Assert.False(_process.HasExited, Stderr);
    }

    [Theory]
    [InlineData("5", "params must be an object, got the number 5")]
    [InlineData("\"x\"", "params must be an object, got the string \"x\"")]
    [InlineData("""{"runId":5}""", "'runId' must be a string, got the number 5")]
    public async Task Runs_get_with_params_of_the_wrong_kind_is_answered_with_its_id_and_invalid_params(string paramsJson, string expected)
    {
        await _raw.SendAsync($$"""{"jsonrpc":"2.0","id":3,"method":"runs/get","params":{{paramsJson}}}""");
        var response = await _raw.ReadAsync();
        Assert.Equal(3, response.GetProperty("id").GetInt32());
        var error = response.GetProperty("error");
        Assert.Equal(RpcErrorCodes.InvalidParams, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("message").GetString());
        RpcAssert.NoDotNetNames(response.GetRawText());
    }

    [Fact]
    public async Task Input_that_cannot_be_resynchronised_ends_the_process_with_a_non_zero_exit_and_the_reason()
    {
        var garbage = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
        try
        {
            for (int i = 0; i < 70 && !_process.HasExited; i++) await _raw.SendBytesAsync(garbage);
        }
        catch (IOException)
        {
            // the backend stopped reading: what this test waits for
        }
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(exited.Token);
        Assert.NotEqual(0, _process.ExitCode);
        Assert.Contains("no 'Content-Length:' header in 64 MiB", Stderr);
    }
}
