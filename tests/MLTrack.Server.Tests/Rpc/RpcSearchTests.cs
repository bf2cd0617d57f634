using MLTrack.Core.Artifacts;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>search/query over the FTS5 index the store keeps current by itself.</summary>
public sealed class RpcSearchTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();
    private Run _resnet = null!, _bert = null!;

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        var store = _h.Store;
        var vision = store.CreateExperiment("vision-baselines");
        _resnet = store.CreateRun(new NewRun { ExperimentId = vision.ExperimentId, Name = "resnet50-finetune", StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        store.LogBatch(_resnet.RunId, new RunBatch
        {
            Params = [new("optimizer", "adamw"), new("learning_rate", "0.001")],
            Tags = [new("owner", "alice")],
            Metrics = [new MetricPoint("val_accuracy", 0.91, 1, 1)],
        });
        store.RecordArtifact(_resnet.RunId, new ArtifactInfo("checkpoints/best_model.pt", 100, new string('a', 64)));
        _bert = store.CreateRun(new NewRun { ExperimentId = store.CreateExperiment("nlp").ExperimentId, Name = "bert-base", StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 90L * 86_400_000 });
        store.LogBatch(_bert.RunId, new RunBatch { Params = [new("optimizer", "sgd")], Metrics = [new MetricPoint("val_accuracy", 0.8, 1, 1)] });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<SearchQueryResult> Search(string text, int? limit = null) =>
        _h.Call<SearchQueryResult>(RpcMethods.SearchQuery, new { text, limit });

    [Fact]
    public async Task A_run_is_found_by_a_prefix_of_a_word_of_its_name()
    {
        var result = await Search("resn");
        var hit = result.Hits[0];
        Assert.Equal(("run", "resnet50-finetune", _resnet.RunId), (hit.Kind, hit.Title, hit.RunId));
        Assert.Contains("vision-baselines", hit.Detail);
        Assert.True(hit.Score > 0);
        Assert.False(result.Fuzzy);
    }

    [Fact]
    public async Task Params_tags_metric_keys_artifacts_and_experiments_are_found()
    {
        Assert.Contains((await Search("adamw")).Hits, h => h.Kind == "param" && h.Title == "optimizer = adamw" && h.RunId == _resnet.RunId);
        Assert.Contains((await Search("alice")).Hits, h => h.Kind == "tag" && h.Title == "owner = alice");
        Assert.Contains((await Search("best_model")).Hits, h => h.Kind == "artifact" && h.Title == "checkpoints/best_model.pt");
        Assert.Contains((await Search("vision")).Hits, h => h.Kind == "experiment" && h.Title == "vision-baselines" && h.RunId is null);
        // A metric key logged by two runs is one hit, from the more recent run.
        var metric = Assert.Single((await Search("val_acc")).Hits, h => h.Kind == "metric");
        Assert.Equal(_resnet.RunId, metric.RunId);
    }

    [Fact]
    public async Task Recent_runs_rank_above_old_ones_for_equal_matches()
    {
        var hits = (await Search("optimizer")).Hits.Where(h => h.Kind == "param").ToList();
        Assert.Equal([_resnet.RunId, _bert.RunId], hits.Select(h => h.RunId));
    }

    [Fact]
    public async Task A_typo_is_tolerated_when_nothing_matches_exactly()
    {
        var result = await Search("resnte");
        Assert.True(result.Fuzzy);
        Assert.Contains(result.Hits, h => h.RunId == _resnet.RunId && h.Kind == "run");
        Assert.Contains((await Search("optimzer")).Hits, h => h.Kind == "param");
    }

    [Fact]
    public async Task The_index_follows_renames_tag_changes_and_deletes()
    {
        _h.Store.UpdateRun(_bert.RunId, new RunUpdate { Name = "distilbert-small" });
        Assert.Contains((await Search("distil")).Hits, h => h.RunId == _bert.RunId && h.Kind == "run");
        _h.Store.SetTag(_resnet.RunId, "owner", "bob");
        Assert.DoesNotContain((await Search("alice")).Hits, h => h.Kind == "tag");
        Assert.Contains((await Search("bob")).Hits, h => h.Kind == "tag");
        await _h.Call(RpcMethods.RunsDelete, new { runId = _resnet.RunId });
        Assert.DoesNotContain((await Search("resnet")).Hits, h => h.RunId == _resnet.RunId);
        await _h.Call(RpcMethods.RunsRestore, new { runId = _resnet.RunId });
        Assert.Contains((await Search("resnet")).Hits, h => h.RunId == _resnet.RunId);
    }

    [Fact]
    public async Task Blank_or_symbol_only_text_finds_nothing_and_a_bad_limit_is_refused()
    {
        Assert.Empty((await Search("   ")).Hits);
        Assert.Empty((await Search("\"*()")).Hits);
        var (code, _, _) = await _h.ErrorOf(RpcMethods.SearchQuery, new { text = "x", limit = 0 });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
    }
}
