using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Launch;

/// <summary>
/// Writes parsed and sampled points to the store as soon as they arrive, from a writer thread of its own: a point
/// waits only for the transaction before it (a launcher killed with -9 loses only what it had read in that moment),
/// and under a flood of output the points that arrive during one transaction share the next (one transaction per
/// burst, not per point). Past <see cref="MaxPending"/> waiting points, <see cref="Add"/> blocks until the writer
/// catches up, which slows an output pump down to the store's pace rather than queueing without bound.
/// </summary>
internal sealed class MetricBatcher : IDisposable
{
    public const int MaxPending = 100_000;

    private readonly ITrackingStore _store;
    private readonly string _runId;
    private readonly Action<Exception> _onError;
    private readonly object _gate = new(); // a monitor: Add and the writer wait on it
    private readonly Lock _writeGate = new();
    private readonly Thread _writer;
    private List<MetricPoint> _pending = [];
    private bool _stopping;
    private bool _reportedError;

    public MetricBatcher(ITrackingStore store, string runId, Action<Exception> onError)
    {
        _store = store;
        _runId = runId;
        _onError = onError;
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
            Monitor.PulseAll(_gate);
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
        WritePending();
    }

    private void WriteLoop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_pending.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
            }
            WritePending();
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
