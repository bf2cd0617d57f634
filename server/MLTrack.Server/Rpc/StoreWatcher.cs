using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The store has no change feed, and runs are also written by other processes (Python clients over HTTP, a CLI
/// <c>mltrack run</c>). So every <see cref="RpcOptions.PollInterval"/> this reads two cheap things — the newest runs
/// (index scan, no details) and the RUNNING runs with their metric digests — and turns differences into
/// runs/changed notifications: new run ids → created; a RUNNING run that is no longer → status; a growing point
/// count → metrics (with the new latest values).
/// <para>
/// Deletions and restorations by other writers (the REST API's runs/delete, <c>mlflow.delete_run</c>) are found with a
/// cheap signal first: the active-run count per experiment (one GROUP BY). When a count differs from the previous
/// poll's plus the active runs seen created since, the ids of the deleted runs are listed (id-only) and compared with
/// the previous list: newly deleted → deleted; no longer deleted and active again → restored. (A deletion and a
/// restoration in the same experiment within one poll cancel out in the counts and go unnoticed.)
/// </para>
/// </summary>
public sealed class StoreWatcher : IAsyncDisposable
{
    public const int NewestWindow = 50;

    private readonly ITrackingStore _store;
    private readonly RpcNotifier _notifier;
    private readonly TextWriter _log;
    private readonly HashSet<string> _known = [];
    private Dictionary<string, Dictionary<string, long>> _running = [];
    private IReadOnlyDictionary<string, int> _activeCounts = new Dictionary<string, int>();
    private HashSet<string> _deleted = [];
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
        var activeCounts = _store.CountRunsByExperiment();
        var newest = _store.SearchRuns(new RunQuery { MaxResults = NewestWindow, IncludeDetails = false, ViewType = ViewType.All }).Runs;
        var createdActive = new Dictionary<string, int>();
        var newAndDeleted = false;
        foreach (var run in newest)
        {
            if (!_known.Add(run.RunId)) continue;
            if (run.IsDeleted) newAndDeleted = true;
            else if (_primed) createdActive[run.ExperimentId] = createdActive.GetValueOrDefault(run.ExperimentId) + 1;
            if (!_primed || _notifier.WasAnnounced(run.RunId)) continue;
            _notifier.RunChanged(run.RunId, RunChangeKind.Created, run.Status.ToString(), run.ExperimentId, run.Name);
        }
        if (!_primed || newAndDeleted || !SameCounts(activeCounts, _activeCounts, createdActive)) CompareDeleted();
        _activeCounts = activeCounts;
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

    /// <summary>Whether the active-run counts are the previous ones plus the runs seen created since (the cheap signal).</summary>
    public static bool SameCounts(IReadOnlyDictionary<string, int> now, IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> created)
    {
        foreach (var (exp, n) in now)
            if (n != before.GetValueOrDefault(exp) + created.GetValueOrDefault(exp)) return false;
        foreach (var (exp, n) in before)
            if (!now.ContainsKey(exp) && n + created.GetValueOrDefault(exp) != 0) return false;
        return true;
    }

    /// <summary>The expensive part: the ids of every deleted run, compared with the previous list.</summary>
    private void CompareDeleted()
    {
        var deleted = new Dictionary<string, Run>();
        string? token = null;
        do
        {
            var page = _store.SearchRuns(new RunQuery { MaxResults = 10_000, PageToken = token, IncludeDetails = false, ViewType = ViewType.DeletedOnly });
            foreach (var run in page.Runs) deleted[run.RunId] = run;
            token = page.NextPageToken;
        } while (token is not null);

        if (_primed)
        {
            foreach (var (id, run) in deleted)
            {
                // a run created and deleted between two polls was never announced as active: its deletion is news all the same
                if (!_deleted.Contains(id)) _notifier.RunChanged(id, RunChangeKind.Deleted, run.Status.ToString(), run.ExperimentId, run.Name);
            }
            foreach (var id in _deleted.Where(id => !deleted.ContainsKey(id)))
            {
                try
                {
                    var run = _store.GetRun(id);
                    if (!run.IsDeleted) _notifier.RunChanged(id, RunChangeKind.Restored, run.Status.ToString(), run.ExperimentId, run.Name);
                }
                catch (StoreException)
                {
                    // removed for good (garbage collection): nothing to restore
                }
            }
        }
        _deleted = [.. deleted.Keys];
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
