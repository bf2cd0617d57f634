using System.Net;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of /api/2.0/mlflow/experiments/* from MLflow's REST API reference.</summary>
public sealed class ExperimentsApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Create_returns_the_id_and_get_returns_the_experiment_in_mlflow_shape()
    {
        var name = "shape-" + Guid.NewGuid().ToString("N");
        var create = await f.PostAsync("experiments/create", new { name, tags = new[] { new { key = "team", value = "vision" } } });
        Assert.Equal(HttpStatusCode.OK, create.Status);
        var id = create.Json.GetProperty("experiment_id").GetString()!;

        var get = await f.GetAsync($"experiments/get?experiment_id={id}");

        Assert.Equal(HttpStatusCode.OK, get.Status);
        var e = get.Json.GetProperty("experiment");
        Assert.Equal(id, e.GetProperty("experiment_id").GetString());
        Assert.Equal(name, e.GetProperty("name").GetString());
        Assert.Equal("active", e.GetProperty("lifecycle_stage").GetString());
        Assert.Equal($"mlflow-artifacts:/{id}", e.GetProperty("artifact_location").GetString());
        Assert.True(e.GetProperty("creation_time").GetInt64() > 0);
        Assert.True(e.GetProperty("last_update_time").GetInt64() > 0);
        var tag = Assert.Single(e.GetProperty("tags").EnumerateArray());
        Assert.Equal("team", tag.GetProperty("key").GetString());
        Assert.Equal("vision", tag.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Creating_a_taken_name_is_RESOURCE_ALREADY_EXISTS_with_400()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N");
        await f.CreateExperimentAsync(name);

        var again = await f.PostAsync("experiments/create", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", again.ErrorCode);
    }

    [Fact]
    public async Task Creating_without_a_name_is_INVALID_PARAMETER_VALUE_naming_the_field()
    {
        var r = await f.PostAsync("experiments/create", new { });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("'name'", r.Message);
    }

    [Fact]
    public async Task Getting_an_unknown_experiment_is_RESOURCE_DOES_NOT_EXIST_with_404()
    {
        var r = await f.GetAsync("experiments/get?experiment_id=987654");

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Get_by_name_finds_the_experiment()
    {
        var name = "by name " + Guid.NewGuid().ToString("N");
        var id = await f.CreateExperimentAsync(name);

        var r = await f.GetAsync("experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name));

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(id, r.Json.GetProperty("experiment").GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Get_by_name_of_an_unknown_name_is_404_as_mlflow_set_experiment_expects()
    {
        var r = await f.GetAsync("experiments/get-by-name?experiment_name=nope-" + Guid.NewGuid().ToString("N"));

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Search_pages_through_results_with_page_token()
    {
        var prefix = "page-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var i in new[] { 1, 2, 3 }) await f.CreateExperimentAsync($"{prefix}-{i}");

        var first = await f.PostAsync("experiments/search", new { filter = $"name LIKE '{prefix}%'", max_results = 2 });
        var token = first.Json.GetProperty("next_page_token").GetString();
        var second = await f.PostAsync("experiments/search", new { filter = $"name LIKE '{prefix}%'", max_results = 2, page_token = token });

        Assert.Equal(2, first.Json.GetProperty("experiments").GetArrayLength());
        Assert.Equal(1, second.Json.GetProperty("experiments").GetArrayLength());
        Assert.False(second.Json.TryGetProperty("next_page_token", out _));
        var names = first.Json.GetProperty("experiments").EnumerateArray().Concat(second.Json.GetProperty("experiments").EnumerateArray())
            .Select(e => e.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal([$"{prefix}-1", $"{prefix}-2", $"{prefix}-3"], names);
    }

    [Fact]
    public async Task Search_filters_on_name_equality()
    {
        var name = "exact-" + Guid.NewGuid().ToString("N");
        var id = await f.CreateExperimentAsync(name);

        var r = await f.PostAsync("experiments/search", new { filter = $"name = '{name}'" });

        var e = Assert.Single(r.Json.GetProperty("experiments").EnumerateArray());
        Assert.Equal(id, e.GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Search_answers_GET_with_its_fields_in_the_query_string()
    {
        var name = "get-search-" + Guid.NewGuid().ToString("N");
        await f.CreateExperimentAsync(name);

        var r = await f.GetAsync("experiments/search?max_results=5&filter=" + Uri.EscapeDataString($"name = '{name}'"));

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(name, Assert.Single(r.Json.GetProperty("experiments").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Search_with_a_malformed_filter_is_INVALID_PARAMETER_VALUE()
    {
        var r = await f.PostAsync("experiments/search", new { filter = "name ~~ 'x'" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("position", r.Message);
    }

    [Fact]
    public async Task Update_renames_the_experiment()
    {
        var id = await f.CreateExperimentAsync();
        var newName = "renamed-" + Guid.NewGuid().ToString("N");

        var r = await f.PostAsync("experiments/update", new { experiment_id = id, new_name = newName });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("{}", r.Body);
        Assert.Equal(newName, f.Store.GetExperiment(id).Name);
    }

    [Fact]
    public async Task Delete_hides_the_experiment_from_active_search_and_restore_brings_it_back()
    {
        var name = "del-" + Guid.NewGuid().ToString("N");
        var id = await f.CreateExperimentAsync(name);
        var filter = $"name = '{name}'";

        await f.PostAsync("experiments/delete", new { experiment_id = id });
        var active = await f.PostAsync("experiments/search", new { filter });
        var deleted = await f.PostAsync("experiments/search", new { filter, view_type = "DELETED_ONLY" });
        var stage = (await f.GetAsync($"experiments/get?experiment_id={id}")).Json.GetProperty("experiment").GetProperty("lifecycle_stage").GetString();
        await f.PostAsync("experiments/restore", new { experiment_id = id });
        var restored = await f.PostAsync("experiments/search", new { filter });

        Assert.Equal(0, active.Json.GetProperty("experiments").GetArrayLength());
        Assert.Equal(1, deleted.Json.GetProperty("experiments").GetArrayLength());
        Assert.Equal("deleted", stage);
        Assert.Equal(1, restored.Json.GetProperty("experiments").GetArrayLength());
    }

    [Fact]
    public async Task Set_experiment_tag_is_visible_in_get()
    {
        var id = await f.CreateExperimentAsync();

        await f.PostAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "owner", value = "ana" });

        Assert.Equal("ana", f.Store.GetExperiment(id).Tags["owner"]);
    }
}
