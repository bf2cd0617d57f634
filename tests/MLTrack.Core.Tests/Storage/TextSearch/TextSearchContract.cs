using MLTrack.Core.Search.Text;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>
/// What <see cref="ITextSearchStore.SearchText"/> must do on every store: each implementation's class derives from
/// this and supplies a fresh, empty store, filled with <see cref="TextSearchCorpus"/>.
/// </summary>
public abstract class TextSearchContract : IDisposable
{
    protected abstract ITrackingStore CreateStore();

    private ITrackingStore? _store;
    private TextSearchCorpus? _corpus;
    protected ITrackingStore Store => _store ??= CreateStore();
    private TextSearchCorpus Corpus => _corpus ??= TextSearchCorpus.Fill(Store);

    public virtual void Dispose()
    {
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }

    private IReadOnlyList<SearchHit> Search(string text, int limit = 20)
    {
        _ = Corpus;
        return Store.SearchText(text, limit);
    }

    [Fact]
    public void A_run_is_found_by_a_prefix_of_a_word_of_its_name()
    {
        var hit = Search("resn")[0];
        Assert.Equal((SearchHitKind.Run, "resnet50-finetune", Corpus.Resnet.RunId), (hit.Kind, hit.Title, hit.RunId));
        Assert.Contains("vision-baselines", hit.Detail);
        Assert.Equal(Corpus.VisionId, hit.ExperimentId);
        Assert.Equal("resnet50-finetune", hit.MatchedText);
        Assert.True(hit.Score > 0);
        Assert.False(hit.Fuzzy);
    }

    [Fact]
    public void A_run_is_found_by_its_id_and_an_unnamed_run_is_labelled_by_it()
    {
        var id = Corpus.Unnamed.RunId;
        var hit = Assert.Single(Search(id), h => h.Kind == SearchHitKind.Run);
        Assert.Equal((id[..8], id), (hit.Title, hit.RunId));
    }

    [Fact]
    public void Params_tags_metric_keys_artifacts_and_experiments_are_found()
    {
        var param = Assert.Single(Search("adamw"), h => !h.Fuzzy);
        Assert.Equal((SearchHitKind.Param, "optimizer = adamw", "run resnet50-finetune · vision-baselines", Corpus.Resnet.RunId, "adamw"),
            (param.Kind, param.Title, param.Detail, param.RunId, param.MatchedText));
        Assert.Contains(Search("alice"), h => h.Kind == SearchHitKind.Tag && h.Title == "owner = alice");
        Assert.Contains(Search("best_model"), h => h.Kind == SearchHitKind.Artifact && h.Title == "checkpoints/best_model.pt");
        var experiment = Assert.Single(Search("vision"), h => h.Kind == SearchHitKind.Experiment);
        Assert.Equal(("vision-baselines", "experiment", null, Corpus.VisionId), (experiment.Title, experiment.Detail, experiment.RunId, experiment.ExperimentId));
    }

    [Fact]
    public void A_metric_key_or_artifact_path_of_several_runs_is_one_hit_from_the_most_recent_run()
    {
        var metric = Assert.Single(Search("val_acc"), h => h.Kind == SearchHitKind.Metric);
        Assert.Equal((Corpus.Resnet.RunId, "latest in run resnet50-finetune · vision-baselines"), (metric.RunId, metric.Detail));
        Assert.Equal(Corpus.Resnet.RunId, Assert.Single(Search("checkpoints"), h => h.Kind == SearchHitKind.Artifact).RunId);
    }

    [Fact]
    public void Every_word_must_match_as_a_prefix()
    {
        Assert.Equal(["learning_rate = 0.001"], Search("learn 0 001").Where(h => !h.Fuzzy).Select(h => h.Title));
        Assert.Empty(Search("learning sgdxyz"));
    }

    [Fact]
    public void Recent_runs_rank_above_old_ones_for_equal_matches()
    {
        var hits = Search("optimizer").Where(h => h.Kind == SearchHitKind.Param).ToList();
        Assert.Equal([Corpus.Resnet.RunId, Corpus.Unnamed.RunId, Corpus.Bert.RunId], hits.Select(h => h.RunId));
        Assert.True(hits[0].Score > hits[2].Score);
    }

    [Fact]
    public void A_title_match_ranks_above_a_detail_match()
    {
        var hits = Search("resnet");
        Assert.Equal(SearchHitKind.Run, hits[0].Kind);
        var param = Assert.Single(hits, h => h.Kind == SearchHitKind.Param);
        Assert.Equal(("base_model = resnet18", "resnet18"), (param.Title, param.MatchedText));
    }

    [Fact]
    public void A_typo_is_tolerated_when_nothing_matches_exactly()
    {
        var hits = Search("resnte");
        Assert.Contains(hits, h => h.RunId == Corpus.Resnet.RunId && h.Kind == SearchHitKind.Run && h.Fuzzy);
        Assert.Contains(Search("optimzer"), h => h.Kind == SearchHitKind.Param && h.Fuzzy);
        Assert.Empty(Search("zzqx"));
    }

    [Fact]
    public void Exact_hits_come_before_typo_hits_and_are_not_marked_fuzzy()
    {
        var hits = Search("adam");
        Assert.All(hits, h => Assert.False(h.Fuzzy));
        Assert.Equal(["optimizer = adamw", "optimizer = adam"], hits.Select(h => h.Title));
    }

    [Fact]
    public void The_index_follows_renames_tag_changes_and_deletes()
    {
        Store.UpdateRun(Corpus.Bert.RunId, new Runs.RunUpdate { Name = "distilbert-small" });
        Assert.Contains(Search("distil"), h => h.RunId == Corpus.Bert.RunId && h.Kind == SearchHitKind.Run);
        Assert.DoesNotContain(Search("bert"), h => h.Kind == SearchHitKind.Run && h.Title == "bert-base");
        Store.SetTag(Corpus.Resnet.RunId, "owner", "carol");
        Assert.DoesNotContain(Search("alice"), h => h.Kind == SearchHitKind.Tag);
        Assert.Contains(Search("carol"), h => h.Kind == SearchHitKind.Tag && h.Title == "owner = carol");
        Store.DeleteTag(Corpus.Resnet.RunId, "owner");
        Assert.DoesNotContain(Search("carol"), h => h.Kind == SearchHitKind.Tag);
    }

    [Fact]
    public void Deleted_runs_and_experiments_are_left_out_until_restored()
    {
        Store.DeleteRun(Corpus.Resnet.RunId);
        Assert.DoesNotContain(Search("resnet"), h => h.RunId == Corpus.Resnet.RunId);
        Store.RestoreRun(Corpus.Resnet.RunId);
        Assert.Contains(Search("resnet"), h => h.RunId == Corpus.Resnet.RunId);
        Store.DeleteExperiment(Corpus.VisionId);
        Assert.DoesNotContain(Search("vision"), h => h.ExperimentId == Corpus.VisionId);
        Assert.DoesNotContain(Search("optimizer"), h => h.ExperimentId == Corpus.VisionId);
    }

    [Fact]
    public void Experiment_renames_are_followed()
    {
        Store.RenameExperiment(Corpus.VisionId, "imagery");
        Assert.Contains(Search("imagery"), h => h.Kind == SearchHitKind.Experiment);
        Assert.Contains(Search("adamw"), h => h.Detail == "run resnet50-finetune · imagery");
    }

    [Fact]
    public void The_limit_caps_the_hits()
    {
        Assert.Equal(2, Search("val", limit: 2).Count);
    }

    [Fact]
    public void Blank_or_symbol_only_text_finds_nothing_and_a_bad_limit_is_refused()
    {
        Assert.Empty(Search("   "));
        Assert.Empty(Search("\"*()':&|!"));
        var e = Assert.Throws<StoreException>(() => Search("x", limit: 0));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("limit", e.Message);
        Assert.Throws<StoreException>(() => Search("x", limit: 201));
    }
}
