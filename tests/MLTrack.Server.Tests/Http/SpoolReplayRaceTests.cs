using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;
using MLTrack.Server.Spool;

namespace MLTrack.Server.Tests.Http;

/// <summary>Spool replay when other processes touch the spool meanwhile: another replayer, a client still appending.</summary>
public sealed class SpoolReplayRaceTests : IAsyncLifetime
{
    private const string LogBatch = "/api/2.0/mlflow/runs/log-batch";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-spool-" + Guid.NewGuid().ToString("N"));
    private SqliteTrackingStore _store = null!;
    private TrackingServer _server = null!;

    private string MltrackDir => Path.Combine(_root, ".mltrack");
    private string SpoolDir => Path.Combine(MltrackDir, "spool");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(SpoolDir);
        _store = SqliteTrackingStore.Open(Path.Combine(MltrackDir, "mltrack.db"));
        // No MltrackDirectory: this server replays nothing by itself, the tests drive the replayers.
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Log = TextWriter.Null });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _server.Token);
        return http;
    }

    private static string BatchLine(string runId, string batchId, long step, string? param = null) => JsonSerializer.Serialize(new
    {
        method = "POST",
        path = LogBatch,
        body = param is null
            ? (object)new { run_id = runId, mltrack_batch_id = batchId, metrics = new[] { new { key = "loss", value = 0.5, timestamp = 1, step } } }
            : new { run_id = runId, @params = new[] { new { key = "lr", value = param } } },
    });

    private long Points(string runId) => _store.GetMetricHistory(runId, "loss").Count;

    [Fact]
    public async Task Two_replayers_at_once_replay_each_line_once_and_skip_what_the_other_took()
    {
        var runs = Enumerable.Range(0, 40).Select(_ => _store.CreateRun(new NewRun()).RunId).ToList();
        foreach (var run in runs)
            File.WriteAllLines(Path.Combine(SpoolDir, run + ".jsonl"), Enumerable.Range(0, 5).Select(i => BatchLine(run, $"{run}-{i}", i)));
        using var a = Client();
        using var b = Client();
        using var go = new Barrier(2);

        var results = await Task.WhenAll(
            Task.Run(() => { go.SignalAndWait(); return new SpoolReplayer(a, TextWriter.Null).ReplayAsync(SpoolDir); }),
            Task.Run(() => { go.SignalAndWait(); return new SpoolReplayer(b, TextWriter.Null).ReplayAsync(SpoolDir); }));

        Assert.Equal(40 * 5, results.Sum(r => r.Requests));
        Assert.All(runs, run => Assert.Equal(5, Points(run)));
        Assert.Empty(Directory.GetFiles(SpoolDir, "*.jsonl*"));
    }

    [Fact]
    public async Task A_client_appending_while_its_file_is_replayed_loses_no_line()
    {
        const int lines = 1500;
        var run = _store.CreateRun(new NewRun()).RunId;
        // The real client's spool (clients/python, copied beside the server), appending as fast as it can.
        var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($$"""
            import sys
            from mltrack._spool import Spool
            s = Spool(sys.argv[1])
            for i in range({{lines}}):
                s.append(sys.argv[2], "POST", "{{LogBatch}}", {"run_id": sys.argv[2], "mltrack_batch_id": f"b{i}",
                         "metrics": [{"key": "loss", "value": 0.5, "timestamp": 1, "step": i}]})
            """);
        psi.ArgumentList.Add(MltrackDir);
        psi.ArgumentList.Add(run);
        psi.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "python");
        using var http = Client();
        var replayer = new SpoolReplayer(http, TextWriter.Null);

        using var client = Process.Start(psi)!;
        var stderr = client.StandardError.ReadToEndAsync();
        while (!client.HasExited) await replayer.ReplayAsync(SpoolDir);
        await client.WaitForExitAsync();
        await replayer.ReplayAsync(SpoolDir);

        Assert.True(client.ExitCode == 0, await stderr);
        Assert.Equal(lines, Points(run));
    }

    [Fact]
    public async Task A_claim_left_by_an_interrupted_replay_goes_before_the_runs_newer_lines()
    {
        var run = _store.CreateRun(new NewRun()).RunId;
        File.WriteAllLines(Path.Combine(SpoolDir, run + SpoolReplayer.ClaimedExtension), [BatchLine(run, "b0", 0, param: "older")]);
        File.WriteAllLines(Path.Combine(SpoolDir, run + SpoolReplayer.Extension), [BatchLine(run, "b1", 1, param: "newer"), BatchLine(run, "b2", 2)]);
        using var http = Client();

        await new SpoolReplayer(http, TextWriter.Null).ReplayAsync(SpoolDir);

        Assert.Equal("older", _store.GetRun(run).Params["lr"]); // params are immutable: the first replayed wins
        Assert.Equal(1, Points(run));
        Assert.Empty(Directory.GetFiles(SpoolDir, "*.jsonl*"));
    }

    [Fact]
    public async Task A_spool_file_that_vanished_before_it_was_opened_does_not_stop_the_server()
    {
        var run = _store.CreateRun(new NewRun()).RunId;
        File.WriteAllLines(Path.Combine(SpoolDir, run + ".jsonl"), [BatchLine(run, "b0", 0)]);
        // Listed, then gone when opened: what a second server saw when the first replayed and deleted the file.
        File.CreateSymbolicLink(Path.Combine(SpoolDir, "0000gone.jsonl"), Path.Combine(SpoolDir, "deleted-meanwhile.jsonl"));
        File.SetLastWriteTimeUtc(Path.Combine(SpoolDir, run + ".jsonl"), DateTime.UtcNow.AddMinutes(1));
        var log = new StringWriter();

        await using var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { MltrackDirectory = MltrackDir, Log = log });

        Assert.Equal(1, Points(run));
        Assert.DoesNotContain("Could not find file", log.ToString());
    }
}
