using MLTrack.Core.Deploy;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Analytics;

/// <summary>
/// Production analytics of deployments: traffic from each local endpoint's request log (Modal endpoints keep none
/// here), health checks against READY endpoints, and serving-cost estimates over the window's periods.
/// </summary>
/// <param name="healthTimeout">How long a READY endpoint's /health may take; default <see cref="HealthTimeout"/>.</param>
public sealed class ProductionAnalytics(ITrackingStore store, string deploymentsRoot, HttpClient http, TimeProvider? clock = null, TimeSpan? healthTimeout = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(2);

    public async Task<(AnalyticsWindow Window, IReadOnlyList<DeploymentTraffic> Deployments)> QueryAsync(
        AnalyticsQuery query, IReadOnlyCollection<string>? deploymentIds, double cpuHourUsd, double gpuHourUsd, CancellationToken cancel)
    {
        var records = store.ListDeployments()
            .Where(d => deploymentIds is not { Count: > 0 } || deploymentIds.Contains(d.DeploymentId))
            .ToList();
        var window = WindowResolver.Resolve(query, _clock.GetUtcNow(), () => records.Count == 0 ? null : records.Min(r => r.CreatedAt), "24h");
        var periods = PeriodCutter.Cut(window);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var health = await Task.WhenAll(records.Select(r => CheckHealthAsync(r, cancel))).ConfigureAwait(false);
        var result = new List<DeploymentTraffic>(records.Count);
        for (var i = 0; i < records.Count; i++)
            result.Add(Summarize(records[i], health[i], window, periods, now, cpuHourUsd, gpuHourUsd));
        return (window, result);
    }

    private DeploymentTraffic Summarize(DeploymentRecord d, (bool? Ok, string? Message) health, AnalyticsWindow window,
        IReadOnlyList<Period> periods, long now, double cpuHourUsd, double gpuHourUsd)
    {
        var local = d.Target == "local";
        var requests = local
            ? RequestLog.For(Path.Combine(deploymentsRoot, d.DeploymentId, LocalDeployment.MetricsFileName)).Records()
            : [];
        var hourly = d.Settings.HourlyCost(cpuHourUsd, gpuHourUsd);
        var (servedFrom, servedTo) = d.ServingInterval(now);
        var byPeriod = new List<TrafficPeriod>(periods.Count);
        // Requests arrive in time order in the log; bucket them with one pass per period boundary.
        var sorted = requests.Where(r => r.Timestamp >= window.From && r.Timestamp < window.To).OrderBy(r => r.Timestamp).ToArray();
        var at = 0;
        foreach (var p in periods)
        {
            var start = at;
            while (at < sorted.Length && sorted[at].Timestamp < p.End) at++;
            byPeriod.Add(Traffic(p, sorted.AsSpan(start, at - start), Hours(servedFrom, servedTo, p.Start, p.End) * hourly));
        }
        var totals = Traffic(new Period(window.From, window.To, "total"), sorted, Hours(servedFrom, servedTo, window.From, window.To) * hourly);
        return new DeploymentTraffic(d, health.Ok, health.Message, local, hourly, totals, byPeriod);
    }

    private static TrafficPeriod Traffic(Period p, ReadOnlySpan<RequestRecord> requests, double cost)
    {
        if (requests.Length == 0) return new TrafficPeriod(p, 0, 0, null, null, null, cost);
        var latencies = new double[requests.Length];
        var errors = 0;
        for (var i = 0; i < requests.Length; i++)
        {
            latencies[i] = requests[i].LatencyMs;
            if (requests[i].IsError) errors++;
        }
        Array.Sort(latencies);
        return new TrafficPeriod(p, requests.Length, errors, RequestLog.Percentile(latencies, 50), RequestLog.Percentile(latencies, 95),
            RequestLog.Percentile(latencies, 99), cost);
    }

    private static double Hours(long servedFrom, long servedTo, long from, long to)
    {
        var overlap = Math.Min(servedTo, to) - Math.Max(servedFrom, from);
        return overlap > 0 ? overlap / 3_600_000.0 : 0;
    }

    private async Task<(bool?, string?)> CheckHealthAsync(DeploymentRecord d, CancellationToken cancel)
    {
        if (d.Status != DeploymentStatus.READY) return (null, null);
        if (string.IsNullOrEmpty(d.EndpointUrl)) return (false, "no endpoint URL recorded");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(healthTimeout ?? HealthTimeout);
            using var response = await http.GetAsync(d.EndpointUrl.TrimEnd('/') + "/health", timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? (true, null) : (false, $"/health answered {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return (false, $"/health did not answer within {(healthTimeout ?? HealthTimeout).TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return (false, e.Message);
        }
    }
}
