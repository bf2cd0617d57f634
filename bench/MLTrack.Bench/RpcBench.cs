using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Bench;

/// <summary>
/// Issue 4's backend targets, measured on the ReadyToRun-published <c>mltrack rpc --stdio</c> over its real stdio
/// (LSP framing, as the editor talks to it): spawn → initialize answered, and runs/list, search/query and
/// metrics/latest against 10,000 runs.
/// </summary>
public static class RpcBench
{
    private const int Runs = 10_000;

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        var exe = Publish(ctx);
        var storePath = SeededStore(ctx);

        var spawn = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            var sw = Stopwatch.StartNew();
            using var backend = Backend.Start(exe, ctx.ScratchDir);
            backend.Call("initialize", new JsonObject { ["storePath"] = storePath });
            if (i >= 2) spawn.Add(sw.Elapsed.TotalMilliseconds); // two warm-ups: disk cache
            backend.Call("shutdown", null);
            backend.WaitForExit();
        }
        spawn.Sort();
        double spawnMedian = spawn[spawn.Count / 2];
        yield return new("rpc", "spawn backend (ReadyToRun) → initialize answered (median of 10)", $"{spawnMedian:0} ms", "≤ 300 ms", spawnMedian <= 300);

        using var b = Backend.Start(exe, ctx.ScratchDir);
        b.Call("initialize", new JsonObject { ["storePath"] = storePath });

        int rows = 0;
        double list = Timing.MedianMs(() => rows = b.Call("runs/list", new JsonObject())!["runs"]!.AsArray().Count, runs: 21, warmup: 3);
        if (rows != 100) throw new InvalidOperationException($"runs/list returned {rows} rows, expected 100");
        yield return new("rpc", $"runs/list first page (100 rows) with {Runs:N0} runs", $"{list:0.0} ms", "≤ 30 ms", list <= 30);

        string[] queries = ["run-42", "resnet", "adamw", "optimizer", "val_loss", "exp-3", "lr 0.01", "optimzer", "checkpoint", "bert base", "v3", "alice"];
        foreach (var q in queries) b.Call("search/query", new JsonObject { ["text"] = q });
        var times = new List<double>();
        int hits = 0;
        for (int round = 0; round < 10; round++)
        {
            foreach (var q in queries)
            {
                var sw = Stopwatch.StartNew();
                hits += b.Call("search/query", new JsonObject { ["text"] = q })!["hits"]!.AsArray().Count;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        if (hits == 0) throw new InvalidOperationException("search found nothing: the seed is wrong");
        times.Sort();
        double p95 = Timing.Percentile(times, 95), p50 = Timing.Percentile(times, 50);
        yield return new("rpc", $"search/query over {Runs:N0} runs, {queries.Length} queries × 10, p95 (p50 {p50:0.0} ms)", $"{p95:0.0} ms", "≤ 20 ms", p95 <= 20);

        int recent = 0;
        double latest = Timing.MedianMs(() => recent = b.Call("metrics/latest", new JsonObject { ["key"] = "val_loss" })!["recent"]!.AsArray().Count, runs: 21, warmup: 3);
        if (recent == 0) throw new InvalidOperationException("metrics/latest found nothing");
        yield return new("rpc", $"metrics/latest for a hover with {Runs:N0} runs", $"{latest:0.0} ms", "≤ 10 ms", latest <= 10);
        b.Call("shutdown", null);
        b.WaitForExit();
    }

    /// <summary>The ReadyToRun linux-x64 publish of the backend; republished when any server source is newer.</summary>
    private static string Publish(BenchContext ctx)
    {
        var output = Path.Combine(ctx.ScratchDir, "rpc-publish");
        var exe = Path.Combine(output, "mltrack");
        var newestSource = Directory.EnumerateFiles(Path.Combine(ctx.RepoRoot, "server"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".csproj")) && !f.Contains("/bin/") && !f.Contains("/obj/"))
            .Max(File.GetLastWriteTimeUtc);
        if (File.Exists(exe) && File.GetLastWriteTimeUtc(exe) > newestSource) return exe;
        Console.Error.WriteLine("  publishing the backend (ReadyToRun, linux-x64)...");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ctx.RepoRoot };
        foreach (var a in new[] { "publish", "server/MLTrack.Server", "-c", "Release", "-r", "linux-x64", "-p:PublishReadyToRun=true", "--self-contained", "false",
                     "-o", output, "--artifacts-path", Path.Combine(ctx.ScratchDir, "rpc-publish-artifacts") })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{stdout.Result}\n{stderr.Result}");
        File.SetLastWriteTimeUtc(exe, DateTime.UtcNow);
        return exe;
    }

    /// <summary>10,000 runs in 10 experiments (params, tags, 4 metrics, a 50-point val_loss curve, an artifact), seeded through the public store API once.</summary>
    private static string SeededStore(BenchContext ctx)
    {
        var path = Path.Combine(ctx.ScratchDir, $"rpc-runs-{Runs}-v{SqliteTrackingStore.SchemaVersion}.db");
        if (File.Exists(path)) return path;
        var tmp = path + ".partial";
        foreach (var f in new[] { tmp, tmp + "-wal", tmp + "-shm" }) File.Delete(f);
        var sw = Stopwatch.StartNew();
        using (var store = SqliteTrackingStore.Open(tmp))
        {
            var rng = new Random(7);
            var experiments = Enumerable.Range(0, 10).Select(e => store.CreateExperiment($"exp-{e}").ExperimentId).ToArray();
            string[] models = ["resnet50", "bert-base", "vit-small", "gpt2", "xgboost"];
            string[] optimizers = ["adamw", "sgd", "adam", "lion"];
            string[] owners = ["alice", "bob", "carol"];
            long t0 = 1_700_000_000_000;
            for (int i = 0; i < Runs; i++)
            {
                var model = models[i % models.Length];
                var run = store.CreateRun(new NewRun
                {
                    ExperimentId = experiments[i % 10],
                    Name = $"{model}-run-{i}",
                    StartTime = t0 + i * 60_000L,
                    SourceFile = $"/work/project/train_{model.Replace('-', '_')}.py",
                    Tags = new Dictionary<string, string> { ["owner"] = owners[i % owners.Length] },
                });
                var metrics = new List<MetricPoint>();
                for (int step = 0; step < 50; step++) metrics.Add(new MetricPoint("val_loss", 1.0 / (step + 1) + rng.NextDouble() * 0.01, t0 + step, step));
                foreach (var k in new[] { "accuracy", "f1", "train_loss", "lr" }) metrics.Add(new MetricPoint(k, rng.NextDouble(), t0, 1));
                store.LogBatch(run.RunId, new RunBatch
                {
                    Params =
                    [
                        new("optimizer", optimizers[rng.Next(optimizers.Length)]), new("lr", $"0.{rng.Next(1, 5):0}{rng.Next(10)}"),
                        new("batch_size", $"{16 << rng.Next(4)}"), new("model", model), new("seed", $"{i}"),
                        .. Enumerable.Range(0, 5).Select(p => new KeyValuePair<string, string>($"p{p}", $"v{rng.Next(10)}")),
                    ],
                    Metrics = metrics,
                });
                store.RecordArtifact(run.RunId, new Core.Artifacts.ArtifactInfo("checkpoints/model.pt", 1000, new string('a', 64)));
                store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = t0 + i * 60_000L + 30_000 });
                if (i % 1000 == 0) Console.Error.Write($"\r  seeding {i:N0}/{Runs:N0} runs...");
            }
        }
        Console.Error.WriteLine($"\r  seeded {Runs:N0} runs in {sw.Elapsed.TotalSeconds:0}s        ");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(tmp, path);
        return path;
    }

    /// <summary>A minimal LSP-framed JSON-RPC client on the backend's stdio (what the extension's vscode-jsonrpc does).</summary>
    private sealed class Backend : IDisposable
    {
        private readonly Process _process;
        private readonly Stream _in, _out;
        private int _nextId;

        private Backend(Process process)
        {
            _process = process;
            _in = process.StandardInput.BaseStream;
            _out = process.StandardOutput.BaseStream;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
        }

        public static Backend Start(string exe, string cwd)
        {
            var psi = new ProcessStartInfo(exe) { WorkingDirectory = cwd, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("rpc");
            psi.ArgumentList.Add("--stdio");
            return new Backend(Process.Start(psi)!);
        }

        public JsonNode? Call(string method, JsonNode? args)
        {
            int id = ++_nextId;
            var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
            if (args is not null) message["params"] = args;
            var body = Encoding.UTF8.GetBytes(message.ToJsonString());
            _in.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            _in.Write(body);
            _in.Flush();
            while (true)
            {
                var frame = JsonNode.Parse(ReadFrame())!;
                if (frame["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && (int)v == id)
                {
                    if (frame["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
                    return frame["result"];
                }
            }
        }

        private byte[] ReadFrame()
        {
            int length = -1;
            var line = new StringBuilder();
            while (true)
            {
                int c = _out.ReadByte();
                if (c < 0) throw new EndOfStreamException("the backend closed its output");
                if (c != '\n')
                {
                    line.Append((char)c);
                    continue;
                }
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0) break;
                if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(text[15..].Trim());
            }
            var body = new byte[length];
            _out.ReadExactly(body);
            return body;
        }

        public void WaitForExit()
        {
            if (!_process.WaitForExit(10_000)) throw new InvalidOperationException("the backend did not exit after shutdown");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
