using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// SQLite has no change notifications, and the file is also written by other processes (Python clients over HTTP, a
/// CLI <c>mltrack run</c>). So every <see cref="ChangeFeedOptions.PollInterval"/> this asks SQLite whether anything
/// was committed since the last look (<c>PRAGMA data_version</c> on a connection of its own: one cheap call) and, when
/// so, reads two cheap things — the newest runs (index scan, no details) and the RUNNING runs with their metric
/// digests — and turns differences into changes: new run ids → created; a RUNNING run that is no longer → updated
/// (status, with its last metric values); a growing point count → metrics appended (with the new latest values).
/// <para>
/// Deletions and restorations are found with a cheap signal first: the active-run count per experiment (one GROUP
/// BY). When a count differs from the previous poll's plus the active runs seen created since, the ids of the deleted
/// runs are listed (id-only) and compared with the previous list: newly deleted → deleted; no longer deleted and
/// active again → restored. (A deletion and a restoration in the same experiment within one poll cancel out in the
/// counts and go unnoticed.) Tag changes, deployments and preferences are not watched here.
/// </para>
/// </summary>
public sealed class SqlitePollingChangeFeed : IChangeFeed
{
    public const int NewestWindow = 50;

    private readonly ITrackingStore _store;
    private readonly SqliteDatabase _db;
    private readonly SqliteConnection _versionConnection;
    private readonly TextWriter _log;
    private readonly Channel<IReadOnlyList<StoreChange>> _channel = Channel.CreateUnbounded<IReadOnlyList<StoreChange>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly HashSet<string> _known = [];
    private Dictionary<string, Dictionary<string, long>> _running = [];
    private IReadOnlyDictionary<string, int> _activeCounts = new Dictionary<string, int>();
    private HashSet<string> _deleted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _pollLock = new();
    private long _dataVersion = -1;
    private bool _primed;

    internal SqlitePollingChangeFeed(ITrackingStore store, SqliteDatabase db, ChangeFeedOptions options)
    {
        _store = store;
        _db = db;
        _log = options.Log ?? Console.Error;
        _versionConnection = db.Guard(db.Open);
        try
        {
            Poll(); // prime: what exists now is not news
        }
        catch
        {
            _versionConnection.Dispose();
            throw;
        }
        _primed = true;
        var interval = options.PollInterval;
        _loop = interval > TimeSpan.Zero ? Task.Run(() => LoopAsync(interval)) : Task.CompletedTask;
    }

    public ChannelReader<IReadOnlyList<StoreChange>> Changes => _channel.Reader;

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
                    _log.WriteLine($"mltrack: watching the store for changes failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One comparison with the previous poll, skipped when nothing was committed since (public for tests).</summary>
    public void Poll()
    {
        lock (_pollLock)
        {
            // Read before the comparison: a commit racing with it changes the version again and is looked at next time.
            var version = _db.Guard(DataVersion);
            if (version == _dataVersion) return;
            var changes = new List<StoreChange>();
            PollCore(changes);
            _dataVersion = version;
            if (changes.Count > 0) _channel.Writer.TryWrite(changes);
        }
    }

    /// <summary>Changes whenever another connection (any process's, this store's writer included) committed.</summary>
    private long DataVersion()
    {
        using var cmd = _versionConnection.CreateCommand();
        cmd.CommandText = "PRAGMA data_version";
        return (long)cmd.ExecuteScalar()!;
    }

    private static StoreChange ChangeOf(StoreChangeKind kind, Run run) => new()
    {
        Kind = kind,
        RunId = run.RunId,
        ExperimentId = run.ExperimentId,
        Status = run.Status.ToString(),
        Name = run.Name,
    };

    private void PollCore(List<StoreChange> changes)
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
            if (_primed) changes.Add(ChangeOf(StoreChangeKind.RunCreated, run));
        }
        if (!_primed || newAndDeleted || !SameCounts(activeCounts, _activeCounts, createdActive)) CompareDeleted(changes);
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
            Dictionary<string, double>? latest = null;
            foreach (var m in run.Metrics)
            {
                if (before.TryGetValue(m.Key, out var n) && n == m.Count) continue;
                (latest ??= [])[m.Key] = m.Latest;
            }
            if (latest is not null)
                changes.Add(ChangeOf(StoreChangeKind.MetricsAppended, run) with { Keys = [.. latest.Keys], Latest = latest });
        }
        if (_primed)
        {
            foreach (var ended in _running.Keys.Where(id => !running.ContainsKey(id)))
            {
                try
                {
                    var run = _store.GetRun(ended);
                    var latest = run.Metrics.Where(m => !_running[ended].TryGetValue(m.Key, out var n) || n != m.Count)
                        .ToDictionary(m => m.Key, m => m.Latest);
                    changes.Add(ChangeOf(StoreChangeKind.RunUpdated, run) with { Fields = RunChangeFields.Status, Keys = [.. latest.Keys], Latest = latest });
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
    private void CompareDeleted(List<StoreChange> changes)
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
                if (!_deleted.Contains(id)) changes.Add(ChangeOf(StoreChangeKind.RunDeleted, run));
            }
            foreach (var id in _deleted.Where(id => !deleted.ContainsKey(id)))
            {
                try
                {
                    var run = _store.GetRun(id);
                    if (!run.IsDeleted) changes.Add(ChangeOf(StoreChangeKind.RunRestored, run));
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
        lock (_pollLock) _versionConnection.Dispose();
        _channel.Writer.TryComplete();
        _stop.Dispose();
    }
}
