using MLTrack.Core.Reports;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Reports;

public sealed class BadInputTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(ReportType.Executive)]
    [InlineData(ReportType.Technical)]
    public void A_range_without_runs_gives_an_empty_state_message(ReportType type)
    {
        var e = _f.Experiment("vision");
        _f.Run(e, ReportFixture.Feb1.AddDays(3));
        var report = _f.Generate(_f.January(type));
        Assert.Contains("No runs started in this range (2025-01-01 to 2025-01-31) in all experiments, so there is nothing to report.", report.Markdown);
        Assert.DoesNotContain("## Headline numbers", report.Markdown);
        Assert.Empty(report.Insights);
    }

    [Fact]
    public void A_range_that_starts_after_it_ends_is_refused_with_the_reason()
    {
        var request = _f.January(ReportType.Executive) with { From = ReportFixture.Feb1.ToUnixTimeMilliseconds(), To = ReportFixture.Jan1.ToUnixTimeMilliseconds() };
        var e = Assert.Throws<ArgumentException>(() => _f.Generate(request));
        Assert.Contains("starts after it ends", e.Message);
        Assert.Contains("2025-02-01", e.Message);
    }

    [Fact]
    public void An_unknown_experiment_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => _f.Generate(_f.January(ReportType.Executive) with { Experiment = "nope" }));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("'nope'", e.Message);
    }

    [Fact]
    public void A_negative_price_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => _f.Generate(_f.January(ReportType.Cost) with { CpuHourUsd = -1 }));
        Assert.Contains("cpuHourUsd", e.Message);
    }

    [Fact]
    public void An_unknown_type_name_is_refused_listing_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ReportTypes.Parse("weekly"));
        Assert.Equal("Unknown report type 'weekly': use executive, technical or cost.", e.Message);
    }

    [Fact]
    public void An_empty_store_with_the_all_preset_is_an_empty_report_not_an_error()
    {
        var report = _f.Generate(new ReportRequest { Type = ReportType.Executive, Preset = "all", TimeZone = "UTC" });
        Assert.Contains("so there are no runs to report on", report.Markdown);
    }
}
