using System.Text.RegularExpressions;
using MLTrack.Core.Reports;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Reports;

public sealed class ReportServiceTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    private ReportRecord Generate(ReportType type = ReportType.Executive)
    {
        var e = _f.Experiment("vision");
        for (var i = 0; i < 4; i++) _f.Run(e, ReportFixture.Jan1.AddDays(i), metrics: Metric.Of(("acc", [0.5 + i / 10.0])));
        return _f.Service().Generate(_f.January(type));
    }

    [Fact]
    public void Generate_writes_the_files_and_records_the_report()
    {
        var record = Generate();
        var dir = _f.Service().Folder(record);
        Assert.True(File.Exists(Path.Combine(dir, "report.md")));
        Assert.Equal(new FileInfo(Path.Combine(dir, "report.html")).Length, record.SizeBytes);
        Assert.True(File.Exists(Path.Combine(dir, "charts", "activity.png")));
        var stored = _f.Store.FindReport(record.ReportId)!;
        Assert.Equal("executive", stored.Type);
        Assert.Equal(ReportFixture.Jan1.ToUnixTimeMilliseconds(), stored.From);
        Assert.Equal(ReportFixture.Feb1.ToUnixTimeMilliseconds(), stored.To);
        Assert.Equal("UTC", stored.TimeZone);
        Assert.Equal(_f.Clock.Now.ToUnixTimeMilliseconds(), stored.CreatedAt);
        Assert.Contains("\"cpuHourUsd\":0.047", stored.ParamsJson);
    }

    [Fact]
    public void Markdown_content_embeds_the_charts_as_png_data_uris()
    {
        var record = Generate();
        var md = _f.Service().Content(record.ReportId, ReportFormat.Md);
        Assert.DoesNotContain("](charts/", md);
        Assert.Matches(new Regex(@"!\[Runs per day\]\(data:image/png;base64,iVBORw0KGgo[A-Za-z0-9+/=]+\)"), md);
    }

    [Fact]
    public void Text_from_the_data_that_looks_like_a_chart_link_is_left_alone()
    {
        var e = _f.Experiment("x](charts/activity.png) ![y](charts/activity.png)");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("acc", [0.5])));
        var record = _f.Service().Generate(_f.January(ReportType.Executive));
        var md = _f.Service().Content(record.ReportId, ReportFormat.Md);
        Assert.Contains("x\\](charts/activity.png) !\\[y\\](charts/activity.png)", md);
        Assert.Matches(new Regex(@"!\[Runs per day\]\(data:image/png;base64,"), md);
    }

    [Fact]
    public void Html_content_is_the_stored_page()
    {
        var record = Generate();
        var service = _f.Service();
        Assert.Equal(File.ReadAllText(Path.Combine(service.Folder(record), "report.html")), service.Content(record.ReportId, ReportFormat.Html));
    }

    [Fact]
    public void Markdown_export_writes_the_charts_into_a_files_folder_beside_it()
    {
        var record = Generate();
        var target = Path.Combine(_f.Dir, "out", "my report.md");
        var files = _f.Service().Export(record.ReportId, ReportFormat.Md, target);
        Assert.Equal(target, files[0]);
        var charts = Directory.GetFiles(Path.Combine(_f.Service().Folder(record), "charts"));
        Assert.Equal(charts.Length, files.Count - 1);
        var activity = Path.Combine(_f.Dir, "out", "my report_files", "activity.png");
        Assert.Contains(activity, files);
        Assert.Contains("](my%20report_files/activity.png)", File.ReadAllText(target));
        Assert.DoesNotContain("](charts/", File.ReadAllText(target));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_f.Service().Folder(record), "charts", "activity.png")), File.ReadAllBytes(activity));
    }

    [Fact]
    public void Html_export_is_one_file()
    {
        var record = Generate();
        var target = Path.Combine(_f.Dir, "r.html");
        Assert.Equal([target], _f.Service().Export(record.ReportId, ReportFormat.Html, target));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(target));
    }

    [Fact]
    public void Delete_removes_the_record_and_the_files()
    {
        var record = Generate();
        var service = _f.Service();
        service.Delete(record.ReportId);
        Assert.Null(_f.Store.FindReport(record.ReportId));
        Assert.False(Directory.Exists(service.Folder(record)));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, Assert.Throws<StoreException>(() => service.Delete(record.ReportId)).Code);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("../../etc")]
    public void An_unknown_or_malformed_id_is_not_found(string id)
    {
        var e = Assert.Throws<StoreException>(() => _f.Service().Content(id, ReportFormat.Html));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void List_filters_by_type_newest_first()
    {
        var executive = Generate();
        _f.Clock.Now = _f.Clock.Now.AddMinutes(1);
        var cost = _f.Service().Generate(_f.January(ReportType.Cost));
        Assert.Equal([cost.ReportId, executive.ReportId], _f.Service().List().Select(r => r.ReportId));
        Assert.Equal([cost.ReportId], _f.Service().List(type: ReportType.Cost).Select(r => r.ReportId));
    }
}
