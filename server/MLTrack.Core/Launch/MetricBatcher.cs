using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Launch;

/// <summary>
/// Writes parsed and sampled points to the store as soon as they arrive, from a writer thread of its own: a point
/// waits only for the transaction before it (a launcher killed with -9 loses only what it had read in that moment),
/// and under a flood of output the points that arrive meanwhile share the next one: writes are at least
/// <see cref="MinInterval"/> apart, so a flood costs at most one transaction per interval, not one per line. The same thread flushes the output log (<paramref name="flushLog"/>) when told new text
/// arrived (<see cref="Touch"/>), so a flood costs one log write per burst too. Past <see cref="MaxPending"/> waiting
/// points, <see cref="Add"/> blocks until the writer catches up, which slows an output pump down to the store's pace
/// rather than queueing without bound.
/// </summary>
internal sealed class MetricBatcher : IDisposable
{
    public const int MaxPending = 100_000;

    /// <summary>Least time between two writes: the most a point waits for a write is this plus one transaction.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    private readonly ITrackingStore _store;
    private readonly string _runId;
    private readonly Action<Exception> _onError;
    private readonly Action? _flushLog;
    private readonly object _gate = new(); // a monitor: Add and the writer wait on it
    private readonly Lock _writeGate = new();
    private readonly Thread _writer;
    private readonly System.Diagnostics.Stopwatch _sinceWrite = System.Diagnostics.Stopwatch.StartNew();
    private List<MetricPoint> _pending = [];
    private bool _stopping;
    private bool _logDirty;
    private bool _writerWaiting;
    private bool _reportedError;

    public MetricBatcher(ITrackingStore store, string runId, Action<Exception> onError, Action? flushLog = null)
    {
        _store = store;
        _runId = runId;
        _onError = onError;
        _flushLog = flushLog;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "mltrack-metrics-writer" };
        _writer.Start();
    }

    public void Add(IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0) return;
        lock (_gate)
        {
            while (_pending.Count >= MaxPending && !_stopping) Monitor.Wait(_gate);
            _pending.AddRange(points);
            if (_writerWaiting) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>New output was written to the log: the writer flushes it at once.</summary>
    public void Touch()
    {
        lock (_gate)
        {
            _logDirty = true;
            if (_writerWaiting) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Writes everything pending before returning (the writer's batch in progress included).</summary>
    public void Flush() => WritePending();

    /// <summary>Stops the writer after writing what is pending.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _writer.Join();
        FlushLog();
        WritePending();
    }

    private void WriteLoop()
    {
        while (true)
        {
            bool flushLog;
            lock (_gate)
            {
                _writerWaiting = true;
                while (_pending.Count == 0 && !_logDirty && !_stopping) Monitor.Wait(_gate);
                _writerWaiting = false;
                if (_stopping) return;
            }
            // A write just happened: let more arrive (a flood), rather than commit a transaction per line.
            var wait = MinInterval - _sinceWrite.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            lock (_gate)
            {
                flushLog = _logDirty;
                _logDirty = false;
            }
            _sinceWrite.Restart();
            if (flushLog) FlushLog();
            WritePending();
        }
    }

    private void FlushLog()
    {
        try
        {
            _flushLog?.Invoke();
        }
        catch (IOException)
        {
            // The log's trouble (a full disk) must not stop the points; the final flush at the run's end reports it.
        }
    }

    /// <summary>Store errors are reported once and the points dropped: losing a chart point is better than failing the user's training run.</summary>
    private void WritePending()
    {
        lock (_writeGate)
        {
            List<MetricPoint> batch;
            lock (_gate)
            {
                if (_pending.Count == 0) return;
                batch = _pending;
                _pending = [];
                Monitor.PulseAll(_gate); // room again for a blocked Add
            }
            try
            {
                _store.LogBatch(_runId, new RunBatch { Metrics = batch });
            }
            catch (StoreException e) when (e.Code == StoreErrorCode.InvalidParameterValue && batch.Count > 1)
            {
                // One point the store refuses (a key it does not accept) must not take the good ones down with it.
                foreach (var point in batch) Write([point]);
            }
            catch (Exception e) when (e is StoreException or IOException or InvalidOperationException)
            {
                Report(e);
            }
        }
    }

    private void Write(IReadOnlyList<MetricPoint> points)
    {
        try
        {
            _store.LogBatch(_runId, new RunBatch { Metrics = points });
        }
        catch (Exception e) when (e is StoreException or IOException or InvalidOperationException)
        {
            Report(e);
        }
    }

    private void Report(Exception e)
    {
        if (_reportedError) return;
        _reportedError = true;
        _onError(e);
    }
}
