using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The store has no change feed, and runs are also written by other processes (Python clients over HTTP, a CLI
/// <c>mltrack run</c>). So every <see cref="RpcOptions.PollInterval"/> this reads two cheap things — the newest runs
/// (index scan, no details) and the RUNNING runs with their metric digests — and turns differences into
/// runs/changed notifications: new run ids → created; a RUNNING run that is no longer → status; a growing point
/// count → metrics (with the new latest values).
/// </summary>
public sealed class StoreWatcher : IAsyncDisposable
{
    public const int NewestWindow = 50;

    private readonly ITrackingStore _store;
    private readonly RpcNotifier _notifier;
    private readonly TextWriter _log;
    private readonly HashSet<string> _known = [];
    private Dictionary<string, Dictionary<string, long>> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _pollLock = new();
    private bool _primed;

    public StoreWatcher(ITrackingStore store, RpcNotifier notifier, RpcOptions options)
    {
        _store = store;
        _notifier = notifier;
        _log = options.Log ?? Console.Error;
        Poll(); // prime: what exists now is not news
        _primed = true;
        var interval = options.PollInterval;
        _loop = interval > TimeSpan.Zero ? Task.Run(() => LoopAsync(interval)) : Task.CompletedTask;
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    Poll();
                }
                catch (StoreException e)
                {
                    _log.WriteLine($"mltrack rpc: polling the store failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One comparison with the previous poll (public for tests).</summary>
    public void Poll()
    {
        lock (_pollLock) PollCore();
    }

    private void PollCore()
    {
        var newest = _store.SearchRuns(new RunQuery { MaxResults = NewestWindow, IncludeDetails = false, ViewType = ViewType.All }).Runs;
        foreach (var run in newest)
        {
            if (!_known.Add(run.RunId) || !_primed || _notifier.WasAnnounced(run.RunId)) continue;
            _notifier.RunChanged(run.RunId, RunChangeKind.Created, run.Status.ToString(), run.ExperimentId, run.Name);
        }
        if (_known.Count > 10_000)
        {
            _known.Clear();
            foreach (var run in newest) _known.Add(run.RunId);
        }

        var running = new Dictionary<string, Dictionary<string, long>>();
        foreach (var run in _store.ListRunningRuns())
        {
            var counts = run.Metrics.ToDictionary(m => m.Key, m => m.Count);
            running[run.RunId] = counts;
            if (!_primed) continue;
            if (!_running.TryGetValue(run.RunId, out var before))
            {
                // Became visible as RUNNING since the last poll (e.g. created outside the newest window): metrics only if it has some.
                if (counts.Count == 0) continue;
                before = [];
            }
            Dictionary<string, double>? changed = null;
            foreach (var m in run.Metrics)
            {
                if (before.TryGetValue(m.Key, out var n) && n == m.Count) continue;
                (changed ??= [])[m.Key] = m.Latest;
            }
            if (changed is not null)
                _notifier.RunChanged(run.RunId, RunChangeKind.Metrics, run.Status.ToString(), run.ExperimentId, run.Name, changed);
        }
        if (_primed)
        {
            foreach (var ended in _running.Keys.Where(id => !running.ContainsKey(id)))
            {
                try
                {
                    var run = _store.GetRun(ended);
                    var finalMetrics = run.Metrics.Where(m => !_running[ended].TryGetValue(m.Key, out var n) || n != m.Count)
                        .ToDictionary(m => m.Key, m => m.Latest);
                    _notifier.RunChanged(ended, RunChangeKind.Status, run.Status.ToString(), run.ExperimentId, run.Name, finalMetrics);
                }
                catch (StoreException)
                {
                    // gone; nothing to report
                }
            }
        }
        _running = running;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
