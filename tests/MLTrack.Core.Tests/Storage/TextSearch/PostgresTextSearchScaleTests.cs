using System.Diagnostics;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Tests.Storage.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>Text search over 10,000 runs (10 params, 5 metric keys, 2 tags and an artifact each) stays interactive.</summary>
public sealed class PostgresTextSearchScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int Runs = 10_000;
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-text-scale-").FullName;

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public void A_query_over_ten_thousand_runs_answers_within_50_ms()
    {
        using var store = PostgresTrackingStore.Open(_db.Uri, _artifacts);
        // Rows written by SQL for speed; the triggers index them exactly as the store's own writes.
        using (var c = _db.Connect())
        using (var fill = new NpgsqlCommand(
            """
            INSERT INTO runs (run_id, experiment_id, name, status, user_id, start_time, artifact_uri)
                SELECT md5(i::text), 0, 'run-' || i || CASE WHEN i % 7 = 0 THEN '-resnet' ELSE '-bert' END, 'FINISHED', 'ada',
                       1700000000000 + i * 60000, 'file:///a/' || i
                FROM generate_series(1, @n) i;
            INSERT INTO params (run_id, key, value)
                SELECT md5(i::text), k, CASE k WHEN 'optimizer' THEN (ARRAY['adam', 'adamw', 'sgd'])[1 + i % 3] ELSE (i % 97)::text END
                FROM generate_series(1, @n) i,
                     unnest(ARRAY['optimizer', 'learning_rate', 'batch_size', 'epochs', 'dropout', 'weight_decay', 'warmup_steps',
                                  'model_name', 'seed', 'momentum']) k;
            INSERT INTO tags (run_id, key, value) SELECT md5(i::text), k, 'value' || (i % 13) FROM generate_series(1, @n) i, unnest(ARRAY['owner', 'team']) k;
            INSERT INTO metric_series (run_id, key)
                SELECT md5(i::text), k FROM generate_series(1, @n) i, unnest(ARRAY['val_loss', 'val_accuracy', 'train_loss', 'lr', 'epoch_time']) k;
            INSERT INTO artifacts (run_id, path, size, sha256) SELECT md5(i::text), 'checkpoints/model_' || i || '.pt', 1, 'x' FROM generate_series(1, @n) i;
            ANALYZE;
            """, c)
        { CommandTimeout = 600 }) // ~20 s alone, more beside the other suites
        {
            fill.Parameters.AddWithValue("n", Runs);
            fill.ExecuteNonQuery();
        }

        var times = new Dictionary<string, double>();
        foreach (var query in new[] { "val loss", "optimizer adam", "resnet", "checkpoints", "optimzer" })
        {
            Assert.NotEmpty(store.SearchText(query, 20)); // warm
            var best = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                store.SearchText(query, 20);
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            times[query] = best;
            output.WriteLine($"'{query}' over {Runs} runs: {best:F1} ms");
        }
        Assert.All(times, t => Assert.True(t.Value <= 50, $"'{t.Key}' took {t.Value:F1} ms"));
    }
}
