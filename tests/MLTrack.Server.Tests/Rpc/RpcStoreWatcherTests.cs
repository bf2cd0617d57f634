using MLTrack.Core.Runs;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Runs deleted and restored by another writer (the REST API, mlflow.delete_run) reach the client as runs/changed.</summary>
public sealed class RpcStoreWatcherTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_run_deleted_and_restored_through_another_store_connection_is_notified()
    {
        using var other = Core.Storage.Sqlite.SqliteTrackingStore.Open(_h.Store.Location);
        var exp = other.CreateExperiment("elsewhere");
        var keep = other.CreateRun(new NewRun { Name = "keep", ExperimentId = exp.ExperimentId });
        var doomed = other.CreateRun(new NewRun { Name = "doomed", ExperimentId = exp.ExperimentId });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == doomed.RunId && c.Kind == "created");

        other.DeleteRun(doomed.RunId);
        var deleted = await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == doomed.RunId && c.Kind == "deleted");
        Assert.Equal((exp.ExperimentId, "doomed"), (deleted.ExperimentId, deleted.Name));

        other.RestoreRun(doomed.RunId);
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == doomed.RunId && c.Kind == "restored");

        // a deletion in the same poll as a creation in the same experiment (the counts stay the same) is still found
        other.DeleteRun(keep.RunId);
        var fresh = other.CreateRun(new NewRun { Name = "fresh", ExperimentId = exp.ExperimentId });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == keep.RunId && c.Kind == "deleted");
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == fresh.RunId && c.Kind == "created");
        Assert.DoesNotContain(_h.Notifications.RunChanges, c => c.RunId == fresh.RunId && c.Kind is "deleted" or "restored");
    }
}
