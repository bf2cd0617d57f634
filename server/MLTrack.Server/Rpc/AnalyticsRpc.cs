using MLTrack.Core.Analytics;
using MLTrack.Core.Deploy;
using MLTrack.Core.Preferences;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>analytics/*, over <see cref="AnalyticsService"/> and <see cref="ProductionAnalytics"/> for the session's store.</summary>
public sealed class AnalyticsRpc(RpcSession session) : IAnalyticsRpc
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public Task<TimeSeriesResult> TimeSeriesAsync(TimeSeriesParams? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new TimeSeriesParams();
        bool? higher = request.MetricGoal?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => null,
            "max" => true,
            "min" => false,
            _ => throw new ArgumentException($"Unknown metricGoal '{request.MetricGoal}': use min, max or omit it."),
        };
        var series = new AnalyticsService(session.Store).TimeSeries(Query(request), request.MetricKey, higher);
        var buckets = new TimeSeriesBucketDto[series.Periods.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            var p = series.Periods[i];
            var a = series.Activity[i];
            var best = series.MetricBest.Count > i ? series.MetricBest[i] : null;
            buckets[i] = new TimeSeriesBucketDto(p.Start, p.End, p.Label, a.Started, a.Finished, a.Failed, a.ComputeHours, a.Experiments, a.Users,
                best?.Value, best?.RunId);
        }
        var w = series.Window;
        var t = series.Totals;
        return Task.FromResult(new TimeSeriesResult(w.From, w.To, w.Zone.Id, Name(w.Granularity), w.Note, buckets, series.MetricKey,
            series.HigherIsBetter is { } h ? (h ? "max" : "min") : null,
            new ActivityTotalsDto(t.Started, t.Finished, t.Failed, t.ComputeHours, t.Experiments, t.Users), series.IsEmpty));
    }

    public Task<HeatmapResult> HeatmapAsync(HeatmapParams? request = null, CancellationToken cancellationToken = default)
    {
        var map = new AnalyticsService(session.Store).Heatmap(Query(request ?? new HeatmapParams()));
        var w = map.Window;
        return Task.FromResult(new HeatmapResult(w.From, w.To, w.Zone.Id, Name(w.Granularity), w.Note,
            [.. map.Days.Select(d => new HeatmapDayDto(d.Date, d.Weekday, d.Start, d.End, d.Runs, d.Failed, d.Experiments))],
            map.TotalRuns, map.ActiveDays, map.Coverage, map.LongestStreak, map.CurrentStreak, map.MaxRuns, map.MaxExperiments, map.IsEmpty));
    }

    public Task<AnalyticsFacetsResult> FacetsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new AnalyticsFacetsResult(session.Store.ListRunUsers(), session.Store.ListMetricKeys()));

    public async Task<ProductionResult> ProductionAsync(ProductionParams? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new ProductionParams();
        var prefs = new PreferencesService(session.Store).Get();
        var cpu = Price(request.CpuHourUsd, "cpuHourUsd") ?? prefs.CpuHourUsd;
        var gpu = Price(request.GpuHourUsd, "gpuHourUsd") ?? prefs.GpuHourUsd;
        var deployments = DeploymentService.For(session.Store, session.Artifacts);
        var production = new ProductionAnalytics(session.Store, deployments.WorkRoot, Http);
        var (w, list) = await production.QueryAsync(Query(request), request.DeploymentIds, cpu, gpu, cancellationToken).ConfigureAwait(false);
        return new ProductionResult(w.From, w.To, w.Zone.Id, Name(w.Granularity), w.Note, [.. list.Select(ToDto)]);
    }

    private static ProductionDeploymentDto ToDto(DeploymentTraffic t)
    {
        var d = t.Deployment;
        var x = t.Totals;
        return new ProductionDeploymentDto(d.DeploymentId, d.Name, d.Target, d.RunId, d.Status.ToString(), d.EndpointUrl, t.Healthy, t.HealthMessage,
            t.TrafficAvailable, t.HourlyCostUsd, new ProductionTotalsDto(x.Requests, x.Errors, x.ErrorRate, x.P50, x.P95, x.P99, x.CostUsd),
            [.. t.Periods.Select(p => new ProductionBucketDto(p.Period.Start, p.Period.End, p.Period.Label, p.Requests, p.Errors, p.ErrorRate,
                p.P50, p.P95, p.P99, p.CostUsd))]);
    }

    private static double? Price(double? value, string name) => value switch
    {
        null => null,
        >= 0 and <= 1_000_000 when double.IsFinite(value.Value) => value,
        _ => throw new ArgumentException($"'{name}' must be a price in USD, 0 or more; got {value}."),
    };

    internal static AnalyticsQuery Query(AnalyticsRangeParams p) => new()
    {
        Preset = p.Preset,
        From = p.From,
        To = p.To,
        TimeZone = p.TimeZone,
        Granularity = p.Granularity,
        Scope = new RunScope(p.ExperimentIds, string.IsNullOrWhiteSpace(p.User) ? null : p.User),
    };

    private static string Name(Granularity g) => g.ToString().ToLowerInvariant();
}
