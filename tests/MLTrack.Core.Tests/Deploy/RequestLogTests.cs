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

    [Fact]
    public void Records_keep_each_requests_time_status_and_latency_in_order()
    {
        File.WriteAllText(_file, """{"ts": 5, "status": 200, "latency_ms": 1.5}""" + "\n" + """{"ts": 7, "status": 503, "latency_ms": 2}""" + "\n");
        Assert.Equal([new RequestRecord(5, 200, 1.5), new RequestRecord(7, 503, 2)], new RequestLog(_file).Records());
    }

    [Fact]
    public void A_log_that_was_recreated_shorter_is_read_again_from_the_start()
    {
        var log = new RequestLog(_file);
        File.WriteAllText(_file, string.Concat(Enumerable.Repeat("""{"ts": 1, "status": 200, "latency_ms": 1}""" + "\n", 3)));
        Assert.Equal(3, log.Read().Requests);
        File.WriteAllText(_file, """{"ts": 9, "status": 500, "latency_ms": 4}""" + "\n");
        Assert.Equal([new RequestRecord(9, 500, 4)], log.Records());
    }

    [Fact]
    public void One_reader_is_shared_per_file() => Assert.Same(RequestLog.For(_file), RequestLog.For(Path.GetFullPath(_file)));
}
