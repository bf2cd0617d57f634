using System.Net;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// Keys and names that could spoof others in a table (control and invisible characters, MLflow's other refused
/// characters) are refused on every REST path that accepts them, naming the character, its position and the field;
/// nothing of the request is written.
/// </summary>
public sealed class KeyValidationApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private static readonly (string Char, string Name)[] Invisible =
    [
        ("\n", "U+000A LINE FEED (newline)"),
        ("\t", "U+0009 CHARACTER TABULATION (tab)"),
        ("\r", "U+000D CARRIAGE RETURN"),
        ("\u0000", "U+0000 NULL"),
        ("\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u200B", "U+200B ZERO WIDTH SPACE"),
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\uFEFF", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ];

    public static TheoryData<string, string> Characters()
    {
        var data = new TheoryData<string, string>();
        foreach (var (c, name) in Invisible) data.Add(c, name);
        return data;
    }

    /// <summary>Each REST path that takes a key: its endpoint, the field the key goes in, and the body around it.</summary>
    private static readonly Dictionary<string, (string Path, string Field, Func<string, string, object> Body)> Paths = new()
    {
        ["log-metric"] = ("runs/log-metric", "key", (run, key) => new { run_id = run, key, value = 1, timestamp = 1, step = 0 }),
        ["log-parameter"] = ("runs/log-parameter", "key", (run, key) => new { run_id = run, key, value = "v" }),
        ["set-tag"] = ("runs/set-tag", "key", (run, key) => new { run_id = run, key, value = "v" }),
        ["log-batch metric"] = ("runs/log-batch", "metrics[1].key",
            (run, key) => new { run_id = run, metrics = new object[] { new { key = "ok", value = 1, timestamp = 1 }, new { key, value = 1, timestamp = 1 } } }),
        ["log-batch param"] = ("runs/log-batch", "params[0].key", (run, key) => new { run_id = run, @params = new[] { new { key, value = "v" } } }),
        ["log-batch tag"] = ("runs/log-batch", "tags[0].key", (run, key) => new { run_id = run, tags = new[] { new { key, value = "v" } } }),
    };

    public static TheoryData<string, string, string> PathsAndCharacters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var path in Paths.Keys)
            foreach (var (c, name) in Invisible)
                data.Add(path, c, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndCharacters))]
    public async Task A_key_with_a_control_or_invisible_character_is_refused_naming_it_its_position_and_the_field(string path, string c, string name)
    {
        var run = await f.CreateRunAsync();
        var (endpoint, field, body) = Paths[path];

        var r = await f.PostAsync(endpoint, body(run, "a" + c + "b"));

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains($"{name} at position 1", r.Message);
        Assert.Contains($"'{field}'", r.Message);
        Assert.DoesNotContain(c, r.Message);
        var stored = f.Store.GetRun(run);
        Assert.Empty(stored.Metrics);
        Assert.Empty(stored.Params);
        Assert.DoesNotContain(stored.Tags.Keys, k => k.Contains('a'));
    }

    [Theory]
    [MemberData(nameof(Characters))]
    public async Task A_tag_key_given_at_run_creation_follows_the_same_rule(string c, string name)
    {
        var experiment = await f.CreateExperimentAsync();

        var r = await f.PostAsync("runs/create", new { experiment_id = experiment, tags = new[] { new { key = "t" + c, value = "v" } } });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains($"{name} at position 1", r.Message);
        Assert.Contains("'tags[0].key'", r.Message);
    }

    [Theory]
    [InlineData("a//b", "would resolve to 'a/b'")]
    [InlineData("MAP@k", "'@' (U+0040) at position 3")]
    [InlineData("/abs", "would resolve to '/abs'")]
    public async Task MLflows_other_refused_keys_are_refused_too(string key, string reason)
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-metric", new { run_id = run, key, value = 1, timestamp = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains(reason, r.Message);
    }

    [Theory]
    [InlineData("runs/log-metric", """{"run_id":"$RUN","key":5,"value":1,"timestamp":1}""", "key")]
    [InlineData("runs/log-parameter", """{"run_id":"$RUN","key":5,"value":"v"}""", "key")]
    [InlineData("runs/set-tag", """{"run_id":"$RUN","key":true,"value":"v"}""", "key")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","metrics":[{"key":5,"value":1,"timestamp":1}]}""", "metrics[0].key")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","params":[{"key":5,"value":"v"}]}""", "params[0].key")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","tags":[{"key":5.5,"value":"v"}]}""", "tags[0].key")]
    public async Task A_key_given_as_a_json_number_is_refused_not_stringified(string path, string body, string field)
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostRawAsync(path, body.Replace("$RUN", run, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains($"for parameter '{field}' supplied: expected a string", r.Message);
        var stored = f.Store.GetRun(run);
        Assert.Empty(stored.Metrics);
        Assert.Empty(stored.Params);
    }

    [Fact]
    public async Task A_param_value_given_as_a_json_number_is_refused_as_mlflows_server_refuses_it()
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostRawAsync("runs/log-parameter", $$"""{"run_id":"{{run}}","key":"lr","value":0.01}""");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Invalid value 0.01 for parameter 'value' supplied: expected a string.", r.Message);
        Assert.Empty(f.Store.GetRun(run).Params);
    }

    [Fact]
    public async Task Experiment_ids_and_protobuf_enums_still_read_from_numbers_as_mlflow_does()
    {
        var run = await f.CreateRunAsync("0");

        var update = await f.PostRawAsync("runs/update", $$"""{"run_id":"{{run}}","status":3}""");
        var search = await f.PostRawAsync("runs/search", """{"experiment_ids":[0],"run_view_type":1}""");

        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal("FINISHED", update.Json.GetProperty("run_info").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, search.Status);
    }

    [Theory]
    [InlineData("runs/create", """{"experiment_id":"0","run_name":"evil\u202Etxt"}""", "run_name", "U+202E RIGHT-TO-LEFT OVERRIDE at position 4")]
    [InlineData("runs/create", """{"mltrack_experiment_name":"exp\u200B"}""", "mltrack_experiment_name", "U+200B ZERO WIDTH SPACE at position 3")]
    [InlineData("experiments/create", """{"name":"two\nlines"}""", "name", "U+000A LINE FEED (newline) at position 3")]
    public async Task A_run_or_experiment_name_with_an_invisible_character_is_refused(string path, string body, string field, string reason)
    {
        var r = await f.PostRawAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains(reason, r.Message);
        Assert.Contains($"'{field}'", r.Message);
    }

    [Fact]
    public async Task Renaming_a_run_to_an_invisible_name_by_tag_or_update_changes_nothing()
    {
        var run = await f.CreateRunAsync();
        var before = f.Store.GetRun(run).Name;

        var tag = await f.PostAsync("runs/set-tag", new { run_id = run, key = "mlflow.runName", value = "evil\u202E" });
        var update = await f.PostAsync("runs/update", new { run_id = run, run_name = "a\tb" });

        Assert.Equal(HttpStatusCode.BadRequest, tag.Status);
        Assert.Equal(HttpStatusCode.BadRequest, update.Status);
        Assert.Equal(before, f.Store.GetRun(run).Name);
        Assert.DoesNotContain("mlflow.runName", f.Store.GetRun(run).Tags.Keys);
    }

    [Fact]
    public async Task Renaming_an_experiment_to_an_invisible_name_is_refused()
    {
        var id = await f.CreateExperimentAsync("plain-" + Guid.NewGuid().ToString("N"));

        var r = await f.PostAsync("experiments/update", new { experiment_id = id, new_name = "x\u2029" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("U+2029 PARAGRAPH SEPARATOR at position 1", r.Message);
        Assert.StartsWith("plain-", f.Store.GetExperiment(id).Name);
    }

    [Fact]
    public async Task An_experiment_tag_key_follows_the_rule()
    {
        var id = await f.CreateExperimentAsync();

        var r = await f.PostAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "team\u200B", value = "cv" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("U+200B ZERO WIDTH SPACE at position 4", r.Message);
        Assert.Empty(f.Store.GetExperiment(id).Tags);
    }

    [Fact]
    public async Task Valid_keys_of_any_script_with_colons_and_slashes_are_logged()
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostAsync("runs/log-batch", new
        {
            run_id = run,
            metrics = new[] { new { key = "val/top:1", value = 0.5, timestamp = 1, step = 0 } },
            @params = new[] { new { key = "学习率", value = "0.1" } },
        });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("0.1", f.Store.GetRun(run).Params["学习率"]);
    }
}
