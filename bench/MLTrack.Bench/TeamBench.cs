using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Bench;

/// <summary>
/// Issue 12's targets: the team store (PostgreSQL, a private local cluster) beside the embedded one (SQLite), the same
/// figures in the same run so the table shows what the team store costs. Ingest goes through real tracking servers:
/// two replicas on one PostgreSQL database (one server for SQLite, which serves one process), four Python clients.
/// </summary>
public static class TeamBench
{
    private const int SearchRuns = 100_000, HistoryPoints = 1_000_000, Clients = 4, PointsPerClient = 250_000;

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var pgDir = Path.Combine(ctx.ScratchDir, "team-pg");
        var serverUri = BenchDatabases.Start(ctx, pgDir);
        try
        {
            foreach (var backend in new[] { "SQLite", "PostgreSQL" })
                foreach (var r in Measure(ctx, backend, serverUri)) yield return r;
        }
        finally
        {
            BenchDatabases.Stop(ctx, pgDir);
        }
    }

    private static IEnumerable<BenchResult> Measure(BenchContext ctx, string backend, string serverUri)
    {
        bool pg = backend == "PostgreSQL";
        string Target(double sqlite, double postgres, string unit) => $"≤ {(pg ? postgres : sqlite)} {unit}";

        using (var store = Seeded(ctx, backend, serverUri, $"team_runs_{SearchRuns}", SeedRuns))
        {
            var query = new RunQuery { Filter = "metrics.m0 > 0.5 and params.p1 = 'v3'", OrderBy = ["metrics.m1 DESC"], MaxResults = 100 };
            int found = 0;
            double search = Timing.MedianMs(() => found = store.SearchRuns(query).Runs.Count);
            if (found == 0) throw new InvalidOperationException($"{backend}: search found nothing: the seed is wrong");
            yield return new("team", $"{backend}: filter + order by a metric over {SearchRuns:N0} runs, first 100", $"{search:0.0} ms", Target(150, 150, "ms"), search <= 150);
        }

        using (var store = Seeded(ctx, backend, serverUri, "team_series_1m", SeedSeries))
        {
            var runId = store.SearchRuns(new RunQuery { MaxResults = 1 }).Runs[0].RunId;
            int count = 0;
            double history = Timing.MedianMs(() => count = store.GetMetricHistory(runId, "loss").Count);
            if (count != HistoryPoints) throw new InvalidOperationException($"{backend}: history returned {count} points, expected {HistoryPoints}");
            yield return new("team", $"{backend}: full history of a 1,000,000-point series", $"{history:0.0} ms", "≤ 200 ms", history <= 200);
            double buckets = Timing.MedianMs(() => count = store.GetMetricBuckets(runId, "loss", 1000).Count);
            if (count != 1000) throw new InvalidOperationException($"{backend}: got {count} buckets, expected 1000");
            yield return new("team", $"{backend}: 1,000-bucket summary of it", $"{buckets:0.0} ms", "≤ 40 ms", buckets <= 40);
        }

        var replicas = pg ? 2 : 1;
        using var ingestStores = new StoreSet(Enumerable.Range(0, replicas).Select(i => i == 0 ? Fresh(ctx, backend, serverUri, "team_ingest") : Open(ctx, backend, serverUri, "team_ingest")).ToList());
        var dir = Path.Combine(ctx.ScratchDir, $"team-{backend}-servers");
        var servers = ingestStores.Stores.Select((s, i) =>
        {
            Directory.CreateDirectory(Path.Combine(dir, $"r{i}"));
            return TrackingServer.StartAsync(s, new TrackingServerOptions { MltrackDirectory = Path.Combine(dir, $"r{i}"), Log = TextWriter.Null }).GetAwaiter().GetResult();
        }).ToList();
        try
        {
            // The store's own capacity first (no HTTP, no Python competing for the 2 cores), then through clients.
            double direct = DirectWriters(ingestStores.Stores);
            yield return new("team", $"{backend}: ingest, {Clients} writer threads on the store{(replicas > 1 ? "s" : "")} directly (no HTTP), 1,000-point batches", $"{direct / 1000:0} k points/s", "(none)", true);
            double rate = PythonClients(ctx, servers, ingestStores.Stores[0], out var checkedPoints);
            yield return new("team", $"{backend}: ingest, {Clients} Python clients over {replicas} server{(replicas > 1 ? "s (replicas)" : "")}, {checkedPoints:N0} points", $"{rate / 1000:0} k points/s", "≥ 300 k points/s", rate >= 300_000);
            using var http = new HttpClient { BaseAddress = servers[^1].BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", servers[^1].Token);
            var (p50, p99) = LogBatchLatency(http);
            yield return new("team", $"{backend}: REST log-batch of 1,000 metrics, p50", $"{p50:0.00} ms", "≤ 5 ms", p50 <= 5);
            yield return new("team", $"{backend}: REST log-batch of 1,000 metrics, p99", $"{p99:0.00} ms", "(none)", true);
        }
        finally
        {
            foreach (var s in servers) s.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Four threads at once, each appending 1,000-point batches (10 keys x 100 steps) to its own run through the stores in turn, after a warm-up; rate = points / wall time.</summary>
    private static double DirectWriters(IReadOnlyList<ITrackingStore> stores)
    {
        double RunOnce(int batches)
        {
            var runs = Enumerable.Range(0, Clients).Select(i => (Store: stores[i % stores.Count], Id: stores[i % stores.Count].CreateRun(new NewRun { Name = $"direct-{i}" }).RunId)).ToList();
            var sw = Stopwatch.StartNew();
            Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = Clients }, run =>
            {
                for (int b = 0; b < batches; b++)
                {
                    var points = new List<MetricPoint>(1000);
                    for (int step = 0; step < 100; step++)
                        for (int k = 0; k < 10; k++) points.Add(new MetricPoint($"k{k}", step * 0.01 + k, 1_700_000_000_000 + b, b * 100 + step));
                    run.Store.LogBatch(run.Id, new RunBatch { Metrics = points });
                }
            });
            return (double)Clients * batches * 1000 / sw.Elapsed.TotalSeconds;
        }
        RunOnce(20); // connections, prepared statements, JIT
        return RunOnce(PointsPerClient / 1000);
    }

    /// <summary>Four client processes at once, each logging its own run through a server (alternating replicas); rate = all points / wall time, checked in the store.</summary>
    private static double PythonClients(BenchContext ctx, IReadOnlyList<TrackingServer> servers, ITrackingStore store, out long stored)
    {
        var sw = Stopwatch.StartNew();
        var procs = Enumerable.Range(0, Clients).Select(i =>
        {
            var server = servers[i % servers.Count];
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(ctx.RepoRoot, "bench", "python", "client_bench.py"));
            psi.ArgumentList.Add(PointsPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture));
            psi.ArgumentList.Add("--batched-only");
            psi.Environment["PYTHONPATH"] = Path.Combine(ctx.RepoRoot, "clients", "python");
            psi.Environment["MLTRACK_TRACKING_URI"] = server.BaseAddress.ToString().TrimEnd('/');
            psi.Environment["MLTRACK_TOKEN"] = server.Token;
            return Process.Start(psi)!;
        }).ToList();
        var outputs = procs.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        foreach (var p in procs) p.WaitForExit();
        double seconds = sw.Elapsed.TotalSeconds;
        stored = 0;
        for (int i = 0; i < procs.Count; i++)
        {
            if (procs[i].ExitCode != 0) throw new InvalidOperationException($"client_bench.py failed: {outputs[i].Err.Result}");
            using var doc = JsonDocument.Parse(outputs[i].Out.Result.Trim().Split('\n')[^1]);
            var runId = doc.RootElement.GetProperty("log_metrics_run_id").GetString()!;
            stored += store.GetMetricSummaries(runId).Sum(m => m.Count); // the points really landed, not just left the client
        }
        if (stored != (long)Clients * PointsPerClient) throw new InvalidOperationException($"the store holds {stored} points, expected {Clients * PointsPerClient}");
        return stored / seconds;
    }

    private static (double P50, double P99) LogBatchLatency(HttpClient http)
    {
        using var content0 = new StringContent(JsonSerializer.Serialize(new { experiment_id = "0", run_name = "latency" }), Encoding.UTF8, "application/json");
        using var created = http.PostAsync("api/2.0/mlflow/runs/create", content0).GetAwaiter().GetResult();
        created.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(created.Content.ReadAsStream());
        var runId = doc.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        const int requests = 500;
        var times = new List<double>(requests);
        for (int i = 0; i < requests + 50; i++)
        {
            var body = JsonSerializer.Serialize(new
            {
                run_id = runId,
                metrics = Enumerable.Range(0, 1000).Select(j => new { key = $"k{j % 10}", value = j * 0.5, timestamp = 1_700_000_000_000L + i, step = i * 100 + j / 10 }),
            });
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var sw = Stopwatch.StartNew();
            using var response = http.PostAsync("api/2.0/mlflow/runs/log-batch", content).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            if (i >= 50) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Timing.Percentile(times, 50), Timing.Percentile(times, 99));
    }

    private static void SeedRuns(ITrackingStore store)
    {
        var rng = new Random(42);
        var experiments = Enumerable.Range(0, 10).Select(e => store.CreateExperiment($"exp-{e}").ExperimentId).ToArray();
        for (int i = 0; i < SearchRuns; i++)
        {
            var run = store.CreateRun(new NewRun { ExperimentId = experiments[i % 10], Name = $"run-{i}", StartTime = 1_700_000_000_000 + i * 60_000L });
            store.LogBatch(run.RunId, new RunBatch
            {
                Params = Enumerable.Range(0, 10).Select(p => new KeyValuePair<string, string>($"p{p}", $"v{rng.Next(10)}")).ToList(),
                Metrics = Enumerable.Range(0, 5).Select(m => new MetricPoint($"m{m}", rng.NextDouble(), 1, 1)).ToList(),
            });
            if (i % 5_000 == 0) Console.Error.Write($"\r  seeding {i:N0}/{SearchRuns:N0} runs...");
        }
    }

    private static void SeedSeries(ITrackingStore store)
    {
        var run = store.CreateRun(new NewRun { Name = "long" });
        const int batch = 4096;
        var points = new List<MetricPoint>(batch);
        for (int step = 0; step < HistoryPoints; step++)
        {
            points.Add(new MetricPoint("loss", 1.0 / (1 + step) + Math.Sin(step) * 0.01, 1_700_000_000_000 + step / 10, step));
            if (points.Count == batch || step == HistoryPoints - 1)
            {
                store.LogBatch(run.RunId, new RunBatch { Metrics = points.ToArray() });
                points.Clear();
            }
        }
    }

    /// <summary>A store seeded once through the public API, then reused: SQLite file or PostgreSQL database, named for the schema version.</summary>
    private static ITrackingStore Seeded(BenchContext ctx, string backend, string serverUri, string name, Action<ITrackingStore> seed)
    {
        var version = backend == "SQLite" ? SqliteTrackingStore.SchemaVersion : PostgresTrackingStore.SchemaVersion;
        var full = $"{name}_v{version}";
        if (BenchDatabases.Exists(ctx, backend, serverUri, full)) return Open(ctx, backend, serverUri, full);
        var partial = full + "_partial";
        var sw = Stopwatch.StartNew();
        using (var store = Fresh(ctx, backend, serverUri, partial)) seed(store);
        Console.Error.WriteLine($"\r  {backend}: seeded {name} in {sw.Elapsed.TotalSeconds:0} s          ");
        BenchDatabases.Rename(ctx, backend, serverUri, partial, full);
        return Open(ctx, backend, serverUri, full);
    }

    private static ITrackingStore Fresh(BenchContext ctx, string backend, string serverUri, string name)
    {
        BenchDatabases.Drop(ctx, backend, serverUri, name);
        BenchDatabases.Create(backend, serverUri, name);
        return Open(ctx, backend, serverUri, name);
    }

    private static ITrackingStore Open(BenchContext ctx, string backend, string serverUri, string name) => backend == "SQLite"
        ? SqliteTrackingStore.Open(Path.Combine(ctx.ScratchDir, name + ".db"))
        : PostgresTrackingStore.Open(BenchDatabases.DatabaseUri(serverUri, name), Path.Combine(ctx.ScratchDir, "team-artifacts"));

    private sealed class StoreSet(IReadOnlyList<ITrackingStore> stores) : IDisposable
    {
        public IReadOnlyList<ITrackingStore> Stores { get; } = stores;
        public void Dispose() { foreach (var s in Stores) s.Dispose(); }
    }
}
