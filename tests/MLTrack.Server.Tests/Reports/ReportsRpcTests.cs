using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using MLTrack.Server.Tests.Rpc;

namespace MLTrack.Server.Tests.Reports;

public sealed class ReportsRpcTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan1 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RpcHarness _h = new();

    public async Task InitializeAsync()
    {
        await _h.InitializeAsync();
        var e = _h.Store.CreateExperiment("vision").ExperimentId;
        for (var i = 0; i < 4; i++)
        {
            var start = Jan1.AddDays(2 + i).ToUnixTimeMilliseconds();
            var run = _h.Store.CreateRun(new NewRun { ExperimentId = e, Name = $"r{i}", StartTime = start });
            _h.Store.LogBatch(run.RunId, new RunBatch { Metrics = [new("acc", 0.6 + i / 10.0, start, 0)] });
            _h.Store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = start + 1_800_000 });
        }
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static object January(string type) => new
    {
        type,
        from = Jan1.ToUnixTimeMilliseconds(),
        to = Jan1.AddMonths(1).ToUnixTimeMilliseconds(),
        timeZone = "UTC",
    };

    [Fact]
    public async Task Generate_returns_the_stored_report_and_list_shows_it()
    {
        var info = await _h.Call<ReportInfo>(RpcMethods.ReportsGenerate, January("executive"));
        Assert.Equal("executive", info.Type);
        Assert.Equal("Executive summary: all experiments, 2025-01-01 to 2025-01-31", info.Title);
        Assert.True(info.SizeBytes > 1000);
        var list = await _h.Call<List<ReportInfo>>(RpcMethods.ReportsList, new { type = "executive" });
        Assert.Equal(info.ReportId, Assert.Single(list).ReportId);
        Assert.Empty(await _h.Call<List<ReportInfo>>(RpcMethods.ReportsList, new { type = "cost" }));
    }

    [Fact]
    public async Task Content_is_html_with_inline_svg_or_markdown_with_data_uris()
    {
        var info = await _h.Call<ReportInfo>(RpcMethods.ReportsGenerate, January("technical"));
        var html = await _h.Call<ReportContentResult>(RpcMethods.ReportsContent, new { reportId = info.ReportId, format = "html" });
        Assert.Equal("html", html.Format);
        Assert.Equal(info.ReportId, html.Info.ReportId);
        Assert.Contains("<svg", html.Content);
        var md = await _h.Call<ReportContentResult>(RpcMethods.ReportsContent, new { reportId = info.ReportId, format = "md" });
        Assert.Contains("](data:image/png;base64,", md.Content);
    }

    [Fact]
    public async Task Export_writes_markdown_with_its_charts_beside_it()
    {
        var info = await _h.Call<ReportInfo>(RpcMethods.ReportsGenerate, January("executive"));
        var path = Path.Combine(_h.Dir, "export", "summary.md");
        var result = await _h.Call<ReportExportResult>(RpcMethods.ReportsExport, new { reportId = info.ReportId, format = "md", path });
        Assert.Equal(path, result.Files[0]);
        Assert.All(result.Files.Skip(1), f => Assert.StartsWith(Path.Combine(_h.Dir, "export", "summary_files"), f));
        Assert.All(result.Files, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public async Task Delete_removes_it_and_a_second_delete_is_not_found()
    {
        var info = await _h.Call<ReportInfo>(RpcMethods.ReportsGenerate, January("cost"));
        await _h.Call(RpcMethods.ReportsDelete, new { reportId = info.ReportId });
        Assert.Empty(await _h.Call<List<ReportInfo>>(RpcMethods.ReportsList, new { }));
        var (code, data, _) = await _h.ErrorOf(RpcMethods.ReportsDelete, new { reportId = info.ReportId });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", data.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_range_that_starts_after_it_ends_is_an_invalid_parameter_naming_both_ends()
    {
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ReportsGenerate,
            new { type = "executive", from = Jan1.AddMonths(1).ToUnixTimeMilliseconds(), to = Jan1.ToUnixTimeMilliseconds() });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("starts after it ends", message);
    }

    [Fact]
    public async Task An_unknown_type_is_an_invalid_parameter()
    {
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ReportsGenerate, new { type = "weekly" });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("executive, technical or cost", message);
    }

    [Fact]
    public async Task List_refuses_a_range_that_starts_after_it_ends()
    {
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ReportsList, new { from = 2000, to = 1000 });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("starts after it ends", message);
    }

    [Fact]
    public async Task Content_of_an_unknown_report_is_not_found()
    {
        var (code, _, _) = await _h.ErrorOf(RpcMethods.ReportsContent, new { reportId = new string('a', 32), format = "html" });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
    }

    [Fact]
    public async Task Export_needs_an_absolute_path()
    {
        var info = await _h.Call<ReportInfo>(RpcMethods.ReportsGenerate, January("executive"));
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ReportsExport, new { reportId = info.ReportId, format = "html", path = "r.html" });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("absolute", message);
    }
}
