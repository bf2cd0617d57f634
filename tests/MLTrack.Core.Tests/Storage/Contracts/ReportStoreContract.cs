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

/// <summary>What every store does for IReportStore: report records. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class ReportStoreContract : StoreContract
{
    [Fact]
    public void Reports_are_listed_by_overlapping_window_and_type_newest_first()
    {
        Store.SaveReport(Report("early", "cost", 0, 100, createdAt: 1));
        Store.SaveReport(Report("late", "executive", 100, 200, createdAt: 2));
        Store.SaveReport(Report("late", "executive", 100, 200, createdAt: 3) with { Title = "again" });

        Assert.Equal(["late", "early"], Store.ListReports().Select(r => r.ReportId));
        Assert.Equal(["early"], Store.ListReports(to: 100).Select(r => r.ReportId));
        Assert.Equal(["late"], Store.ListReports(from: 100).Select(r => r.ReportId));
        Assert.Equal(["early"], Store.ListReports(type: "cost").Select(r => r.ReportId));
        Assert.Equal("again", Store.FindReport("late")!.Title);
        Assert.True(Store.DeleteReport("late"));
        Assert.Null(Store.FindReport("late"));
    }

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
