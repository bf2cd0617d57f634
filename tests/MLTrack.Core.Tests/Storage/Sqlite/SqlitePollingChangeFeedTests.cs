using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage.Sqlite;

/// <summary>The polling feed finds deletions and restorations by other writers from a cheap signal first.</summary>
public sealed class SqlitePollingChangeFeedTests
{
    [Fact]
    public void The_cheap_signal_expects_the_previous_counts_plus_the_runs_seen_created()
    {
        var before = new Dictionary<string, int> { ["1"] = 3, ["2"] = 1 };
        Assert.True(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 3, ["2"] = 1 }, before, new Dictionary<string, int>()));
        Assert.True(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 4, ["2"] = 1 }, before, new Dictionary<string, int> { ["1"] = 1 }));
        Assert.False(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 2, ["2"] = 1 }, before, new Dictionary<string, int>()), "one deleted");
        Assert.False(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 3 }, before, new Dictionary<string, int>()), "the last run of an experiment deleted");
        Assert.False(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 3, ["2"] = 1 }, before, new Dictionary<string, int> { ["1"] = 1 }), "created and another deleted");
        Assert.False(SqlitePollingChangeFeed.SameCounts(new Dictionary<string, int> { ["1"] = 3, ["2"] = 1, ["3"] = 1 }, before, new Dictionary<string, int>()), "restored in a new experiment");
    }
}
