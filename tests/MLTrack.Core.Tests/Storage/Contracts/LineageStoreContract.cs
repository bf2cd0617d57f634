using MLTrack.Core.Analytics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Contracts;

/// <summary>What every store does for ILineageStore: files runs read and wrote. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class LineageStoreContract : StoreContract
{
    [Fact]
    public void Run_files_replace_by_direction_and_path_and_are_found_by_hash()
    {
        var a = Store.CreateRun(new NewRun { StartTime = 1 });
        var b = Store.CreateRun(new NewRun { StartTime = 2 });
        Store.RecordRunFiles(a.RunId, [new RunFile(FileDirection.Output, "model.pt", 1, "h1"), new RunFile(FileDirection.Input, "data.csv", 5, "h0")]);
        Store.RecordRunFiles(a.RunId, [new RunFile(FileDirection.Output, "model.pt", 2, "h2")]);
        Store.RecordRunFiles(b.RunId, [new RunFile(FileDirection.Input, "model.pt", 2, "h2")]);

        Assert.Equal([new RunFile(FileDirection.Input, "data.csv", 5, "h0"), new RunFile(FileDirection.Output, "model.pt", 2, "h2")], Store.ListRunFiles(a.RunId));
        Assert.Equal([a.RunId, b.RunId], Store.FindRunsByFile("h2").Select(x => x.RunId));
        Store.DeleteRun(b.RunId);
        Assert.Equal([a.RunId], Store.FindRunsByFile("h2").Select(x => x.RunId));
    }
}
