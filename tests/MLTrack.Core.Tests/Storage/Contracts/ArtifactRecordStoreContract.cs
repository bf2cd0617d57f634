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

/// <summary>What every store does for IArtifactRecordStore: artifact records. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class ArtifactRecordStoreContract : StoreContract
{
    [Fact]
    public void Artifacts_are_recorded_with_size_and_hash()
    {
        var run = NewRun();
        Store.RecordArtifact(run.RunId, new ArtifactInfo("logs/output.log", 12, "ab"));
        Store.RecordArtifact(run.RunId, new ArtifactInfo("logs/output.log", 13, "cd"));
        Assert.Equal([new ArtifactInfo("logs/output.log", 13, "cd")], Store.ListArtifacts(run.RunId));
    }
}
