using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Tests.Cli;

namespace MLTrack.Server.Tests.Reports;

public sealed class ReportCommandTests : IDisposable
{
    private static readonly DateTimeOffset Jan1 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Seed()
    {
        using var store = _cli.OpenStore();
        var e = store.CreateExperiment("vision").ExperimentId;
        for (var i = 0; i < 5; i++)
        {
            var start = Jan1.AddDays(3 + i).ToUnixTimeMilliseconds();
            var run = store.CreateRun(new NewRun { ExperimentId = e, Name = $"r{i}", StartTime = start });
            store.LogBatch(run.RunId, new RunBatch { Metrics = [new("acc", 0.5 + i / 10.0, start, 0), new("loss", 1, start, 0), new("loss", 0.5, start, 1), new("loss", 0.2, start, 2)] });
            store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = start + 3_600_000 });
        }
    }

    private string Out(string name) => Path.Combine(_cli.Dir, name);

    private static readonly string[] January = ["--from", "2025-01-01", "--to", "2025-01-31", "--time-zone", "UTC"];

    [Fact]
    public async Task Writes_an_html_report_and_records_it_for_the_panels()
    {
        Seed();
        var (exit, stdout, stderr) = await _cli.Run(["report", "--type", "executive", .. January, "--out", Out("r.html")]);
        Assert.True(exit == 0, stderr);
        var html = File.ReadAllText(Out("r.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.Contains($"Wrote {Out("r.html")}", stdout);
        using var store = _cli.OpenStore();
        var record = Assert.Single(store.ListReports());
        Assert.Equal("executive", record.Type);
        Assert.Contains(record.ReportId, stdout);
    }

    [Fact]
    public async Task A_date_to_includes_that_whole_day_in_the_given_zone()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run(["report", "--type", "cost", .. January, "--out", Out("c.html")]);
        Assert.True(exit == 0, stderr);
        using var store = _cli.OpenStore();
        var record = Assert.Single(store.ListReports());
        Assert.Equal(Jan1.ToUnixTimeMilliseconds(), record.From);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), record.To);
        Assert.Equal("UTC", record.TimeZone);
    }

    [Fact]
    public async Task Markdown_goes_by_the_extension_with_its_charts_in_a_files_folder()
    {
        Seed();
        var (exit, stdout, stderr) = await _cli.Run(["report", "--type", "technical", .. January, "--out", Out("t.md")]);
        Assert.True(exit == 0, stderr);
        var md = File.ReadAllText(Out("t.md"));
        Assert.StartsWith("# Technical report: all experiments, 2025-01-01 to 2025-01-31", md);
        Assert.Contains("](t_files/activity.png)", md);
        Assert.True(new FileInfo(Path.Combine(_cli.Dir, "t_files", "activity.png")).Length > 1000);
        Assert.Contains("charts in t_files/", stdout);
    }

    [Fact]
    public async Task Progress_goes_to_stderr_as_plain_lines_when_it_is_not_a_terminal()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run(["report", "--type", "executive", .. January, "--out", Out("r.html")]);
        Assert.Equal(0, exit);
        Assert.Contains("mltrack report: Counting runs...\n", stderr.ReplaceLineEndings("\n"));
        Assert.Contains("mltrack report: Drawing charts...\n", stderr.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("\r", stderr);
    }

    [Fact]
    public async Task An_experiment_is_chosen_by_name()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run(["report", "--type", "executive", .. January, "--experiment", "vision", "--format", "md", "--out", Out("v.txt")]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("**Scope:** experiment vision", File.ReadAllText(Out("v.txt")));
    }

    [Theory]
    [InlineData("--type weekly", "Unknown report type 'weekly'")]
    [InlineData("--type executive --from 2025-02-01 --to 2025-01-01", "starts after it ends")]
    [InlineData("--type executive --from yesterday", "--from 'yesterday' is not a date")]
    [InlineData("--type executive --experiment nope", "Unknown experiment 'nope'")]
    [InlineData("--type executive --format pdf", "Unknown report format 'pdf'")]
    [InlineData("--type executive --time-zone Mars/Base", "Unknown time zone 'Mars/Base'")]
    public async Task Bad_input_exits_2_with_the_reason(string args, string reason)
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run(["report", .. args.Split(' '), "--out", Out("x.html")]);
        Assert.Equal(2, exit);
        Assert.Contains(reason, stderr);
        Assert.False(File.Exists(Out("x.html")));
    }

    [Fact]
    public async Task Missing_out_exits_2()
    {
        var (exit, _, stderr) = await _cli.Run("report", "--type", "executive");
        Assert.Equal(2, exit);
        Assert.Contains("--out FILE is required", stderr);
    }

    [Fact]
    public async Task An_empty_range_writes_a_report_saying_so()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run("report", "--type", "executive", "--from", "2024-01-01", "--to", "2024-01-31", "--time-zone", "UTC", "--out", Out("e.md"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("No runs started in this range (2024-01-01 to 2024-01-31)", File.ReadAllText(Out("e.md")));
    }

    [Fact]
    public async Task The_real_executable_writes_the_report()
    {
        Seed();
        using var p = _cli.Start("report", "--type", "executive", "--from", "2025-01-01", "--to", "2025-01-31", "--time-zone", "UTC", "--out", Out("p.html"));
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await stderr);
        Assert.Contains("Wrote", stdout);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(Out("p.html")));
    }
}
