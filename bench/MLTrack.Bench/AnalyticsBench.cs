using MLTrack.Core.Analytics;
using MLTrack.Core.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MLTrack.Bench;

/// <summary>Issue 7's analytics targets over 100,000 runs spanning two years: a day-granularity time series and the heatmap.</summary>
public static class AnalyticsBench
{
    private const int Runs = 100_000, Years = 2;

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        using var store = SqliteTrackingStore.Open(AnalyticsSeed.Create(ctx.ScratchDir, Runs, Years));
        var service = new AnalyticsService(store, new FakeTimeProvider(AnalyticsSeed.End));
        var lastYear = new AnalyticsQuery { Preset = "all", Granularity = "day", TimeZone = "Europe/Berlin" };

        TimeSeries series = null!;
        var all = Timing.MedianMs(() => series = service.TimeSeries(lastYear));
        Check(series.Totals.Started == Runs, $"time series counted {series.Totals.Started} runs, expected {Runs}");
        yield return new("analytics", $"time series by day over 2 years ({series.Periods.Count} days, {Runs:N0} runs)", $"{all:0.0} ms", "≤ 50 ms", all <= 50);

        var withMetric = Timing.MedianMs(() => series = service.TimeSeries(lastYear, "accuracy"));
        yield return new("analytics", "the same with a metric's best per day", $"{withMetric:0.0} ms", "(none)", true);

        var year = Timing.MedianMs(() => series = service.TimeSeries(new AnalyticsQuery { Preset = "ytd", Granularity = "day", TimeZone = "Europe/Berlin" }));
        yield return new("analytics", "time series by day, year to date", $"{year:0.0} ms", "(none)", true);

        Heatmap map = null!;
        var heat = Timing.MedianMs(() => map = service.Heatmap(new AnalyticsQuery { TimeZone = "Europe/Berlin" }));
        Check(map.Days.Count >= 365 && map.TotalRuns > 0, $"heatmap of {map.Days.Count} days and {map.TotalRuns} runs");
        yield return new("analytics", $"activity heatmap, last 52 weeks ({map.Days.Count} days, {map.TotalRuns:N0} runs)", $"{heat:0.0} ms", "≤ 50 ms", heat <= 50);

        var user = Timing.MedianMs(() => service.Heatmap(new AnalyticsQuery { TimeZone = "Europe/Berlin", Scope = new RunScope(null, "user3") }));
        yield return new("analytics", "the same for one user", $"{user:0.0} ms", "(none)", true);

        var facets = Timing.MedianMs(() => { _ = store.ListRunUsers(); _ = store.ListMetricKeys(); });
        yield return new("analytics", "facets (users and metric keys)", $"{facets:0.0} ms", "(none)", true);
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new InvalidOperationException(message);
    }
}
