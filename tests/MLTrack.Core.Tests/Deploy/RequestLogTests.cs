using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

public sealed class RequestLogTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "mltrack-requests-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Counts_requests_and_errors_and_takes_nearest_rank_percentiles_of_whole_lines_only()
    {
        var log = new RequestLog(_file);
        Assert.Equal(DeploymentStats.Empty, log.Read());

        var lines = Enumerable.Range(1, 100).Select(i => $$"""{"ts": 1, "path": "/predict", "status": {{(i % 10 == 0 ? 400 : 200)}}, "latency_ms": {{i}}.0}""");
        File.WriteAllText(_file, string.Join("\n", lines) + "\n" + """{"ts": 1, "path": "/predict", "sta""");

        var stats = log.Read();
        Assert.Equal(new DeploymentStats(100, 10, 50, 95, 99), stats);

        File.AppendAllText(_file, """tus": 500, "latency_ms": 1000.0}""" + "\n");
        stats = log.Read();
        Assert.Equal(101, stats.Requests);
        Assert.Equal(11, stats.Errors);
        Assert.Equal(100, stats.P99);
    }
}
