using System.Text.Json.Nodes;
using MLTrack.Core.Preferences;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Tests.Storage.Postgres;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using Xunit.Abstractions;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>
/// Two replicas on one PostgreSQL database: what replica A writes reaches the notifications of a session on replica
/// B (its store watcher and notifier), from the database's change feed, with no polling.
/// </summary>
public sealed class RpcPostgresNotificationTests : IAsyncLifetime
{
    private static readonly RpcOptions Options = new()
    {
        RunChangeInterval = TimeSpan.FromMilliseconds(100),
        LogFlushInterval = TimeSpan.FromMilliseconds(50),
        Log = TextWriter.Null,
    };

    private readonly ITestOutputHelper _output;
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-rpc-pg-").FullName;
    private readonly List<(string Method, object Args, DateTime At)> _sent = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private PostgresTrackingStore _a = null!, _b = null!;
    private RpcNotifier _notifier = null!;
    private StoreWatcher _watcher = null!;

    public RpcPostgresNotificationTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync()
    {
        _a = PostgresTrackingStore.Open(_db.Uri, _artifacts);
        _b = PostgresTrackingStore.Open(_db.Uri, _artifacts);
        _notifier = new RpcNotifier((method, args) =>
        {
            lock (_sent) _sent.Add((method, args, DateTime.UtcNow));
            _arrived.Release();
            return Task.CompletedTask;
        }, Options);
        _watcher = new StoreWatcher(_b, _notifier, Options);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_run_created_and_finished_through_replica_A_is_notified_to_a_session_on_replica_B()
    {
        var exp = _a.CreateExperiment("replicas");
        var started = DateTime.UtcNow;
        var run = _a.CreateRun(new NewRun { Name = "on-a", ExperimentId = exp.ExperimentId });
        var (created, at) = await WaitFor<RunChangedParams>(RpcMethods.RunsChanged, c => c.RunId == run.RunId && c.Kind == "created");
        Assert.Equal((exp.ExperimentId, "RUNNING", "on-a"), (created.ExperimentId, created.Status, created.Name));
        _output.WriteLine($"CreateRun on A → runs/changed from B: {(at - started).TotalMilliseconds:0} ms (the notifier sends every 50 ms)");

        _a.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await WaitFor<RunChangedParams>(RpcMethods.RunsChanged, c => c.RunId == run.RunId && c.Kind == "status" && c.Status == "FINISHED");
    }

    [Fact]
    public async Task Preferences_set_through_replica_A_are_notified_to_a_session_on_replica_B()
    {
        new PreferencesService(_a).Set("grace", new JsonObject { ["theme"] = "dark" });
        var (changed, _) = await WaitFor<PreferencesResult>(RpcMethods.PreferencesChanged, p => p.User == "grace");
        Assert.Equal("dark", changed.Preferences.Theme);
    }

    private async Task<(T Args, DateTime At)> WaitFor<T>(string method, Func<T, bool> match, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            lock (_sent)
            {
                foreach (var (m, args, at) in _sent)
                    if (m == method && args is T t && match(t)) return (t, at);
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No {method} matched within {timeoutMs} ms; sent: {string.Join(", ", _sent.Select(s => s.Method))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }

    public async Task DisposeAsync()
    {
        await _watcher.DisposeAsync();
        await _notifier.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }
}
