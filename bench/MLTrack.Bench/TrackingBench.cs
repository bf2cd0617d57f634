using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Bench;

/// <summary>Issue 3's targets: the Python client end to end, log-batch latency, and run creation over REST.</summary>
public static class TrackingBench
{
    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var dir = Path.Combine(ctx.ScratchDir, "tracking");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        using var store = SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        var server = TrackingServer.StartAsync(store, new TrackingServerOptions { MltrackDirectory = dir, Log = TextWriter.Null }).GetAwaiter().GetResult();
        try
        {
            foreach (var r in PythonClient(ctx, server, store)) yield return r;
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
            foreach (var r in LogBatchLatency(http)) yield return r;
            yield return CreateRuns(http);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<BenchResult> PythonClient(BenchContext ctx, TrackingServer server, SqliteTrackingStore store)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(ctx.RepoRoot, "bench", "python", "client_bench.py"));
        psi.Environment["PYTHONPATH"] = Path.Combine(ctx.RepoRoot, "clients", "python");
        psi.Environment["MLTRACK_TRACKING_URI"] = server.BaseAddress.ToString().TrimEnd('/');
        psi.Environment["MLTRACK_TOKEN"] = server.Token;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"client_bench.py failed: {stderr.Result}");
        using var doc = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = doc.RootElement;
        // Check the points really landed, not just left the client.
        var batchedRun = root.GetProperty("log_metrics_run_id").GetString()!;
        long stored = store.GetMetricSummaries(batchedRun).Sum(m => m.Count);
        if (stored != 1_000_000) throw new InvalidOperationException($"server holds {stored} points, expected 1,000,000");
        double batched = root.GetProperty("log_metrics_points_per_s").GetDouble();
        double single = root.GetProperty("log_metric_points_per_s").GetDouble();
        yield return new("tracking", "Python client → server, 1,000,000 points via log_metrics (10 keys per call)", $"{batched / 1000:0} k points/s", "≥ 300 k points/s", batched >= 300_000);
        yield return new("tracking", "Python client → server, 250,000 points via log_metric (one per call)", $"{single / 1000:0} k points/s", "(none)", true);
    }

    private static IEnumerable<BenchResult> LogBatchLatency(HttpClient http)
    {
        var runId = CreateRun(http, "latency");
        const int requests = 1000;
        var bodies = Enumerable.Range(0, requests).Select(i => JsonSerializer.Serialize(new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, 1000).Select(j => new { key = $"k{j % 10}", value = j * 0.5, timestamp = 1_700_000_000_000L + i, step = i * 100 + j / 10 }),
        })).ToList();
        var times = new List<double>(requests);
        for (int i = 0; i < requests + 50; i++)
        {
            using var content = new StringContent(bodies[i % requests], Encoding.UTF8, "application/json");
            var sw = Stopwatch.StartNew();
            using var response = http.PostAsync("api/2.0/mlflow/runs/log-batch", content).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            if (i >= 50) times.Add(sw.Elapsed.TotalMilliseconds); // the first 50 warm up JIT and caches
        }
        times.Sort();
        double p50 = Timing.Percentile(times, 50), p99 = Timing.Percentile(times, 99);
        yield return new("tracking", "log-batch of 1,000 metrics, server round trip p50", $"{p50:0.00} ms", "≤ 3 ms", p50 <= 3);
        yield return new("tracking", "log-batch of 1,000 metrics, server round trip p99", $"{p99:0.00} ms", "(none)", true);
    }

    private static BenchResult CreateRuns(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) CreateRun(http, $"r{i}");
        double s = sw.Elapsed.TotalSeconds;
        return new("tracking", "1,000 runs created via runs/create", $"{s:0.00} s", "≤ 2 s", s <= 2);
    }

    private static string CreateRun(HttpClient http, string name)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { experiment_id = "0", run_name = name }), Encoding.UTF8, "application/json");
        using var response = http.PostAsync("api/2.0/mlflow/runs/create", content).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(response.Content.ReadAsStream());
        return doc.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }
}
