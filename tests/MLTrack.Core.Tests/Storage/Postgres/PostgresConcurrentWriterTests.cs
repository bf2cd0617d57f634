using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// Two store objects on one database stand for two replicas (each has its own connection pool, as two processes
/// would): what the database guarantees, not a lock in one process, must keep their writes right.
/// </summary>
public sealed class PostgresConcurrentWriterTests : IDisposable
{
    private const int Attempts = 40;

    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;
    private readonly PostgresTrackingStore _a;
    private readonly PostgresTrackingStore _b;

    public PostgresConcurrentWriterTests()
    {
        _a = PostgresTrackingStore.Open(_db.Uri, _artifacts);
        _b = PostgresTrackingStore.Open(_db.Uri, _artifacts);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public void Two_replicas_setting_one_param_to_different_values_leave_one_winner_and_one_refusal()
    {
        var runs = Enumerable.Range(0, Attempts).Select(_ => _a.CreateRun(new NewRun()).RunId).ToList();

        var outcomes = Race(runs, (store, run, value) => store.LogParam(run, "lr", value));

        foreach (var (run, (a, b)) in runs.Zip(outcomes))
        {
            Assert.True(a is null ^ b is null, $"run {run}: exactly one writer must win (A: {a?.Message ?? "ok"}; B: {b?.Message ?? "ok"})");
            var refusal = Assert.IsType<StoreException>(a ?? b);
            Assert.Equal(StoreErrorCode.InvalidParameterValue, refusal.Code);
            Assert.StartsWith("Changing param values is not allowed. Param with key='lr'", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(a is null ? "A" : "B", _b.GetRun(run).Params["lr"]);
        }
    }

    [Fact]
    public void Batches_setting_the_same_params_in_opposite_orders_do_not_deadlock()
    {
        var runs = Enumerable.Range(0, Attempts).Select(_ => _a.CreateRun(new NewRun()).RunId).ToList();

        var outcomes = Race(runs, (store, run, value) =>
        {
            var keys = value == "A" ? new[] { "a", "b", "c" } : ["c", "b", "a"];
            store.LogBatch(run, new RunBatch { Params = keys.Select(k => new KeyValuePair<string, string>(k, value)).ToList() });
        });

        foreach (var (a, b) in outcomes)
        {
            Assert.True(a is null ^ b is null, $"exactly one batch must win (A: {a?.Message ?? "ok"}; B: {b?.Message ?? "ok"})");
            Assert.Equal(StoreErrorCode.InvalidParameterValue, Assert.IsType<StoreException>(a ?? b).Code);
        }
    }

    [Fact]
    public void A_batch_retried_on_another_replica_at_the_same_time_is_applied_once()
    {
        var runs = Enumerable.Range(0, Attempts).Select(_ => _a.CreateRun(new NewRun()).RunId).ToList();

        var outcomes = Race(runs, (store, run, value) =>
            store.LogBatch(run, new RunBatch { IdempotencyKey = "batch-1", Tags = [new("writer", value)], Params = [new("p", value)] }));

        foreach (var (run, (a, b)) in runs.Zip(outcomes))
        {
            Assert.Null(a);
            Assert.Null(b); // the second attempt is skipped, not refused for its different param value
            var stored = _a.GetRun(run);
            Assert.Equal(stored.Params["p"], stored.Tags["writer"]);
        }
    }

    [Fact]
    public void Two_replicas_creating_one_experiment_name_at_once_make_one_experiment()
    {
        var names = Enumerable.Range(0, Attempts).Select(i => $"exp-{i}").ToList();

        var outcomes = Race(names, (store, name, _) => store.GetOrCreateExperiment(name));

        Assert.All(outcomes, o => Assert.Equal((null, null), o));
        Assert.Equal(Attempts, _a.ListExperiments().Count(e => e.Name.StartsWith("exp-", StringComparison.Ordinal)));
    }

    /// <summary>For each item, store A (value "A") and store B (value "B") act at the same moment; what each threw.</summary>
    private List<(Exception? A, Exception? B)> Race(IReadOnlyList<string> items, Action<PostgresTrackingStore, string, string> act)
    {
        var outcomes = new (Exception?, Exception?)[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var start = new Barrier(2);
            Exception? Attempt(PostgresTrackingStore store, string value)
            {
                start.SignalAndWait();
                try
                {
                    act(store, items[i], value);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
            }
            var a = Task.Factory.StartNew(() => Attempt(_a, "A"), TaskCreationOptions.LongRunning);
            var b = Task.Factory.StartNew(() => Attempt(_b, "B"), TaskCreationOptions.LongRunning);
            outcomes[i] = (a.Result, b.Result);
        });
        return outcomes.ToList();
    }
}
