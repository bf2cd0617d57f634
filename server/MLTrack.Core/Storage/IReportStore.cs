using MLTrack.Core.Reports;

namespace MLTrack.Core.Storage;

/// <summary>Records of generated reports (the files are in the reports folder).</summary>
public interface IReportStore
{
    /// <summary>Inserts or replaces the record with its id.</summary>
    void SaveReport(ReportRecord report);
    ReportRecord? FindReport(string reportId);
    /// <summary>Reports whose window overlaps [from, to) (either bound optional), of one type when given; newest first.</summary>
    IReadOnlyList<ReportRecord> ListReports(long? from = null, long? to = null, string? type = null);
    bool DeleteReport(string reportId);
}
