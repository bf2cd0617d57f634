using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>The real <c>mltrack rpc --stdio</c> process, spoken to as the editor does: LSP-framed JSON-RPC on its stdio.</summary>
public sealed class RpcProcessTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-rpcproc-").FullName;
    private readonly StringBuilder _stderr = new();
    private Process _process = null!;

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
        psi.Environment["HOME"] = _dir; // a user-level store, if any, stays in the test folder
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
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

    private async Task AssertExitsAsync()
    {
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, _process.ExitCode);
    }

    [Fact]
    public async Task It_initializes_launches_lists_refuses_unknown_methods_and_exits_on_shutdown()
    {
        using var client = new JsonRpc(new HeaderDelimitedMessageHandler(_process.StandardInput.BaseStream, _process.StandardOutput.BaseStream, RpcJson.CreateFormatter()));
        client.StartListening();
        var init = await client.InvokeWithParameterObjectAsync<InitializeResult>(RpcMethods.Initialize, new { workspaceFolder = Workspace });
        Assert.Equal(Path.Combine(Workspace, ".mltrack", "mltrack.db"), init.StorePath);
        Assert.True(init.Capabilities.TrackingServer, Stderr);

        var launched = await client.InvokeWithParameterObjectAsync<LaunchResultDto>(RpcMethods.RunsLaunch, new
        {
            command = new[] { "sh", "-c", "echo loss=0.5; echo \"uri=$MLTRACK_TRACKING_URI\"" },
        });
        RunsListResult list;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            list = await client.InvokeWithParameterObjectAsync<RunsListResult>(RpcMethods.RunsList, new { maxResults = 10 });
        } while (list.Runs.Single(r => r.RunId == launched.RunId) is var r && (r.Status == "RUNNING" || !r.Metrics.ContainsKey("loss"))
            && DateTime.UtcNow < deadline && await Pause());
        var row = Assert.Single(list.Runs);
        Assert.Equal("FINISHED", row.Status);
        Assert.True(row.Metrics.TryGetValue("loss", out var loss), $"no loss metric on the finished run; backend stderr: {Stderr}");
        Assert.Equal(0.5, loss);

        var unknown = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.InvokeWithParameterObjectAsync<JsonElement>("nope/nothing", new { }));
        Assert.Equal(RpcErrorCodes.MethodNotFound, (int)unknown.ErrorCode);
        Assert.Single((await client.InvokeWithParameterObjectAsync<RunsListResult>(RpcMethods.RunsList)).Runs);

        await client.InvokeWithParameterObjectAsync(RpcMethods.Shutdown);
        await AssertExitsAsync();
        // The in-process tracking server removed its discovery file on the way out.
        Assert.False(File.Exists(Path.Combine(Workspace, ".mltrack", "server.json")), Stderr);
    }

    [Fact]
    public async Task A_malformed_frame_gets_a_parse_error_and_the_process_keeps_serving_until_stdin_closes()
    {
        var raw = new RawLspClient(_process.StandardInput.BaseStream, _process.StandardOutput.BaseStream);
        await raw.SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { workspaceFolder = Workspace, startTrackingServer = false } }));
        Assert.True((await raw.ReadResponseAsync(1)).TryGetProperty("result", out _));

        await raw.SendRawAsync("Content-Length: 5\r\n\r\n{oops");
        var error = await raw.ReadAsync();
        Assert.Equal(RpcErrorCodes.ParseError, error.GetProperty("error").GetProperty("code").GetInt32());

        await raw.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"runs/list","params":{}}""");
        var list = await raw.ReadResponseAsync(2);
        Assert.Equal(0, list.GetProperty("result").GetProperty("runs").GetArrayLength());
        Assert.False(_process.HasExited);

        _process.StandardInput.Close();
        await AssertExitsAsync();
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }
}
