using System.Net;
using MLTrack.Core.Runs;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of log-metric, log-batch, log-parameter, set-tag and delete-tag, with MLflow's limits.</summary>
public sealed class LoggingApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private static object[] Metrics(int n) => Enumerable.Range(0, n).Select(i => (object)new { key = "m", value = i, timestamp = 1, step = i }).ToArray();

    [Fact]
    public async Task Log_metric_shows_as_the_latest_point_in_get_run()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-metric", new { run_id = id, key = "loss", value = 0.5, timestamp = 1234, step = 7 });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("{}", r.Body);
        var m = Assert.Single((await f.GetAsync($"runs/get?run_id={id}")).Json.GetProperty("run").GetProperty("data").GetProperty("metrics").EnumerateArray());
        Assert.Equal("loss", m.GetProperty("key").GetString());
        Assert.Equal(0.5, m.GetProperty("value").GetDouble());
        Assert.Equal(1234, m.GetProperty("timestamp").GetInt64());
        Assert.Equal(7, m.GetProperty("step").GetInt64());
    }

    [Fact]
    public async Task NaN_and_infinities_round_trip_as_mlflow_json_strings()
    {
        var id = await f.CreateRunAsync();

        foreach (var (v, step) in new[] { ("NaN", 0), ("Infinity", 1), ("-Infinity", 2) })
            await f.PostAsync("runs/log-metric", new { run_id = id, key = "odd", value = v, timestamp = 1, step });
        var history = await f.GetAsync($"metrics/get-history?run_id={id}&metric_key=odd");

        var values = history.Json.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("value").GetString()).ToList();
        Assert.Equal(["NaN", "Infinity", "-Infinity"], values);
    }

    [Fact]
    public async Task Log_metric_accepts_int64_fields_sent_as_strings_as_protobuf_json_does()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostRawAsync("runs/log-metric", $$"""{"run_id":"{{id}}","key":"k","value":1.5,"timestamp":"99","step":"3"}""");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(3, f.Store.GetMetricHistory(id, "k").Single().Step);
    }

    [Fact]
    public async Task Log_metric_without_value_is_INVALID_PARAMETER_VALUE_naming_value()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-metric", new { run_id = id, key = "k", timestamp = 1 });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("'value'", r.Message);
    }

    [Fact]
    public async Task Log_metric_to_an_unknown_run_is_RESOURCE_DOES_NOT_EXIST()
    {
        var r = await f.PostAsync("runs/log-metric", new { run_id = Guid.NewGuid().ToString("N"), key = "k", value = 1, timestamp = 1 });

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Log_batch_writes_metrics_params_and_tags()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new
        {
            run_id = id,
            metrics = new[] { new { key = "acc", value = 0.9, timestamp = 10, step = 1 } },
            @params = new[] { new { key = "lr", value = "0.01" } },
            tags = new[] { new { key = "stage", value = "dev" } },
        });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var run = f.Store.GetRun(id);
        Assert.Equal(0.9, run.Metrics.Single(m => m.Key == "acc").Latest);
        Assert.Equal("0.01", run.Params["lr"]);
        Assert.Equal("dev", run.Tags["stage"]);
    }

    [Fact]
    public async Task Log_batch_with_1001_metrics_is_refused_naming_the_limit_and_writes_nothing()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new { run_id = id, metrics = Metrics(1001) });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("1000", r.Message);
        Assert.Empty(f.Store.GetRun(id).Metrics);
    }

    [Fact]
    public async Task Log_batch_with_1000_metrics_is_accepted()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new { run_id = id, metrics = Metrics(1000) });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(1000, f.Store.GetMetricHistory(id, "m").Count);
    }

    [Fact]
    public async Task Log_batch_with_101_params_is_refused()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new { run_id = id, @params = Enumerable.Range(0, 101).Select(i => new { key = $"p{i}", value = "v" }) });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("100 params", r.Message);
    }

    [Fact]
    public async Task Log_batch_with_101_tags_is_refused()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new { run_id = id, tags = Enumerable.Range(0, 101).Select(i => new { key = $"t{i}", value = "v" }) });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("100 tags", r.Message);
    }

    [Fact]
    public async Task Log_batch_with_more_than_1000_entities_in_all_is_refused()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new { run_id = id, metrics = Metrics(1000), @params = new[] { new { key = "p", value = "v" } } });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Empty(f.Store.GetRun(id).Params);
    }

    [Fact]
    public async Task A_key_of_251_characters_is_refused_naming_the_250_limit()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-metric", new { run_id = id, key = new string('k', 251), value = 1, timestamp = 1 });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("250", r.Message);
    }

    [Fact]
    public async Task A_key_of_250_characters_is_accepted()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-parameter", new { run_id = id, key = new string('k', 250), value = "v" });

        Assert.Equal(HttpStatusCode.OK, r.Status);
    }

    [Fact]
    public async Task A_param_value_over_6000_characters_is_refused()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-parameter", new { run_id = id, key = "big", value = new string('v', 6001) });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("6000", r.Message);
    }

    [Fact]
    public async Task A_tag_value_over_5000_characters_is_refused()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/set-tag", new { run_id = id, key = "big", value = new string('v', 5001) });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("5000", r.Message);
    }

    [Fact]
    public async Task Logging_a_param_again_with_the_same_value_is_fine()
    {
        var id = await f.CreateRunAsync();
        await f.PostAsync("runs/log-parameter", new { run_id = id, key = "lr", value = "0.1" });

        var again = await f.PostAsync("runs/log-parameter", new { run_id = id, key = "lr", value = "0.1" });

        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task Changing_a_param_value_is_INVALID_PARAMETER_VALUE_and_keeps_the_first_value()
    {
        var id = await f.CreateRunAsync();
        await f.PostAsync("runs/log-parameter", new { run_id = id, key = "lr", value = "0.1" });

        var change = await f.PostAsync("runs/log-parameter", new { run_id = id, key = "lr", value = "0.2" });

        Assert.Equal(HttpStatusCode.BadRequest, change.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", change.ErrorCode);
        Assert.Equal("0.1", f.Store.GetRun(id).Params["lr"]);
    }

    [Fact]
    public async Task Logging_to_a_deleted_run_is_refused_and_writes_nothing()
    {
        var id = await f.CreateRunAsync();
        await f.PostAsync("runs/delete", new { run_id = id });

        var r = await f.PostAsync("runs/log-metric", new { run_id = id, key = "k", value = 1, timestamp = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_STATE", r.ErrorCode);
        Assert.Empty(f.Store.GetRun(id).Metrics);
    }

    [Fact]
    public async Task Logging_to_a_finished_run_is_allowed_as_in_mlflow()
    {
        var id = await f.CreateRunAsync();
        await f.PostAsync("runs/update", new { run_id = id, status = "FINISHED", end_time = 2000 });

        var r = await f.PostAsync("runs/log-metric", new { run_id = id, key = "late", value = 1, timestamp = 1 });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Single(f.Store.GetMetricHistory(id, "late"));
    }

    [Fact]
    public async Task The_same_mltrack_batch_id_twice_writes_the_points_once()
    {
        var id = await f.CreateRunAsync();
        var batch = new { run_id = id, mltrack_batch_id = "spool-1:0", metrics = Metrics(3) };

        var first = await f.PostAsync("runs/log-batch", batch);
        var replay = await f.PostAsync("runs/log-batch", batch);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(3, f.Store.GetMetricHistory(id, "m").Count);
    }

    [Fact]
    public async Task Set_tag_overwrites_and_delete_tag_removes()
    {
        var id = await f.CreateRunAsync();

        await f.PostAsync("runs/set-tag", new { run_id = id, key = "note", value = "a" });
        await f.PostAsync("runs/set-tag", new { run_id = id, key = "note", value = "b" });
        var afterSet = f.Store.GetRun(id).Tags["note"];
        var delete = await f.PostAsync("runs/delete-tag", new { run_id = id, key = "note" });

        Assert.Equal("b", afterSet);
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.False(f.Store.GetRun(id).Tags.ContainsKey("note"));
    }

    [Fact]
    public async Task Deleting_a_missing_tag_is_RESOURCE_DOES_NOT_EXIST()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/delete-tag", new { run_id = id, key = "absent" });

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Setting_the_mlflow_runName_tag_renames_the_run()
    {
        var id = await f.CreateRunAsync();

        await f.PostAsync("runs/set-tag", new { run_id = id, key = "mlflow.runName", value = "renamed" });

        Assert.Equal("renamed", f.Store.GetRun(id).Name);
    }

    [Fact]
    public async Task A_metric_value_of_the_wrong_type_is_400_naming_the_field()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostRawAsync("runs/log-batch", $$"""{"run_id":"{{id}}","metrics":[{"key":"k","value":{"x":1},"timestamp":1}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("metrics[0].value", r.Message);
        Assert.Empty(f.Store.GetRun(id).Metrics);
    }

    [Fact]
    public async Task A_metric_without_a_key_in_a_batch_is_refused_naming_its_index()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostRawAsync("runs/log-batch", $$"""{"run_id":"{{id}}","metrics":[{"key":"a","value":1,"timestamp":1},{"value":2,"timestamp":1}]}""");

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("metrics[1].key", r.Message);
        Assert.Empty(f.Store.GetRun(id).Metrics);
    }
}
