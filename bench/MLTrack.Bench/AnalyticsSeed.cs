using System.Diagnostics;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Bench;

/// <summary>
/// A store of runs spread evenly over whole years ending at <see cref="End"/> (2026-11-01 UTC), seeded once through the
/// public store API and reused from the scratch folder: 20 experiments, 8 users, 85% FINISHED / 10% FAILED / 5% KILLED,
/// 5 min – 5 h durations, 4 params, loss (5 steps) and accuracy, GPU system metrics on 1 in 10, LLM cost on 1 in 50.
/// </summary>
public static class AnalyticsSeed
{
    public static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Create(string dir, int runs, int years)
    {
        var path = Path.Combine(dir, $"analytics-{runs}-{years}y-v{SqliteTrackingStore.SchemaVersion}.db");
        if (File.Exists(path)) return path;
        var tmp = path + ".partial";
        foreach (var f in new[] { tmp, tmp + "-wal", tmp + "-shm" }) File.Delete(f);
        var sw = Stopwatch.StartNew();
        using (var store = SqliteTrackingStore.Open(tmp))
        {
            var rng = new Random(7);
            var experiments = Enumerable.Range(0, 20).Select(e => store.CreateExperiment($"exp-{e:00}").ExperimentId).ToArray();
            var users = Enumerable.Range(0, 8).Select(u => $"user{u}").ToArray();
            var start = End.AddYears(-years).ToUnixTimeMilliseconds();
            var step = (End.ToUnixTimeMilliseconds() - start) / runs;
            for (var i = 0; i < runs; i++)
            {
                var t = start + i * step + rng.NextInt64(step);
                var e = rng.Next(experiments.Length);
                var run = store.CreateRun(new NewRun { ExperimentId = experiments[e], User = users[rng.Next(users.Length)], StartTime = t, Name = $"run-{i}" });
                var lr = Math.Round(Math.Pow(10, -1 - 3 * rng.NextDouble()), 5);
                var depth = rng.Next(2, 12);
                var accuracy = Math.Clamp(0.6 + 0.03 * depth - 20 * Math.Abs(lr - 0.01) + rng.NextDouble() * 0.1, 0, 1);
                var metrics = new List<MetricPoint>();
                for (var s = 0; s < 5; s++) metrics.Add(new MetricPoint("loss", (1 - accuracy) * (5 - s) / 5 + rng.NextDouble() * 0.01, t + s * 1000, s));
                metrics.Add(new MetricPoint("accuracy", accuracy, t + 5000, 5));
                if (i % 10 == 0) metrics.Add(new MetricPoint("system/gpu_utilization", 80, t + 1000, 0));
                if (i % 50 == 0) metrics.Add(new MetricPoint("llm/cost_usd", 0.002 + rng.NextDouble() * 0.01, t + 2000, 0));
                store.LogBatch(run.RunId, new RunBatch
                {
                    Params =
                    [
                        new("lr", lr.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new("depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new("batch_size", (16 << rng.Next(4)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new("optimizer", rng.Next(3) switch { 0 => "adam", 1 => "sgd", _ => "adamw" }),
                    ],
                    Metrics = metrics,
                });
                var roll = rng.Next(100);
                var status = roll < 85 ? RunStatus.FINISHED : roll < 95 ? RunStatus.FAILED : RunStatus.KILLED;
                store.UpdateRun(run.RunId, new RunUpdate { Status = status, EndTime = t + 300_000 + rng.NextInt64(5 * 3_600_000L) });
                if (i % 10_000 == 9_999) Console.WriteLine($"  seeded {i + 1:N0} runs ({sw.Elapsed.TotalSeconds:0} s)");
            }
        }
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(tmp + suffix);
        File.Move(tmp, path);
        Console.WriteLine($"  seeded {runs:N0} runs over {years} years in {sw.Elapsed.TotalSeconds:0} s");
        return path;
    }
}
