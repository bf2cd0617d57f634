using System.Net;
using MLTrack.Core.Runs;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of /api/2.0/mlflow/runs/{create,get,update,delete,restore}.</summary>
public sealed class RunsApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Create_returns_the_run_in_mlflow_shape_with_run_id_and_run_uuid()
    {
        var exp = await f.CreateExperimentAsync();

        var r = await f.PostAsync("runs/create", new { experiment_id = exp, run_name = "first", user_id = "ana", start_time = 1700000000000 });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var info = r.Json.GetProperty("run").GetProperty("info");
        var id = info.GetProperty("run_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, info.GetProperty("run_uuid").GetString());
        Assert.Equal(exp, info.GetProperty("experiment_id").GetString());
        Assert.Equal("first", info.GetProperty("run_name").GetString());
        Assert.Equal("ana", info.GetProperty("user_id").GetString());
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        Assert.Equal(1700000000000, info.GetProperty("start_time").GetInt64());
        Assert.False(info.TryGetProperty("end_time", out _));
        Assert.Equal($"mlflow-artifacts:/{exp}/{id}/artifacts", info.GetProperty("artifact_uri").GetString());
        Assert.Equal("active", info.GetProperty("lifecycle_stage").GetString());
        var data = r.Json.GetProperty("run").GetProperty("data");
        Assert.Equal(0, data.GetProperty("metrics").GetArrayLength());
        Assert.Equal(0, data.GetProperty("params").GetArrayLength());
        Assert.Contains(data.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "mlflow.runName" && t.GetProperty("value").GetString() == "first");
    }

    [Fact]
    public async Task Create_maps_mlflow_name_user_and_parent_tags_to_the_run()
    {
        var exp = await f.CreateExperimentAsync();
        var parent = await f.CreateRunAsync(exp);

        var r = await f.PostAsync("runs/create", new
        {
            experiment_id = exp,
            tags = new[]
            {
                new { key = "mlflow.runName", value = "child" },
                new { key = "mlflow.user", value = "bo" },
                new { key = "mlflow.parentRunId", value = parent },
            },
        });

        var run = f.Store.GetRun(r.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!);
        Assert.Equal("child", run.Name);
        Assert.Equal("bo", run.User);
        Assert.Equal(parent, run.ParentRunId);
    }

    [Fact]
    public async Task Create_without_experiment_id_uses_the_Default_experiment()
    {
        var r = await f.PostAsync("runs/create", new { run_name = "default-exp" });

        Assert.Equal("0", r.Json.GetProperty("run").GetProperty("info").GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Create_with_a_client_run_id_twice_makes_one_run()
    {
        var exp = await f.CreateExperimentAsync();
        var id = Guid.NewGuid().ToString("N");

        var first = await f.PostAsync("runs/create", new { experiment_id = exp, run_id = id, run_name = "offline" });
        var replay = await f.PostAsync("runs/create", new { experiment_id = exp, run_id = id, run_name = "offline" });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal(id, replay.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());
        var runs = f.Store.SearchRuns(new Core.Storage.RunQuery { ExperimentIds = [exp] }).Runs;
        Assert.Equal(id, Assert.Single(runs).RunId);
    }

    [Fact]
    public async Task Create_with_a_client_run_id_taken_in_another_experiment_is_RESOURCE_ALREADY_EXISTS()
    {
        var id = Guid.NewGuid().ToString("N");
        await f.PostAsync("runs/create", new { experiment_id = await f.CreateExperimentAsync(), run_id = id });

        var clash = await f.PostAsync("runs/create", new { experiment_id = await f.CreateExperimentAsync(), run_id = id });

        Assert.Equal(HttpStatusCode.BadRequest, clash.Status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", clash.ErrorCode);
    }

    [Fact]
    public async Task Create_with_a_malformed_client_run_id_is_INVALID_PARAMETER_VALUE()
    {
        var r = await f.PostAsync("runs/create", new { experiment_id = "0", run_id = "NOT-HEX" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
    }

    [Fact]
    public async Task Create_in_an_unknown_experiment_is_RESOURCE_DOES_NOT_EXIST()
    {
        var r = await f.PostAsync("runs/create", new { experiment_id = "424242" });

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Get_returns_the_run_by_run_id_or_run_uuid()
    {
        var id = await f.CreateRunAsync();

        var byId = await f.GetAsync($"runs/get?run_id={id}");
        var byUuid = await f.GetAsync($"runs/get?run_uuid={id}");

        Assert.Equal(id, byId.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());
        Assert.Equal(id, byUuid.Json.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task Getting_an_unknown_run_is_RESOURCE_DOES_NOT_EXIST_with_404()
    {
        var r = await f.GetAsync($"runs/get?run_id={Guid.NewGuid():N}");

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Get_without_run_id_is_INVALID_PARAMETER_VALUE_naming_run_id()
    {
        var r = await f.GetAsync("runs/get");

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("run_id", r.Message);
    }

    [Fact]
    public async Task Update_sets_status_end_time_and_name_and_returns_run_info()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/update", new { run_id = id, status = "FINISHED", end_time = 5000, run_name = "done" });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var info = r.Json.GetProperty("run_info");
        Assert.Equal("FINISHED", info.GetProperty("status").GetString());
        Assert.Equal(5000, info.GetProperty("end_time").GetInt64());
        Assert.Equal("done", info.GetProperty("run_name").GetString());
        Assert.Equal(RunStatus.FINISHED, f.Store.GetRun(id).Status);
    }

    [Fact]
    public async Task Update_with_an_unknown_status_is_INVALID_PARAMETER_VALUE()
    {
        var id = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/update", new { run_id = id, status = "DONE-ISH" });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Equal(RunStatus.RUNNING, f.Store.GetRun(id).Status);
    }

    [Fact]
    public async Task Delete_and_restore_change_the_lifecycle_stage()
    {
        var id = await f.CreateRunAsync();

        await f.PostAsync("runs/delete", new { run_id = id });
        var deleted = (await f.GetAsync($"runs/get?run_id={id}")).Json.GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString();
        await f.PostAsync("runs/restore", new { run_id = id });
        var restored = (await f.GetAsync($"runs/get?run_id={id}")).Json.GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString();

        Assert.Equal("deleted", deleted);
        Assert.Equal("active", restored);
    }

    [Fact]
    public async Task A_crashed_run_is_reported_to_mlflow_clients_as_FAILED_with_an_mltrack_status_tag()
    {
        var id = await f.CreateRunAsync();
        f.Store.UpdateRun(id, new RunUpdate { Status = RunStatus.CRASHED, EndTime = 2000 });

        var run = (await f.GetAsync($"runs/get?run_id={id}")).Json.GetProperty("run");

        Assert.Equal("FAILED", run.GetProperty("info").GetProperty("status").GetString());
        Assert.Contains(run.GetProperty("data").GetProperty("tags").EnumerateArray(),
            t => t.GetProperty("key").GetString() == "mltrack.status" && t.GetProperty("value").GetString() == "CRASHED");
    }
}
