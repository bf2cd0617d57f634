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

/// <summary>What every store does for IPreferenceStore: per-user preferences. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class PreferenceStoreContract : StoreContract
{
    [Fact]
    public void Preferences_are_kept_per_user_and_replaced()
    {
        Assert.Null(Store.GetPreferences("ada"));
        Store.SavePreferences("ada", """{"density":"compact"}""");
        Store.SavePreferences("ada", """{"density":"roomy"}""");
        Store.SavePreferences("bob", "{}");

        Assert.Equal("""{"density":"roomy"}""", Store.GetPreferences("ada"));
        Assert.Equal("{}", Store.GetPreferences("bob"));
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

    private static ReportRecord Report(string id, string type, long from, long to, long createdAt) => new()
    {
        ReportId = id,
        Type = type,
        Title = id,
        From = from,
        To = to,
        TimeZone = "UTC",
        CreatedAt = createdAt,
    };
}
