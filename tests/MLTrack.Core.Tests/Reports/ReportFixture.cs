using MLTrack.Core.Metrics;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Reports;

/// <summary>
/// A real SQLite store in a temporary folder, seeded through <see cref="ITrackingStore"/> only, and a fixed clock so
/// "now" never moves. Times are UTC; reports are asked for in UTC.
/// </summary>
public sealed class ReportFixture : IDisposable
{
    public static readonly DateTimeOffset Jan1 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Feb1 = new(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);

    public string Dir { get; } = Directory.CreateTempSubdirectory("mltrack-reports-").FullName;
    public SqliteTrackingStore Store { get; }
    public FixedClock Clock { get; } = new(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public ReportFixture()
    {
        Store = SqliteTrackingStore.Open(Path.Combine(Dir, ".mltrack", "mltrack.db"));
    }

    public string Experiment(string name, IReadOnlyDictionary<string, string>? tags = null) =>
        Store.CreateExperiment(name, tags: tags).ExperimentId;

    /// <summary>
    /// A run that started at <paramref name="start"/>, ran <paramref name="minutes"/> and ended with <paramref name="status"/>
    /// (RUNNING: no end); each metric is logged as given points (step = index).
    /// </summary>
    public Run Run(string experimentId, DateTimeOffset start, RunStatus status = RunStatus.FINISHED, double minutes = 30,
        IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, double[]>? metrics = null, string? name = null, string user = "ann")
    {
        var t0 = start.ToUnixTimeMilliseconds();
        var run = Store.CreateRun(new NewRun { ExperimentId = experimentId, Name = name, User = user, StartTime = t0 });
        var points = new List<MetricPoint>();
        foreach (var (key, values) in metrics ?? new Dictionary<string, double[]>())
            for (var i = 0; i < values.Length; i++) points.Add(new MetricPoint(key, values[i], t0 + i * 1000, i));
        if (points.Count > 0 || parameters is not null)
            Store.LogBatch(run.RunId, new RunBatch { Metrics = points, Params = (parameters ?? new Dictionary<string, string>()).ToList() });
        if (status != RunStatus.RUNNING)
            Store.UpdateRun(run.RunId, new RunUpdate { Status = status, EndTime = t0 + (long)(minutes * 60_000) });
        return Store.GetRun(run.RunId);
    }

    public ReportRequest January(ReportType type) => new() { Type = type, From = Jan1.ToUnixTimeMilliseconds(), To = Feb1.ToUnixTimeMilliseconds(), TimeZone = "UTC" };

    public GeneratedReport Generate(ReportRequest request) => new ReportGenerator(Store, Clock).Generate(request);

    public ReportService Service() => new(Store, Path.Combine(Dir, "reports"), Clock);

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

public static class Metric
{
    public static IReadOnlyDictionary<string, double[]> Of(params (string Key, double[] Values)[] series) => series.ToDictionary(s => s.Key, s => s.Values);

    public static IReadOnlyDictionary<string, string> Params(params (string Key, string Value)[] p) => p.ToDictionary(x => x.Key, x => x.Value);
}
