using MLTrack.Core.Reports;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Reports;

public sealed class ReproducibilityTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(ReportType.Executive)]
    [InlineData(ReportType.Technical)]
    [InlineData(ReportType.Cost)]
    public void The_same_data_and_range_give_the_same_files_byte_for_byte(ReportType type)
    {
        var e = _f.Experiment("vision");
        for (var i = 0; i < 6; i++)
            _f.Run(e, ReportFixture.Jan1.AddDays(i), i == 4 ? RunStatus.FAILED : RunStatus.FINISHED, name: $"r{i}",
                parameters: Metric.Params(("lr", $"0.0{i + 1}")), metrics: Metric.Of(("acc", [0.5 + i / 20.0]), ("loss", [1, 0.6, 0.3 + i / 100.0])));
        var service = _f.Service();
        var first = service.Generate(_f.January(type));
        _f.Clock.Now = _f.Clock.Now.AddDays(3);
        var second = service.Generate(_f.January(type));
        Assert.NotEqual(first.ReportId, second.ReportId);
        Assert.NotEqual(first.CreatedAt, second.CreatedAt);

        var a = service.Folder(first);
        var b = service.Folder(second);
        var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(a, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(b, p)).Order(StringComparer.Ordinal));
        Assert.Contains("report.md", files);
        Assert.Contains("report.html", files);
        Assert.Contains(files, f => f.EndsWith(".png", StringComparison.Ordinal));
        foreach (var file in files) Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
    }
}
