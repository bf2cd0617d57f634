using System.Text.Json;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Every method over an in-process connection: what it answers and how it refuses.</summary>
public sealed class RpcMethodTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Run SeedRun(string experiment, string name, IReadOnlyDictionary<string, string>? parameters = null, params (string Key, double Value, long Step)[] metrics)
    {
        var store = _h.Store;
        var run = store.CreateRun(new NewRun { ExperimentId = store.GetOrCreateExperiment(experiment).ExperimentId, Name = name });
        store.LogBatch(run.RunId, new RunBatch
        {
            Params = (parameters ?? new Dictionary<string, string>()).ToList(),
            Metrics = metrics.Select(m => new MetricPoint(m.Key, m.Value, 1_700_000_000_000 + m.Step, m.Step)).ToList(),
        });
        return store.GetRun(run.RunId);
    }

    [Fact]
    public async Task Initialize_opens_the_workspace_store_and_reports_versions_and_capabilities()
    {
        var result = await _h.InitializeAsync();
        Assert.Equal(Path.Combine(_h.Workspace, ".mltrack", "mltrack.db"), result.StorePath);
        Assert.True(File.Exists(result.StorePath));
        Assert.Equal(_h.Workspace, result.WorkspaceFolder);
        Assert.Equal(RpcSession.ProtocolVersion, result.ProtocolVersion);
        Assert.False(string.IsNullOrEmpty(result.ServerVersion));
        Assert.True(result.SchemaVersion >= 2);
        Assert.True(result.Capabilities.TextSearch);
        Assert.Contains(RpcMethods.RunsChanged, result.Capabilities.Notifications);
        // Twice with the same folder is harmless.
        Assert.Equal(result.StorePath, (await _h.InitializeAsync()).StorePath);
    }

    [Fact]
    public async Task Initialize_without_a_folder_opens_the_user_level_store()
    {
        var result = await _h.Call<InitializeResult>(RpcMethods.Initialize, new { startTrackingServer = false });
        Assert.Equal(Path.Combine(_h.UserFolder, "mltrack.db"), result.StorePath);
        Assert.Null(result.WorkspaceFolder);
        Assert.True(File.Exists(result.StorePath));
    }

    [Fact]
    public async Task Initialize_starts_the_tracking_server_in_process_and_launched_runs_get_its_url_and_token()
    {
        var result = await _h.Call<InitializeResult>(RpcMethods.Initialize, new { workspaceFolder = _h.Workspace });
        Assert.True(result.Capabilities.TrackingServer);
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new
        {
            command = new[] { "sh", "-c", "echo \"$MLTRACK_TRACKING_URI $MLTRACK_TOKEN $MLFLOW_TRACKING_URI $MLFLOW_TRACKING_TOKEN\"" },
        });
        var log = await _h.Notifications.WaitFor<LogAppendParams>(l => l.RunId == launched.RunId && l.Stream == "stdout");
        var parts = log.Lines[0].Split(' ');
        Assert.Equal(4, parts.Length);
        Assert.StartsWith("http://127.0.0.1:", parts[0]);
        Assert.Equal((parts[0], parts[1]), (parts[2], parts[3]));
        Assert.Equal(parts[1], (await File.ReadAllTextAsync(Path.Combine(_h.Workspace, ".mltrack", "token"))).Trim());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, parts[0] + "/api/2.0/mlflow/runs/get?run_id=" + launched.RunId);
        request.Headers.Authorization = new("Bearer", parts[1]);
        var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Methods_before_initialize_are_refused_with_NotInitialized()
    {
        var (code, data, _) = await _h.ErrorOf(RpcMethods.RunsList, new { });
        Assert.Equal(RpcErrorCodes.NotInitialized, code);
        Assert.Equal("NOT_INITIALIZED", data.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Experiments_list_names_each_experiment_with_its_run_count()
    {
        await _h.InitializeAsync();
        SeedRun("vision", "a");
        SeedRun("vision", "b");
        SeedRun("nlp", "c");
        var list = await _h.Call<List<ExperimentInfo>>(RpcMethods.ExperimentsList);
        Assert.Equal(2, list.Single(e => e.Name == "vision").RunCount);
        Assert.Equal(1, list.Single(e => e.Name == "nlp").RunCount);
        Assert.Contains(list, e => e.Name == Experiment.DefaultName);
    }

    [Fact]
    public async Task Runs_list_filters_sorts_pages_and_returns_compact_rows()
    {
        await _h.InitializeAsync();
        for (int i = 0; i < 5; i++)
            SeedRun("exp", $"run-{i}", new Dictionary<string, string> { ["lr"] = $"0.{i}" }, ("acc", i / 10.0, 1));
        var first = await _h.Call<RunsListResult>(RpcMethods.RunsList, new { filter = "metrics.acc >= 0.1", orderBy = new[] { "metrics.acc DESC" }, maxResults = 3 });
        Assert.Equal(["run-4", "run-3", "run-2"], first.Runs.Select(r => r.Name));
        Assert.NotNull(first.NextPageToken);
        var row = first.Runs[0];
        Assert.Equal("exp", row.ExperimentName);
        Assert.Equal("RUNNING", row.Status);
        Assert.Equal(0.4, row.Metrics["acc"]);
        Assert.Equal("0.4", row.Params["lr"]);
        var second = await _h.Call<RunsListResult>(RpcMethods.RunsList, new { filter = "metrics.acc >= 0.1", orderBy = new[] { "metrics.acc DESC" }, maxResults = 3, pageToken = first.NextPageToken });
        Assert.Equal(["run-1"], second.Runs.Select(r => r.Name));
        Assert.Null(second.NextPageToken);
        // No params at all: everything, newest first.
        var all = await _h.Call<RunsListResult>(RpcMethods.RunsList);
        Assert.Equal("run-4", all.Runs[0].Name);
    }

    [Fact]
    public async Task A_bad_filter_is_an_InvalidFilter_error_with_its_position()
    {
        await _h.InitializeAsync();
        var (code, data, message) = await _h.ErrorOf(RpcMethods.RunsList, new { filter = "metrics.acc >> 1" });
        Assert.Equal(RpcErrorCodes.InvalidFilter, code);
        Assert.Equal(13, data.GetProperty("position").GetInt32()); // the second '>'
        Assert.Equal("INVALID_PARAMETER_VALUE", data.GetProperty("errorCode").GetString());
        Assert.Contains("position 13", message);
    }

    [Fact]
    public async Task Runs_get_returns_everything_and_accepts_a_prefix()
    {
        await _h.InitializeAsync();
        var run = SeedRun("exp", "full", new Dictionary<string, string> { ["batch"] = "32" }, ("val_loss", 0.9, 0), ("val_loss", 0.5, 1));
        _h.Store.SetTag(run.RunId, "team", "blue");
        _h.Store.RecordArtifact(run.RunId, new ArtifactInfo("model.pkl", 10, new string('a', 64)));
        _h.Store.RecordRunFiles(run.RunId, [new RunFile(FileDirection.Input, "data.csv", 5, new string('b', 64))]);

        var detail = await _h.Call<RunDetail>(RpcMethods.RunsGet, new { runId = run.RunId[..8] });
        Assert.Equal(run.RunId, detail.RunId);
        Assert.Equal("exp", detail.ExperimentName);
        Assert.Equal("32", detail.Params["batch"]);
        Assert.Equal("blue", detail.Tags["team"]);
        var metric = Assert.Single(detail.Metrics);
        Assert.Equal(("val_loss", 0.5, 2L, 0.5, 0.9, true), (metric.Key, metric.Latest, metric.Count, metric.Min, metric.Max, metric.LowerIsBetter));
        Assert.Equal("model.pkl", Assert.Single(detail.Artifacts).Path);
        Assert.Equal(("input", "data.csv"), (Assert.Single(detail.Files).Direction, detail.Files[0].Path));
        Assert.False(detail.LaunchedHere);
    }

    [Fact]
    public async Task An_unknown_run_is_ResourceDoesNotExist()
    {
        await _h.InitializeAsync();
        var (code, data, _) = await _h.ErrorOf(RpcMethods.RunsGet, new { runId = new string('f', 32) });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", data.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_missing_required_param_is_InvalidParams()
    {
        await _h.InitializeAsync();
        var (code, _, message) = await _h.ErrorOf(RpcMethods.RunsGet, new { });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("runId", message);
    }

    [Fact]
    public async Task Delete_restore_and_tags_change_the_run_and_notify()
    {
        await _h.InitializeAsync();
        var run = SeedRun("exp", "tagged");
        // The store watcher announces the new run; wait for it so "created" (which outranks every later kind within a
        // coalescing window) cannot swallow the "deleted" below on a slow machine.
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "created");
        await _h.Call(RpcMethods.RunsSetTag, new { runId = run.RunId, key = "note", value = "good" });
        Assert.Equal("good", _h.Store.GetRun(run.RunId).Tags["note"]);
        await _h.Call(RpcMethods.RunsDeleteTag, new { runId = run.RunId, key = "note" });
        Assert.False(_h.Store.GetRun(run.RunId).Tags.ContainsKey("note"));

        await _h.Call(RpcMethods.RunsDelete, new { runId = run.RunId });
        Assert.True(_h.Store.GetRun(run.RunId).IsDeleted);
        Assert.DoesNotContain((await _h.Call<RunsListResult>(RpcMethods.RunsList)).Runs, r => r.RunId == run.RunId);
        Assert.Single((await _h.Call<RunsListResult>(RpcMethods.RunsList, new { view = "deleted" })).Runs);
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "deleted");

        await _h.Call(RpcMethods.RunsRestore, new { runId = run.RunId });
        Assert.False(_h.Store.GetRun(run.RunId).IsDeleted);
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "restored");
    }

    [Fact]
    public async Task Metrics_history_returns_raw_points_or_buckets_and_non_finite_values_survive_as_strings()
    {
        await _h.InitializeAsync();
        var run = SeedRun("exp", "curve", null,
            [.. Enumerable.Range(0, 100).Select(i => ("loss", i == 50 ? double.NaN : i == 60 ? double.PositiveInfinity : 100.0 - i, (long)i))]);

        var raw = await _h.Call<MetricHistoryResult>(RpcMethods.MetricsHistory, new { runId = run.RunId, key = "loss", fromStep = 45, toStep = 64 });
        Assert.Null(raw.Buckets);
        Assert.Equal(20, raw.Points!.Count);
        Assert.True(double.IsNaN(raw.Points.Single(p => p.Step == 50).Value));
        Assert.Equal(double.PositiveInfinity, raw.Points.Single(p => p.Step == 60).Value);

        // On the wire: the strings "NaN" and "Infinity".
        var json = await _h.Call<JsonElement>(RpcMethods.MetricsHistory, new { runId = run.RunId, key = "loss", fromStep = 50, toStep = 60 });
        var values = json.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value")).ToList();
        Assert.Equal("NaN", values[0].GetString());
        Assert.Equal(JsonValueKind.Number, values[1].ValueKind);
        Assert.Equal("Infinity", values[^1].GetString());

        var bucketed = await _h.Call<MetricHistoryResult>(RpcMethods.MetricsHistory, new { runId = run.RunId, key = "loss", buckets = 10 });
        Assert.Null(bucketed.Points);
        Assert.Equal(10, bucketed.Buckets!.Count);
        Assert.Equal((0L, 9L, 10L, 91.0, 100.0, 9L, 91.0), (bucketed.Buckets[0].FromStep, bucketed.Buckets[0].ToStep, bucketed.Buckets[0].Count,
            bucketed.Buckets[0].Min, bucketed.Buckets[0].Max, bucketed.Buckets[0].LastStep, bucketed.Buckets[0].Last));

        var capped = await _h.Call<MetricHistoryResult>(RpcMethods.MetricsHistory, new { runId = run.RunId, key = "loss", maxPoints = 10 });
        Assert.True(capped.Truncated);
        Assert.Equal(10, capped.Points!.Count);

        var (code, _, _) = await _h.ErrorOf(RpcMethods.MetricsHistory, new { runId = run.RunId, key = "loss", buckets = 0 });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
    }

    [Fact]
    public async Task Metrics_keys_lists_digests()
    {
        await _h.InitializeAsync();
        var run = SeedRun("exp", "k", null, ("acc", 0.5, 0), ("acc", 0.7, 1), ("loss", 2, 0));
        var keys = await _h.Call<List<MetricSummaryDto>>(RpcMethods.MetricsKeys, new { runId = run.RunId });
        Assert.Equal(["acc", "loss"], keys.Select(k => k.Key));
        Assert.Equal((0.7, 0.5, 0.7, false), (keys[0].Latest, keys[0].Min, keys[0].Max, keys[0].LowerIsBetter));
        Assert.True(keys[1].LowerIsBetter);
    }

    [Fact]
    public async Task Metrics_latest_gives_the_newest_value_the_best_by_direction_and_a_sparkline()
    {
        await _h.InitializeAsync();
        SeedRun("exp", "old", null, ("val_loss", 0.9, 0), ("val_loss", 0.2, 1), ("val_loss", 0.4, 2));
        SeedRun("exp", "other", null, ("acc", 0.1, 0));
        var newest = SeedRun("exp", "new", null, [.. Enumerable.Range(0, 50).Select(i => ("val_loss", 1.0 / (i + 1), (long)i))]);

        var result = await _h.Call<MetricLatestResult>(RpcMethods.MetricsLatest, new { key = "val_loss" });
        Assert.True(result.LowerIsBetter);
        Assert.Equal(newest.RunId, result.Latest!.RunId);
        Assert.Equal(1.0 / 50, result.Latest.Value);
        Assert.Equal(49, result.Latest.Step);
        Assert.Equal(1.0 / 50, result.Best!.Value);
        Assert.Equal(["new", "old"], result.Recent.Select(r => r.RunName));
        Assert.Equal(20, result.Sparkline.Count);
        Assert.Equal(Enumerable.Range(30, 20).Select(i => (long)i), result.Sparkline.Select(p => p.Step));

        var acc = await _h.Call<MetricLatestResult>(RpcMethods.MetricsLatest, new { key = "acc", limit = 5 });
        Assert.False(acc.LowerIsBetter);
        Assert.Equal("other", acc.Latest!.RunName);

        var none = await _h.Call<MetricLatestResult>(RpcMethods.MetricsLatest, new { key = "never_logged" });
        Assert.Null(none.Latest);
        Assert.Empty(none.Recent);
    }

    [Fact]
    public async Task Lineage_graph_links_a_writer_to_its_reader()
    {
        await _h.InitializeAsync();
        var sha = new string('c', 64);
        var writer = SeedRun("exp", "prepare");
        var reader = SeedRun("exp", "train");
        _h.Store.RecordRunFiles(writer.RunId, [new RunFile(FileDirection.Output, "data.csv", 5, sha)]);
        _h.Store.RecordRunFiles(reader.RunId, [new RunFile(FileDirection.Input, "data.csv", 5, sha)]);

        var graph = await _h.Call<LineageGraphDto>(RpcMethods.LineageGraph, new { runId = reader.RunId, direction = "up" });
        Assert.Equal("run:" + reader.RunId, graph.Root);
        Assert.Contains(graph.Nodes, n => n.RunId == writer.RunId && n.Kind == "run");
        Assert.Contains(graph.Edges, e => e.Kind == "writes" && e.From == "run:" + writer.RunId);
        Assert.Contains(graph.Edges, e => e.Kind == "reads" && e.To == "run:" + reader.RunId);

        var (code, _, _) = await _h.ErrorOf(RpcMethods.LineageGraph, new { });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
    }

    [Fact]
    public async Task An_unknown_method_is_MethodNotFound_and_the_backend_keeps_answering()
    {
        await _h.InitializeAsync();
        var (code, _, _) = await _h.ErrorOf("runs/frobnicate", new { });
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.NotNull(await _h.Call<RunsListResult>(RpcMethods.RunsList));
    }
}
