using MLTrack.Core.Reports;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Reports;

/// <summary>A report's files are read without following symbolic links placed in its folder.</summary>
public sealed class ReportFolderLinkTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    private (ReportService Service, ReportRecord Record, string Outside) GenerateWithOutside()
    {
        var e = _f.Experiment("vision");
        _f.Run(e, ReportFixture.Jan1, metrics: Metric.Of(("acc", [0.5])));
        var service = _f.Service();
        var record = service.Generate(_f.January(ReportType.Executive));
        var outside = Path.Combine(_f.Dir, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.html"), "<p>secret</p>");
        return (service, record, outside);
    }

    [Fact]
    public void A_report_file_replaced_by_a_link_to_outside_is_not_read()
    {
        var (service, record, outside) = GenerateWithOutside();
        var html = Path.Combine(service.Folder(record), ReportService.HtmlFile);
        File.Delete(html);
        File.CreateSymbolicLink(html, Path.Combine(outside, "secret.html"));

        var e = Assert.Throws<StoreException>(() => service.Content(record.ReportId, ReportFormat.Html));

        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.DoesNotContain("secret", e.Message);
        Assert.DoesNotContain(_f.Dir, e.Message);
    }
}
