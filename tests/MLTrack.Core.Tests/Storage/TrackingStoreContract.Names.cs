using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage;

// Every store applies the name rule itself, whoever calls it; a refused write leaves nothing behind.
public abstract partial class TrackingStoreContract
{
    [Fact]
    public void A_batch_with_one_invisible_character_in_a_key_is_refused_whole()
    {
        var run = NewRun();

        var e = Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch
        {
            Metrics = [new("ok", 1, 1, 0), new("l\u202Eoss", 2, 1, 0)],
            Params = [new("lr", "0.1")],
        }));

        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("U+202E RIGHT-TO-LEFT OVERRIDE at position 1", e.Message);
        var stored = Store.GetRun(run.RunId);
        Assert.Empty(stored.Metrics);
        Assert.Empty(stored.Params);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\u200Bb")]
    [InlineData("a//b")]
    public void Param_and_tag_keys_follow_the_rule(string key)
    {
        var run = NewRun();

        Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch { Params = [new(key, "v")] }));
        Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch { Tags = [new(key, "v")] }));
        Assert.Throws<StoreException>(() => Store.SetTag(run.RunId, key, "v"));
        Assert.Throws<StoreException>(() => Store.SetExperimentTag(run.ExperimentId, key, "v"));
        Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { Tags = new Dictionary<string, string> { [key] = "v" } }));
        Assert.DoesNotContain(key, Store.GetRun(run.RunId).Tags.Keys);
    }

    [Fact]
    public void Run_and_experiment_names_with_invisible_characters_are_refused()
    {
        var run = NewRun(name: "before");

        Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { Name = "evil\u202Etxt.exe" }));
        Assert.Throws<StoreException>(() => Store.UpdateRun(run.RunId, new RunUpdate { Name = "two\nlines" }));
        Assert.Throws<StoreException>(() => Store.CreateExperiment("exp\u200B"));
        Assert.Throws<StoreException>(() => Store.RenameExperiment(run.ExperimentId, "exp\t"));
        Assert.Equal("before", Store.GetRun(run.RunId).Name);
    }
}
