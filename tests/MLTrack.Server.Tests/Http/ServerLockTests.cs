using System.Diagnostics;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Cli;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

/// <summary>One tracking server per store, made atomic by <c>.mltrack/server.lock</c> held for the server's life.</summary>
public sealed class ServerLockTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-lock-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTrackingStore _store;

    public ServerLockTests()
    {
        Directory.CreateDirectory(MltrackDir);
        _store = SqliteTrackingStore.Open(Path.Combine(MltrackDir, "mltrack.db"));
    }

    private string MltrackDir => Path.Combine(_root, ".mltrack");
    private string LockFile => Path.Combine(MltrackDir, "server.lock");

    public void Dispose()
    {
        _store.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private Task<TrackingServer> Start() =>
        TrackingServer.StartAsync(_store, new TrackingServerOptions { MltrackDirectory = MltrackDir, Log = TextWriter.Null });

    /// <summary>Another process holding the lock, as a server in another process does (and as its death releases it).</summary>
    private Process HoldLockElsewhere()
    {
        var psi = new ProcessStartInfo("flock") { UseShellExecute = false, RedirectStandardOutput = true };
        // --close: only flock itself holds the lock (not the command it runs), so killing flock releases it.
        foreach (var a in new[] { "--nonblock", "--close", LockFile, "sh", "-c", "echo held; exec sleep 1000" }) psi.ArgumentList.Add(a);
        var holder = Process.Start(psi)!;
        Assert.Equal("held", holder.StandardOutput.ReadLine());
        return holder;
    }

    [Fact]
    public async Task Of_two_servers_started_at_the_same_instant_exactly_one_runs()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var go = new Barrier(2);
            var starts = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                go.SignalAndWait();
                return await Start();
            })).ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            catch (ServerAlreadyRunningException)
            {
            }
            var running = starts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
            var refused = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).ToList();
            try
            {
                var winner = Assert.Single(running);
                var refusal = Assert.IsType<ServerAlreadyRunningException>(Assert.Single(refused));
                Assert.Contains(winner.BaseAddress.ToString().TrimEnd('/'), refusal.Message);
                Assert.Contains($"pid {Environment.ProcessId}", refusal.Message);
            }
            finally
            {
                foreach (var server in running) await server.DisposeAsync();
            }
        }
    }

    /// <summary>Whether another process could take the lock now (flock(1) exits 1 when it is held).</summary>
    private bool LockIsFree()
    {
        using var probe = Process.Start(new ProcessStartInfo("flock", ["--nonblock", LockFile, "true"]) { UseShellExecute = false })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    [Fact]
    public async Task The_lock_is_held_while_the_server_runs_and_released_when_it_stops()
    {
        var server = await Start();
        Assert.False(LockIsFree());

        await server.DisposeAsync();

        Assert.True(LockIsFree());
    }

    [Fact]
    public async Task A_lock_holder_refuses_a_server_until_it_dies_and_leaves_no_stale_lock()
    {
        using var holder = HoldLockElsewhere();
        var refusal = await Assert.ThrowsAsync<ServerAlreadyRunningException>(Start);
        Assert.Null(refusal.Running); // no server.json yet: the holder is still starting
        Assert.Contains("is starting", refusal.Message);

        holder.Kill(entireProcessTree: true); // SIGKILL: no clean-up ran, the lock file stays
        await holder.WaitForExitAsync();
        Assert.True(File.Exists(LockFile));

        await using var server = await Start();
        Assert.NotNull(server.BaseAddress);
    }

    [Fact]
    public async Task The_server_command_that_loses_the_race_names_the_running_server_and_exits_non_zero()
    {
        // The race as the command sees it: no live server.json when it looks, the lock taken when it starts.
        using var holder = HoldLockElsewhere();
        await using var other = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Log = TextWriter.Null });
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var command = CliApp.RunAsync(["--store", _store.Location, "server"], stdout, stderr);
            await Task.Delay(300);
            // The winner finishes starting: it writes server.json.
            File.WriteAllText(Path.Combine(MltrackDir, "server.json"), System.Text.Json.JsonSerializer.Serialize(new
            {
                url = other.BaseAddress.ToString().TrimEnd('/'),
                pid = Environment.ProcessId,
                store = _store.Location,
                started = DateTimeOffset.UtcNow.ToString("O"),
            }));

            var code = await command.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(ExitCodes.Error, code);
            Assert.Contains("already running", stderr.ToString());
            Assert.Contains($"pid {Environment.ProcessId}", stderr.ToString());
            Assert.Equal(other.BaseAddress.ToString().TrimEnd('/'), stdout.ToString().Trim());
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
        }
    }
}
