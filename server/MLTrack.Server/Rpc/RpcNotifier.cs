using MLTrack.Core.Launch;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Sends the server → client notifications, coalesced so a chatty run cannot flood the editor: run changes are
/// merged per run and sent at most once per <see cref="RpcOptions.RunChangeInterval"/>; output lines are gathered per
/// run and stream and sent every <see cref="RpcOptions.LogFlushInterval"/> (pending logs always go before pending run
/// changes, so a run's last lines arrive before its final status); other notifications (<see cref="Post"/>) go out at
/// the next tick, in the order posted. One loop sends everything, in order.
/// </summary>
public sealed class RpcNotifier : IAsyncDisposable
{
    /// <summary>Lines kept per run and stream between flushes; beyond it lines are counted and reported as dropped.</summary>
    public const int MaxPendingLines = 5_000;

    private readonly Func<string, object, Task> _send;
    private readonly RpcOptions _options;
    private readonly TextWriter _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pending> _changes = [];
    private readonly Dictionary<string, DateTime> _lastSent = [];
    private readonly Dictionary<(string RunId, OutputStreamKind Stream), LogBuffer> _logs = [];
    private readonly HashSet<string> _announced = [];
    private readonly List<(string Method, object Args)> _posted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RpcNotifier(Func<string, object, Task> send, RpcOptions options)
    {
        _send = send;
        _options = options;
        _log = options.Log ?? Console.Error;
        _loop = Task.Run(LoopAsync);
    }

    private sealed class Pending
    {
        public RunChangeKind Kind;
        public string? Status, ExperimentId, Name;
        public Dictionary<string, double>? Metrics;
    }

    private sealed class LogBuffer
    {
        public readonly List<string> Lines = [];
        public int Dropped;
    }

    /// <summary>True once any notification was queued for the run: the store watcher then does not announce it as created.</summary>
    public bool WasAnnounced(string runId)
    {
        lock (_lock) return _announced.Contains(runId);
    }

    public void RunChanged(string runId, RunChangeKind kind, string? status = null, string? experimentId = null, string? name = null,
        IReadOnlyDictionary<string, double>? metrics = null)
    {
        lock (_lock)
        {
            if (!_announced.Add(runId) && kind == RunChangeKind.Created) kind = RunChangeKind.Status;
            if (_announced.Count > 100_000) _announced.Clear();
            if (!_changes.TryGetValue(runId, out var p)) _changes[runId] = p = new Pending { Kind = kind };
            else if (kind is (RunChangeKind.Deleted or RunChangeKind.Restored) && p.Kind is (RunChangeKind.Deleted or RunChangeKind.Restored))
                p.Kind = kind; // opposites: the later one is the run's state (a restore right after a delete must not read "deleted")
            else if (kind > p.Kind) p.Kind = kind;
            p.Status = status ?? p.Status;
            p.ExperimentId = experimentId ?? p.ExperimentId;
            p.Name = name ?? p.Name;
            if (metrics is { Count: > 0 })
            {
                p.Metrics ??= [];
                foreach (var (k, v) in metrics) p.Metrics[k] = v;
            }
        }
    }

    public void AppendLog(string runId, OutputStreamKind stream, string line)
    {
        lock (_lock)
        {
            if (!_logs.TryGetValue((runId, stream), out var buffer)) _logs[(runId, stream)] = buffer = new LogBuffer();
            if (buffer.Lines.Count < MaxPendingLines) buffer.Lines.Add(line);
            else buffer.Dropped++;
        }
    }

    /// <summary>Queues any other notification (deployments/changed, preferences/changed) for the next tick.</summary>
    public void Post(string method, object args)
    {
        lock (_lock)
        {
            if (_posted.Count < MaxPendingLines) _posted.Add((method, args));
        }
    }

    private async Task LoopAsync()
    {
        var tick = _options.LogFlushInterval < _options.RunChangeInterval ? _options.LogFlushInterval : _options.RunChangeInterval;
        if (tick <= TimeSpan.Zero) tick = TimeSpan.FromMilliseconds(50);
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await FlushAsync(force: false).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>Sends everything pending now (used on shutdown); <paramref name="force"/> ignores the per-run interval.</summary>
    public async Task FlushAsync(bool force)
    {
        List<LogAppendParams> logs = [];
        List<RunChangedParams> changes = [];
        List<(string Method, object Args)> posted;
        var now = DateTime.UtcNow;
        lock (_lock)
        {
            foreach (var ((runId, stream), buffer) in _logs)
            {
                if (buffer.Dropped > 0) buffer.Lines.Add($"[mltrack: {buffer.Dropped} output lines not shown here; the full log is in the run's artifacts]");
                if (buffer.Lines.Count > 0)
                    logs.Add(new LogAppendParams(runId, stream == OutputStreamKind.Stderr ? "stderr" : "stdout", buffer.Lines.ToArray()));
            }
            _logs.Clear();
            posted = [.. _posted];
            _posted.Clear();
            foreach (var (runId, p) in _changes.ToList())
            {
                if (!force && _lastSent.TryGetValue(runId, out var last) && now - last < _options.RunChangeInterval) continue;
                changes.Add(new RunChangedParams(runId, p.Kind.Wire(), p.Status, p.ExperimentId, p.Name, p.Metrics));
                _changes.Remove(runId);
                _lastSent[runId] = now;
            }
            if (_lastSent.Count > 10_000)
                foreach (var old in _lastSent.Where(x => now - x.Value > TimeSpan.FromSeconds(10)).Select(x => x.Key).ToList()) _lastSent.Remove(old);
        }
        foreach (var l in logs) await SendAsync(RpcMethods.LogAppend, l).ConfigureAwait(false);
        foreach (var (method, args) in posted) await SendAsync(method, args).ConfigureAwait(false);
        foreach (var c in changes) await SendAsync(RpcMethods.RunsChanged, c).ConfigureAwait(false);
    }

    private async Task SendAsync(string method, object args)
    {
        try
        {
            await _send(method, args).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or OperationCanceledException or StreamJsonRpc.ConnectionLostException)
        {
            // The client went away; nothing to tell it.
        }
        catch (Exception e)
        {
            _log.WriteLine($"mltrack rpc: could not send {method}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
