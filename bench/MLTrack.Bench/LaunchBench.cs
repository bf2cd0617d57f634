using System.Diagnostics;
using MLTrack.Core.Launch;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Bench;

/// <summary>
/// Issue 11's launcher figures: how fast printed metrics are ingested, and how soon a printed point is in the store
/// (what a launcher killed with -9 can lose is what was read but not yet written).
/// </summary>
public static class LaunchBench
{
    private const int IngestLines = 200_000;
    private const int LatencyLines = 150;

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var dir = Path.Combine(ctx.ScratchDir, "launch");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        using var store = SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        var launcher = new RunLauncher(store);

        // Two metrics per line, printed as fast as Python can write them.
        var flood = Path.Combine(dir, "flood.py");
        File.WriteAllText(flood, $$"""
            import sys
            w = sys.stdout.write
            for i in range({{IngestLines}}):
                w(f"step {i} loss={1.0 / (i + 1):.6f} acc={i % 100 / 100:.2f}\n")
            """);
        var rates = new List<double>();
        var cpu = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < 3; i++)
        {
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var result = launcher.RunAsync(Request(flood, dir)).GetAwaiter().GetResult();
            var seconds = sw.Elapsed.TotalSeconds;
            self.Refresh();
            var stored = store.GetMetricSummaries(result.RunId).Sum(m => m.Count);
            if (stored != 2L * IngestLines) throw new InvalidOperationException($"stored {stored} points, expected {2 * IngestLines}");
            rates.Add(stored / seconds);
            cpu.Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds * 1000 / stored);
        }
        rates.Sort();
        cpu.Sort();
        var rate = rates[rates.Count / 2];
        // Wall-clock rates swing with the machine's load (2 shared cores); the launcher's CPU time per point does not.
        yield return new("launch", $"stdout metrics ingest, {IngestLines:N0} lines × 2 metrics (launch to recorded end, median of 3)",
            $"{rate / 1000:0} k points/s", "(none)", true);
        yield return new("launch", "the same: launcher CPU time (read, parse, log, store) per point, median of 3",
            $"{cpu[cpu.Count / 2]:0.00} µs", "(none)", true);

        // One line every 20 ms carrying its own print time; the store is polled for when each point appears.
        var steady = Path.Combine(dir, "steady.py");
        File.WriteAllText(steady, $$"""
            import time
            for i in range({{LatencyLines}}):
                print(f"step {i} printed_ms={time.time() * 1000:.3f}", flush=True)
                time.sleep(0.02)
            """);
        var appeared = new double[LatencyLines];
        string? runId = null;
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(() =>
        {
            var seen = 0;
            while (!stop.IsCancellationRequested)
            {
                if (Volatile.Read(ref runId) is { } id)
                {
                    var count = (int)store.GetMetricSummaries(id).Sum(m => m.Count);
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    for (; seen < Math.Min(count, LatencyLines); seen++) appeared[seen] = now;
                }
                Thread.Sleep(1);
            }
        });
        var run = launcher.RunAsync(Request(steady, dir) with { OnRunCreated = id => Volatile.Write(ref runId, id) }).GetAwaiter().GetResult();
        Thread.Sleep(50);
        stop.Cancel();
        poller.GetAwaiter().GetResult();
        var printed = store.GetMetricHistory(run.RunId, "printed_ms");
        if (printed.Count != LatencyLines) throw new InvalidOperationException($"stored {printed.Count} points, expected {LatencyLines}");
        // The last point is written at the end of the run anyway: only points written while the script ran count.
        var latencies = printed.Take(LatencyLines - 1).Select(p => appeared[p.Step] - p.Value).ToList();
        latencies.Sort();
        double p50 = Timing.Percentile(latencies, 50), p99 = Timing.Percentile(latencies, 99), max = latencies[^1];
        yield return new("launch", "printed line → its point in the store, one line per 20 ms, p50", $"{p50:0.0} ms", "(none)", true);
        yield return new("launch", "printed line → its point in the store, p99", $"{p99:0.0} ms", "≤ 100 ms", p99 <= 100);
        yield return new("launch", "printed line → its point in the store, slowest", $"{max:0.0} ms", "(none)", true);
    }

    private static LaunchRequest Request(string script, string cwd) => new()
    {
        Command = ["/usr/bin/python3", script],
        Cwd = cwd,
        SystemMetricsInterval = TimeSpan.Zero,
    };
}
