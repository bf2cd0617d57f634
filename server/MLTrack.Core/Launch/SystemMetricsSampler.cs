using System.Diagnostics;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Launch;

/// <summary>
/// Samples the load of a launched process tree at a fixed interval and hands the points to a sink:
/// <c>system/cpu_percent</c> (CPU time of the whole tree over wall time, so 200 means two busy cores, as in top),
/// <c>system/memory_rss_mb</c> (resident memory of the tree, MiB) and, when nvidia-smi is installed,
/// <c>system/gpu_utilization_percent</c> and <c>system/gpu_memory_mb</c> (suffixed <c>_0</c>, <c>_1</c>, … per GPU when
/// there are several; GPU figures are machine-wide, nvidia-smi cannot attribute them cheaply). Steps count samples
/// 1, 2, 3, …. Nothing is logged once the root process is gone.
/// </summary>
public sealed class SystemMetricsSampler : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public const string CpuPercentKey = "system/cpu_percent";
    public const string MemoryRssMbKey = "system/memory_rss_mb";
    public const string GpuUtilizationKey = "system/gpu_utilization_percent";
    public const string GpuMemoryKey = "system/gpu_memory_mb";

    private readonly int _rootPid;
    private readonly Action<IReadOnlyList<MetricPoint>> _sink;
    private Func<CancellationToken, Task<IReadOnlyList<GpuReading>?>>? _gpuQuery;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _step;
    private long _lastTicks;
    private readonly Stopwatch _clock = new();

    /// <param name="rootPid">The launched process; its descendants are included.</param>
    /// <param name="sink">Receives each sample's points (called on a pool thread, one call at a time).</param>
    /// <param name="interval">Time between samples; default <see cref="DefaultInterval"/>.</param>
    public SystemMetricsSampler(int rootPid, Action<IReadOnlyList<MetricPoint>> sink, TimeSpan? interval = null)
        : this(rootPid, sink, interval, NvidiaSmi.InstalledPath is { } smi ? c => NvidiaSmi.QueryAsync(smi, c) : null)
    {
    }

    /// <summary>For tests: a stand-in for nvidia-smi (null: no GPU).</summary>
    internal SystemMetricsSampler(int rootPid, Action<IReadOnlyList<MetricPoint>> sink, TimeSpan? interval,
        Func<CancellationToken, Task<IReadOnlyList<GpuReading>?>>? gpuQuery)
    {
        var every = interval ?? DefaultInterval;
        if (every <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), every, "The sampling interval must be positive.");
        _rootPid = rootPid;
        _sink = sink;
        Interval = every;
        _gpuQuery = gpuQuery;
    }

    public TimeSpan Interval { get; }

    /// <summary>First sample this soon (or one interval, if shorter), so even a short run records its footprint.</summary>
    public static readonly TimeSpan FirstSampleDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Starts sampling in the background; the first sample comes after <see cref="FirstSampleDelay"/>, then one per interval.</summary>
    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("The sampler is already started.");
        _lastTicks = ProcessTree.GetTreeCpuTicks(_rootPid);
        _clock.Start();
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>Stops sampling and waits for a sample in progress to be handed over.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop) await loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            await Task.Delay(Interval < FirstSampleDelay ? Interval : FirstSampleDelay, cancel).ConfigureAwait(false);
            for (bool first = true; first || await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false); first = false)
            {
                var points = await SampleAsync(cancel).ConfigureAwait(false);
                if (points.Count == 0) continue;
                try
                {
                    _sink(points);
                }
                catch (Exception)
                {
                    // A failing sink must not stop sampling (nor crash the launcher); the next sample tries again.
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes one sample now (CPU is averaged since the previous sample or <see cref="Start"/>).</summary>
    internal async Task<IReadOnlyList<MetricPoint>> SampleAsync(CancellationToken cancel)
    {
        var points = new List<MetricPoint>();
        var usage = ProcessTree.IsSupported ? ProcessTree.GetTreeUsage(_rootPid) : null;
        if (ProcessTree.IsSupported ? usage is null : !ProcessTree.IsAlive(_rootPid)) return points;
        var step = ++_step;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var seconds = _clock.Elapsed.TotalSeconds;
        _clock.Restart();
        if (usage is { } u)
        {
            if (seconds > 0)
            {
                // Ticks can drop when a descendant exits unreaped by its parent; report 0 rather than a negative load.
                var used = Math.Max(0, u.CpuTicks - _lastTicks) / (double)ProcessTree.ClockTicksPerSecond;
                points.Add(new MetricPoint(CpuPercentKey, Math.Round(used / seconds * 100, 2), now, step));
            }
            points.Add(new MetricPoint(MemoryRssMbKey, Math.Round(u.RssBytes / (1024.0 * 1024.0), 3), now, step));
            _lastTicks = u.CpuTicks;
        }
        if (_gpuQuery is { } query)
        {
            var gpus = await query(cancel).ConfigureAwait(false);
            if (gpus is null) _gpuQuery = null; // failed once: it will keep failing, stop spawning it
            else AddGpu(points, gpus, now, step);
        }
        return points;
    }

    private static void AddGpu(List<MetricPoint> points, IReadOnlyList<GpuReading> gpus, long now, long step)
    {
        foreach (var g in gpus)
        {
            var suffix = gpus.Count > 1 ? $"_{g.Index}" : "";
            if (!double.IsNaN(g.UtilizationPercent)) points.Add(new MetricPoint(GpuUtilizationKey + suffix, g.UtilizationPercent, now, step));
            if (!double.IsNaN(g.MemoryUsedMb)) points.Add(new MetricPoint(GpuMemoryKey + suffix, g.MemoryUsedMb, now, step));
        }
    }
}
