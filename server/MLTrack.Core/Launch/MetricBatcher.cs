using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Launch;

/// <summary>
/// Collects parsed and sampled points and writes them to the store in batches: one transaction per tick instead of one
/// per point, which matters when a script prints thousands of lines a second. Adding past
/// <see cref="MaxPending"/> points writes at once on the caller's thread, which also slows an output pump down to the
/// store's pace rather than queueing without bound.
/// </summary>
internal sealed class MetricBatcher(ITrackingStore store, string runId, Action<Exception> onError)
{
    public const int MaxPending = 1000;

    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private List<MetricPoint> _pending = [];
    private bool _reportedError;

    public void Add(IReadOnlyList<MetricPoint> points)
    {
        if (points.Count == 0) return;
        bool full;
        lock (_gate)
        {
            _pending.AddRange(points);
            full = _pending.Count >= MaxPending;
        }
        if (full) Flush();
    }

    /// <summary>Writes everything pending. Store errors are reported once and the points dropped: losing a chart
    /// point is better than failing the user's training run.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            List<MetricPoint> batch;
            lock (_gate)
            {
                if (_pending.Count == 0) return;
                batch = _pending;
                _pending = [];
            }
            try
            {
                store.LogBatch(runId, new RunBatch { Metrics = batch });
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
            store.LogBatch(runId, new RunBatch { Metrics = points });
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
        onError(e);
    }
}
