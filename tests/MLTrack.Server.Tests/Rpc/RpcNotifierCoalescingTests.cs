using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Changes to one run inside a coalescing window are merged into one notification that tells the run's state.</summary>
public sealed class RpcNotifierCoalescingTests
{
    private static async Task<List<RunChangedParams>> CoalesceAsync(params RunChangeKind[] kinds)
    {
        var sent = new List<RunChangedParams>();
        var options = new RpcOptions { RunChangeInterval = TimeSpan.FromHours(1), LogFlushInterval = TimeSpan.FromHours(1) };
        await using var notifier = new RpcNotifier((method, p) =>
        {
            lock (sent) if (p is RunChangedParams c) sent.Add(c);
            return Task.CompletedTask;
        }, options);
        foreach (var kind in kinds) notifier.RunChanged("r1", kind, "RUNNING");
        await notifier.FlushAsync(force: true);
        lock (sent) return [.. sent];
    }

    [Fact]
    public async Task A_restore_right_after_a_delete_is_reported_as_restored()
    {
        var sent = await CoalesceAsync(RunChangeKind.Status, RunChangeKind.Deleted, RunChangeKind.Restored);
        Assert.Equal("restored", Assert.Single(sent).Kind);
    }

    [Fact]
    public async Task A_delete_right_after_a_restore_is_reported_as_deleted()
    {
        var sent = await CoalesceAsync(RunChangeKind.Status, RunChangeKind.Restored, RunChangeKind.Deleted);
        Assert.Equal("deleted", Assert.Single(sent).Kind);
    }

    [Fact]
    public async Task A_tag_change_after_a_delete_still_reports_deleted()
    {
        var sent = await CoalesceAsync(RunChangeKind.Status, RunChangeKind.Deleted, RunChangeKind.Tags);
        Assert.Equal("deleted", Assert.Single(sent).Kind);
    }
}
