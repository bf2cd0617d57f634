using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Bench;

/// <summary>Issue 6's figures: Deploy → READY for the local target, and its latency and throughput under a bounded load.</summary>
public static class DeployBench
{
    private const string Python = "/usr/bin/python3"; // Debian's, which has scikit-learn

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var dir = Path.Combine(ctx.ScratchDir, "deploy");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        using var store = SqliteTrackingStore.Open(Path.Combine(dir, "mltrack.db"));
        var server = TrackingServer.StartAsync(store, new TrackingServerOptions { MltrackDirectory = dir, Log = TextWriter.Null }).GetAwaiter().GetResult();
        try
        {
            var env = new Dictionary<string, string>
            {
                ["PYTHONPATH"] = Path.Combine(ctx.RepoRoot, "clients", "python"),
                ["MLTRACK_TRACKING_URI"] = server.BaseAddress.ToString().TrimEnd('/'),
                ["MLTRACK_TOKEN"] = server.Token,
            };
            var runId = RunPython(Path.Combine(ctx.RepoRoot, "bench", "python", "train_model.py"), [], env).Trim().Split('\n')[^1];
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);

            // Deploy → READY: what a user waits for after clicking Deploy (inspection, predictor generation, server start).
            var times = new List<double>();
            string? endpoint = null;
            for (int i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                using var content = new StringContent(JsonSerializer.Serialize(new { run_id = runId, target = "local", config = new { app_name = $"bench-{i}" } }), Encoding.UTF8, "application/json");
                using var response = http.PostAsync("api/deployments?wait=true", content).GetAwaiter().GetResult();
                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                times.Add(sw.Elapsed.TotalMilliseconds);
                using var doc = JsonDocument.Parse(body);
                var status = doc.RootElement.GetProperty("status").GetString();
                if (status != "READY") throw new InvalidOperationException($"deployment ended {status}: {body}");
                endpoint = doc.RootElement.GetProperty("endpoint_url").GetString();
            }
            times.Sort();
            yield return new("deploy", "Deploy → READY, local target, scikit-learn forest (median of 3)", $"{times[1] / 1000:0.00} s", "(none)", true);

            var load = RunPython(Path.Combine(ctx.RepoRoot, "bench", "python", "local_target_bench.py"), [endpoint!, "-n", "2000", "-c", "8", "--warmup", "100"], env);
            using var result = JsonDocument.Parse(load.Trim().Split('\n')[^1]);
            var r = result.RootElement;
            yield return new("deploy", "local target /predict under load from a second process (2,000 requests, 8 connections), p50",
                $"{r.GetProperty("p50_ms").GetDouble():0.0} ms", "(none)", true);
            yield return new("deploy", "local target /predict, p99", $"{r.GetProperty("p99_ms").GetDouble():0.0} ms", "(none)", true);
            yield return new("deploy", "local target /predict, throughput", $"{r.GetProperty("requests_per_s").GetDouble():0} requests/s", "(none)", true);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string RunPython(string script, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(script)} failed: {stderr.Result}");
        return stdout;
    }
}
