using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using MLTrack.Server.Ui;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>metrics/historyMany: metrics/history's answer for each run in one call; per-run errors instead of a failed call.</summary>
public sealed class RpcHistoryManyTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public async Task InitializeAsync() => await _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A run with <paramref name="points"/> points of "loss" (NaN at step 5, +Infinity at step 7 when long enough).</summary>
    private string SeedRun(string name, int points, double scale = 1)
    {
        var store = _h.Store;
        var run = store.CreateRun(new NewRun { ExperimentId = store.GetOrCreateExperiment("many").ExperimentId, Name = name });
        store.LogBatch(run.RunId, new RunBatch
        {
            Metrics = Enumerable.Range(0, points).Select(i => new MetricPoint("loss",
                i == 5 ? double.NaN : i == 7 ? double.PositiveInfinity : scale * (points - i), 1_700_000_000_000 + i, i)).ToList(),
        });
        return run.RunId;
    }

    private Task<JsonElement> Single(object args) => _h.Call<JsonElement>(RpcMethods.MetricsHistory, args);

    private Task<JsonElement> Many(object args) => _h.Call<JsonElement>(RpcMethods.MetricsHistoryMany, args);

    /// <summary>The parts of a metrics/history answer that a historyMany entry repeats.</summary>
    private static JsonObject Comparable(JsonElement e) => new()
    {
        ["runId"] = JsonNode.Parse(e.GetProperty("runId").GetRawText()),
        ["points"] = JsonNode.Parse(e.GetProperty("points").GetRawText()),
        ["buckets"] = JsonNode.Parse(e.GetProperty("buckets").GetRawText()),
        ["truncated"] = JsonNode.Parse(e.GetProperty("truncated").GetRawText()),
    };

    [Fact]
    public async Task Each_entry_is_what_metrics_history_answers_for_that_run_byte_for_byte()
    {
        var ids = new[] { SeedRun("a", 300), SeedRun("b", 40, 2), SeedRun("c", 1), SeedRun("d", 12) };
        var shapes = new object[]
        {
            new { },
            new { buckets = 16 },
            new { buckets = 7, fromStep = 3, toStep = 30 },
            new { fromStep = 4, toStep = 9 },
            new { maxPoints = 10 },
            new { maxPoints = 1, fromStep = 20 },
        };
        foreach (var shape in shapes)
        {
            var extra = JsonSerializer.SerializeToNode(shape)!.AsObject();
            var manyArgs = new JsonObject { ["runIds"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]), ["key"] = "loss" };
            foreach (var (k, v) in extra) manyArgs[k] = v?.DeepClone();
            var many = await Many(manyArgs);
            var series = many.GetProperty("series").EnumerateArray().ToList();
            Assert.Equal(ids.Length, series.Count);
            for (int i = 0; i < ids.Length; i++)
            {
                var singleArgs = new JsonObject { ["runId"] = ids[i], ["key"] = "loss" };
                foreach (var (k, v) in extra) singleArgs[k] = v?.DeepClone();
                var expected = Comparable(await Single(singleArgs));
                var actual = Comparable(series[i]);
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{extra.ToJsonString()} run {i}:\n single: {expected.ToJsonString()}\n many:   {actual.ToJsonString()}");
                Assert.Equal(JsonValueKind.Null, series[i].GetProperty("error").ValueKind);
            }
        }
    }

    [Fact]
    public async Task Non_finite_values_travel_as_strings_as_in_metrics_history()
    {
        var id = SeedRun("nan", 10);
        var json = await Many(new { runIds = new[] { id }, key = "loss", fromStep = 5, toStep = 7 });
        var values = json.GetProperty("series")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value")).ToList();
        Assert.Equal("NaN", values[0].GetString());
        Assert.Equal(JsonValueKind.Number, values[1].ValueKind);
        Assert.Equal("Infinity", values[2].GetString());

        var typed = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = new[] { id }, key = "loss", buckets = 10 });
        var buckets = typed.Series[0].Buckets!;
        Assert.Contains(buckets, b => b.LastStep == 5 && double.IsNaN(b.Last));
        Assert.Contains(buckets, b => b.LastStep == 7 && double.IsPositiveInfinity(b.Last));
    }

    [Fact]
    public async Task A_missing_run_yields_an_error_entry_and_the_others_still_answer_in_request_order()
    {
        var a = SeedRun("a", 20);
        var b = SeedRun("b", 30);
        const string gone = "0123456789abcdef0123456789abcdef";
        var result = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany,
            new { runIds = new[] { a, gone, b[..10], "ab" }, key = "loss", buckets = 5 });

        Assert.Equal(4, result.Series.Count);
        Assert.Equal(a, result.Series[0].RunId);
        Assert.Null(result.Series[0].Error);
        Assert.Equal(5, result.Series[0].Buckets!.Count);

        var missing = result.Series[1];
        Assert.Equal(gone, missing.RunId);
        Assert.Null(missing.Points);
        Assert.Null(missing.Buckets);
        Assert.False(missing.Truncated);
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, missing.Error!.Code);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", missing.Error.Data.ErrorCode);
        Assert.Contains(gone, missing.Error.Message);

        // A prefix resolves to the full id, as in metrics/history.
        Assert.Equal(b, result.Series[2].RunId);
        Assert.Equal(30, result.Series[2].Buckets!.Sum(x => x.Count));

        // A too-short prefix is that run's error too (the same one metrics/history fails with).
        var (code, data, message) = await _h.ErrorOf(RpcMethods.MetricsHistory, new { runId = "ab", key = "loss" });
        Assert.Equal(code, result.Series[3].Error!.Code);
        Assert.Equal(message, result.Series[3].Error!.Message);
        Assert.Equal(data.GetProperty("errorCode").GetString(), result.Series[3].Error!.Data.ErrorCode);

        // On the wire: error {code, message, data: {errorCode}}, and null on the good entries.
        var json = await Many(new { runIds = new[] { a, gone }, key = "loss" });
        Assert.Equal(JsonValueKind.Null, json.GetProperty("series")[0].GetProperty("error").ValueKind);
        var err = json.GetProperty("series")[1].GetProperty("error");
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, err.GetProperty("code").GetInt32());
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", err.GetProperty("data").GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_run_without_the_key_and_a_deleted_run_answer_as_metrics_history_does()
    {
        var a = SeedRun("a", 5);
        var deleted = SeedRun("deleted", 8);
        _h.Store.DeleteRun(deleted);
        var result = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = new[] { a, deleted }, key = "acc" });
        Assert.All(result.Series, s => Assert.Empty(s.Points!));
        var loss = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = new[] { deleted }, key = "loss" });
        var single = await _h.Call<MetricHistoryResult>(RpcMethods.MetricsHistory, new { runId = deleted, key = "loss" });
        Assert.Equal(single.Points!.Count, loss.Series[0].Points!.Count);
        Assert.Null(loss.Series[0].Error);
    }

    [Fact]
    public async Task Many_runs_read_in_parallel_each_get_their_own_data()
    {
        var ids = Enumerable.Range(0, 120).Select(i => SeedRun($"r{i}", 50 + i, scale: i + 1)).ToList();
        var all = ids.Concat(ids.Take(30)).ToList(); // duplicates are answered twice
        var raw = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = all, key = "loss" });
        var buckets = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = all, key = "loss", buckets = 8 });
        for (int k = 0; k < all.Count; k++)
        {
            int i = k % ids.Count;
            Assert.Equal(all[k], raw.Series[k].RunId);
            Assert.Equal(50 + i, raw.Series[k].Points!.Count);
            Assert.Equal((i + 1.0) * (50 + i), raw.Series[k].Points![0].Value);
            Assert.Equal(all[k], buckets.Series[k].RunId);
            Assert.Equal(50 + i, buckets.Series[k].Buckets!.Sum(b => b.Count));
        }
    }

    [Fact]
    public async Task Invalid_parameters_fail_the_whole_call()
    {
        var a = SeedRun("a", 5);
        async Task<int> Code(object args) => (await _h.ErrorOf(RpcMethods.MetricsHistoryMany, args)).Code;

        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { key = "loss" }));
        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { runIds = new[] { a } }));
        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { runIds = new[] { a }, key = "loss", buckets = 0 }));
        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { runIds = new[] { a }, key = "loss", buckets = MetricsRpc.MaxBuckets + 1 }));
        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { runIds = new[] { a }, key = "loss", maxPoints = 0 }));
        Assert.Equal(RpcErrorCodes.InvalidParams, await Code(new { runIds = new[] { a }, key = "loss", fromStep = 9, toStep = 3 }));
        var tooMany = Enumerable.Repeat(a, MetricsRpc.MaxHistoryManyRuns + 1).ToArray();
        var (code, _, message) = await _h.ErrorOf(RpcMethods.MetricsHistoryMany, new { runIds = tooMany, key = "loss" });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("500", message);

        // Exactly the limit is fine; an empty list answers an empty list.
        var atLimit = await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany,
            new { runIds = Enumerable.Repeat(a, MetricsRpc.MaxHistoryManyRuns).ToArray(), key = "loss", maxPoints = 1 });
        Assert.Equal(MetricsRpc.MaxHistoryManyRuns, atLimit.Series.Count);
        Assert.Empty((await _h.Call<MetricHistoryManyResult>(RpcMethods.MetricsHistoryMany, new { runIds = Array.Empty<string>(), key = "loss" })).Series);
    }

    [Fact]
    public void Panels_may_call_it()
    {
        Assert.Contains(RpcMethods.MetricsHistoryMany, UiRpcMethods.Allowed);
    }
}
