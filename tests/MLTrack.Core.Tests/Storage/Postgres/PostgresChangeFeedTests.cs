using MLTrack.Core.Deploy;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using Xunit.Abstractions;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>What one replica writes reaches the change feed of another, through the database.</summary>
public sealed class PostgresChangeFeedTests(PostgresChangeFeedFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresChangeFeedFixture>
{
    private static readonly ChangeFeedOptions Fast = new()
    {
        SafetyInterval = TimeSpan.FromMilliseconds(300),
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        Log = TextWriter.Null,
    };

    private readonly PostgresTrackingStore _writer = fixture.OpenStore();
    private readonly PostgresTrackingStore _reader = fixture.OpenStore();

    [Fact]
    public async Task A_run_created_on_one_store_is_delivered_to_the_feed_of_another()
    {
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));
        var exp = _writer.CreateExperiment("feed-created");
        var written = DateTime.UtcNow;
        var run = _writer.CreateRun(new NewRun { Name = "from-a", ExperimentId = exp.ExperimentId });

        var (created, at) = await changes.WaitFor(c => c.RunId == run.RunId);
        Assert.Equal((StoreChangeKind.RunCreated, exp.ExperimentId, "RUNNING", "from-a"), (created.Kind, created.ExperimentId, created.Status, created.Name));
        output.WriteLine($"write on A → change on B: {(at - written).TotalMilliseconds:0.0} ms (includes the write)");
    }

    [Fact]
    public async Task Metrics_logged_on_one_store_are_delivered_to_the_feed_of_another_with_their_latest_values()
    {
        var run = _writer.CreateRun(new NewRun { Name = "metrics" });
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));

        _writer.LogBatch(run.RunId, new RunBatch { Metrics = [new("loss", 0.5, 1, 0), new("loss", 0.25, 2, 1), new("acc", double.NaN, 2, 1)] });

        var appended = (await changes.WaitFor(c => c.RunId == run.RunId && c.Kind == StoreChangeKind.MetricsAppended)).Change;
        Assert.Equal(["acc", "loss"], appended.Keys.Order());
        Assert.Equal(0.25, appended.Latest!["loss"]);
        Assert.True(double.IsNaN(appended.Latest["acc"]));
        Assert.Equal(("RUNNING", "metrics"), (appended.Status, appended.Name));
    }

    [Fact]
    public async Task Changes_arrive_on_the_other_store_well_within_a_second()
    {
        var run = _writer.CreateRun(new NewRun { Name = "latency" });
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));
        List<double> total = [], writes = [];
        for (var i = 0; i < 20; i++)
        {
            var started = DateTime.UtcNow;
            _writer.SetTag(run.RunId, "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writes.Add((DateTime.UtcNow - started).TotalMilliseconds);
            var (_, at) = await changes.WaitForNth(c => c.RunId == run.RunId, i + 1);
            total.Add((at - started).TotalMilliseconds);
        }
        total.Sort();
        writes.Sort();
        output.WriteLine($"SetTag on A → change on B: p50 {total[10]:0.0} ms, max {total[^1]:0.0} ms (the write alone: p50 {writes[10]:0.0} ms)");
        Assert.Equal(20, changes.All.Count(c => c.RunId == run.RunId));
        Assert.InRange(total[^1], 0, 1000);
    }

    [Fact]
    public async Task Status_tags_deletion_and_restoration_are_delivered_as_what_they_are()
    {
        var run = _writer.CreateRun(new NewRun { Name = "lifecycle" });
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));

        _writer.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = 1 });
        var status = (await changes.WaitFor(c => c.RunId == run.RunId && c.Kind == StoreChangeKind.RunUpdated)).Change;
        Assert.Equal((RunChangeFields.Status, "FINISHED"), (status.Fields, status.Status));

        _writer.SetTag(run.RunId, "team", "vision");
        await changes.WaitFor(c => c.RunId == run.RunId && c.Fields == RunChangeFields.Tags);
        _writer.DeleteRun(run.RunId);
        await changes.WaitFor(c => c.RunId == run.RunId && c.Kind == StoreChangeKind.RunDeleted);
        _writer.RestoreRun(run.RunId);
        await changes.WaitFor(c => c.RunId == run.RunId && c.Kind == StoreChangeKind.RunRestored);

        Assert.Equal(
            [StoreChangeKind.RunUpdated, StoreChangeKind.RunUpdated, StoreChangeKind.RunDeleted, StoreChangeKind.RunRestored],
            changes.All.Where(c => c.RunId == run.RunId).Select(c => c.Kind));
    }

    [Fact]
    public async Task What_was_committed_before_the_feed_opened_is_not_delivered()
    {
        var before = _writer.CreateRun(new NewRun { Name = "before" });
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));
        var after = _writer.CreateRun(new NewRun { Name = "after" });

        await changes.WaitFor(c => c.RunId == after.RunId);
        await Task.Delay(Fast.SafetyInterval * 2); // a table read or two later, still nothing about the earlier run
        Assert.DoesNotContain(changes.All, c => c.RunId == before.RunId);
    }

    [Fact]
    public async Task A_run_created_with_tags_is_one_creation()
    {
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));
        var run = _writer.CreateRun(new NewRun { Name = "tagged", Tags = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } });

        await changes.WaitFor(c => c.RunId == run.RunId);
        await Task.Delay(Fast.SafetyInterval * 2);
        Assert.Equal(StoreChangeKind.RunCreated, Assert.Single(changes.All, c => c.RunId == run.RunId).Kind);
    }

    [Fact]
    public async Task Deployments_and_preferences_saved_on_one_store_are_delivered_to_another()
    {
        await using var changes = new ChangeRecorder(_reader.OpenChangeFeed(Fast));
        var run = _writer.CreateRun(new NewRun { Name = "deployed" });
        _writer.SaveDeployment(new DeploymentRecord
        {
            DeploymentId = "dep-feed-1",
            RunId = run.RunId,
            Target = "local",
            Name = "app",
            Settings = new DeploymentSettings(),
            Status = DeploymentStatus.READY,
        });
        _writer.SavePreferences("ada", """{"theme":"dark"}""");

        var deployment = (await changes.WaitFor(c => c.Kind == StoreChangeKind.DeploymentChanged)).Change;
        Assert.Equal(("dep-feed-1", run.RunId), (deployment.DeploymentId, deployment.RunId));
        Assert.Equal("ada", (await changes.WaitFor(c => c.Kind == StoreChangeKind.PreferencesChanged)).Change.User);
    }

    [Fact]
    public async Task A_feed_whose_connection_is_killed_reconnects_and_delivers_what_was_written_meanwhile_once()
    {
        await using var feed = (PostgresChangeFeed)_reader.OpenChangeFeed(Fast with { ReconnectDelay = TimeSpan.FromMilliseconds(500) });
        await using var changes = new ChangeRecorder(feed);
        var live = _writer.CreateRun(new NewRun { Name = "before-the-cut" });
        await changes.WaitFor(c => c.RunId == live.RunId);

        fixture.Database.Execute("SELECT pg_terminate_backend(@pid)", ("pid", feed.BackendProcessId!.Value));
        for (var i = 0; feed.Connected && i < 100; i++) await Task.Delay(10);
        Assert.False(feed.Connected, "the feed noticed the connection was gone");
        // Written while the feed waits to reconnect: NOTIFY reaches no one, only the change table has them.
        var meanwhile = Enumerable.Range(0, 20).Select(i => _writer.CreateRun(new NewRun { Name = $"meanwhile-{i}" }).RunId).ToList();
        _writer.UpdateRun(live.RunId, new RunUpdate { Status = RunStatus.FAILED, EndTime = 1 });

        foreach (var id in meanwhile) await changes.WaitFor(c => c.RunId == id);
        await changes.WaitFor(c => c.RunId == live.RunId && c.Kind == StoreChangeKind.RunUpdated);
        var after = _writer.CreateRun(new NewRun { Name = "after-the-cut" });
        await changes.WaitFor(c => c.RunId == after.RunId);
        await Task.Delay(Fast.SafetyInterval * 3); // more table reads: nothing comes twice

        Assert.True(feed.Reconnects >= 1, "the feed reconnected");
        var ids = changes.All.Where(c => c.Kind == StoreChangeKind.RunCreated).Select(c => c.RunId).ToList();
        Assert.Equal([live.RunId, .. meanwhile, after.RunId], ids);
        Assert.Single(changes.All, c => c.RunId == live.RunId && c.Kind == StoreChangeKind.RunUpdated);
    }

    [Fact]
    public async Task Disposing_the_feed_completes_its_changes()
    {
        var feed = _reader.OpenChangeFeed(Fast);
        await feed.DisposeAsync();
        await feed.Changes.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
