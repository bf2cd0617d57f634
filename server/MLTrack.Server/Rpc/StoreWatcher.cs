using MLTrack.Core.Preferences;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Turns the store's change feed into the client's notifications: runs/changed for run and metric changes (with the
/// latest values of the metrics that got points), deployments/changed and preferences/changed. The feed comes from
/// the store (SQLite polls the file every <see cref="RpcOptions.PollInterval"/>; PostgreSQL is notified by the
/// database), so what other processes and other replicas write arrives here too. Runs this session already announced
/// (launched here) are not announced again as created.
/// </summary>
public sealed class StoreWatcher : IAsyncDisposable
{
    private readonly ITrackingStore _store;
    private readonly RpcNotifier _notifier;
    private readonly TextWriter _log;
    private readonly IChangeFeed _feed;
    private readonly Task _loop;
    private int _disposed;

    public StoreWatcher(ITrackingStore store, RpcNotifier notifier, RpcOptions options)
    {
        _store = store;
        _notifier = notifier;
        _log = options.Log ?? Console.Error;
        _feed = store.OpenChangeFeed(new ChangeFeedOptions { PollInterval = options.PollInterval, Log = _log });
        _loop = Task.Run(ConsumeAsync);
    }

    private async Task ConsumeAsync()
    {
        await foreach (var batch in _feed.Changes.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Apply(batch);
            }
            catch (Exception e)
            {
                // One bad batch must not end the notifications.
                _log.WriteLine($"mltrack rpc: notifying changes failed: {e.Message}");
            }
        }
    }

    /// <summary>Queues the notifications for one batch of changes (public for tests).</summary>
    public void Apply(IReadOnlyList<StoreChange> changes)
    {
        foreach (var c in changes)
        {
            switch (c.Kind)
            {
                case StoreChangeKind.RunCreated when c.RunId is { } id:
                    if (!_notifier.WasAnnounced(id)) Notify(c, RunChangeKind.Created);
                    break;
                case StoreChangeKind.RunUpdated when c.RunId is not null:
                    Notify(c, (c.Fields & (RunChangeFields.Status | RunChangeFields.Name)) != 0 ? RunChangeKind.Status : RunChangeKind.Tags);
                    break;
                case StoreChangeKind.RunDeleted when c.RunId is not null:
                    Notify(c, RunChangeKind.Deleted);
                    break;
                case StoreChangeKind.RunRestored when c.RunId is not null:
                    Notify(c, RunChangeKind.Restored);
                    break;
                case StoreChangeKind.MetricsAppended when c.RunId is not null:
                    Notify(c, RunChangeKind.Metrics);
                    break;
                case StoreChangeKind.DeploymentChanged when c.DeploymentId is { } id:
                    // A deleted record has no status to tell; the panels reload on their next look.
                    if (_store.FindDeployment(id) is { } r)
                        _notifier.Post(RpcMethods.DeploymentsChanged, new DeploymentChangedParams(r.DeploymentId, r.RunId, r.Status.ToString(), r.EndpointUrl, r.Message));
                    break;
                case StoreChangeKind.PreferencesChanged when c.User is { } user:
                    _notifier.Post(RpcMethods.PreferencesChanged, new PreferencesResult(user, new PreferencesService(_store).Get(user)));
                    break;
            }
        }
    }

    private void Notify(StoreChange c, RunChangeKind kind) =>
        _notifier.RunChanged(c.RunId!, kind, c.Status, c.ExperimentId, c.Name, c.Latest ?? LatestOf(c.RunId!, c.Keys));

    /// <summary>The latest values of <paramref name="keys"/>, for feeds that name the keys without their values.</summary>
    private Dictionary<string, double>? LatestOf(string runId, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return null;
        var wanted = keys.ToHashSet();
        try
        {
            return _store.GetMetricSummaries(runId).Where(m => wanted.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Latest);
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return null; // removed since
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _feed.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }
}
