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

/// <summary>What every store does for IDeploymentStore: deployment records. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class DeploymentStoreContract : StoreContract
{
    [Fact]
    public void Deployments_are_saved_replaced_listed_newest_first_and_deleted()
    {
        Store.SaveDeployment(Deployment("d1", "r1", createdAt: 1));
        Store.SaveDeployment(Deployment("d2", "r2", createdAt: 2));
        Store.SaveDeployment(Deployment("d1", "r1", createdAt: 1) with { Status = DeploymentStatus.READY, EndpointUrl = "http://x", HostPid = 7, HostName = "replica-a" });

        Assert.Equal(["d2", "d1"], Store.ListDeployments().Select(d => d.DeploymentId));
        Assert.Equal(["d1"], Store.ListDeployments("r1").Select(d => d.DeploymentId));
        var d1 = Store.FindDeployment("d1")!;
        Assert.Equal((DeploymentStatus.READY, "http://x", 7, "replica-a", 2.0), (d1.Status, d1.EndpointUrl, d1.HostPid, d1.HostName, d1.Settings.Cpu));
        Assert.True(Store.DeleteDeployment("d1"));
        Assert.False(Store.DeleteDeployment("d1"));
        Assert.Null(Store.FindDeployment("d1"));
    }

    private static DeploymentRecord Deployment(string id, string runId, long createdAt) => new()
    {
        DeploymentId = id,
        RunId = runId,
        Target = "local",
        Name = id,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        Settings = new DeploymentSettings { Cpu = 2 },
    };
}
