using System.Net;
using MLTrack.Core.Analytics;
using MLTrack.Core.Deploy;
using Microsoft.Extensions.Time.Testing;
using static MLTrack.Core.Tests.Analytics.AnalyticsStoreFixture;

namespace MLTrack.Core.Tests.Analytics;

public sealed class ProductionAnalyticsTests : IDisposable
{
    private readonly AnalyticsStoreFixture _f = new();
    private readonly string _root = Directory.CreateTempSubdirectory("mltrack-prod-").FullName;
    private readonly HttpClient _http = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-06-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        _http.Dispose();
        _f.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private DeploymentRecord Deployment(string id, DeploymentStatus status, string created, string updated, string? url = null,
        double cpu = 1, string? gpu = null, string target = "local")
    {
        var record = new DeploymentRecord
        {
            DeploymentId = id,
            RunId = _f.Run("2026-06-01T00:00:00Z"),
            Target = target,
            Name = id,
            Status = status,
            EndpointUrl = url,
            CreatedAt = Ms(created),
            UpdatedAt = Ms(updated),
            Settings = new DeploymentSettings { Cpu = cpu, Gpu = gpu },
        };
        _f.Store.SaveDeployment(record);
        return record;
    }

    private void Requests(string id, params (string At, int Status, double Ms)[] requests)
    {
        Directory.CreateDirectory(Path.Combine(_root, id));
        File.WriteAllLines(Path.Combine(_root, id, LocalDeployment.MetricsFileName),
            requests.Select(r => $"{{\"ts\": {Ms(r.At)}, \"path\": \"/predict\", \"status\": {r.Status}, \"latency_ms\": {r.Ms}}}"));
    }

    private Task<(AnalyticsWindow Window, IReadOnlyList<DeploymentTraffic> Deployments)> Query(double cpu = 0.05, double gpu = 1.0, TimeSpan? healthTimeout = null) =>
        new ProductionAnalytics(_f.Store, _root, _http, _clock, healthTimeout).QueryAsync(
            new AnalyticsQuery { From = Ms("2026-06-01T08:00:00Z"), To = Ms("2026-06-01T12:00:00Z"), Granularity = "hour", TimeZone = "UTC" },
            null, cpu, gpu, CancellationToken.None);

    [Fact]
    public async Task Requests_errors_and_latency_percentiles_are_counted_per_period()
    {
        Deployment("d1", DeploymentStatus.STOPPED, "2026-06-01T08:00:00Z", "2026-06-01T12:00:00Z");
        Requests("d1", ("2026-06-01T08:10:00Z", 200, 10), ("2026-06-01T08:20:00Z", 200, 30), ("2026-06-01T08:30:00Z", 400, 5),
            ("2026-06-01T10:15:00Z", 200, 50));
        var (_, list) = await Query();
        var d = Assert.Single(list);
        Assert.Equal([3, 0, 1, 0], d.Periods.Select(p => p.Requests));
        Assert.Equal(1, d.Periods[0].Errors);
        Assert.Equal(1.0 / 3, d.Periods[0].ErrorRate!.Value, 9);
        Assert.Equal((10.0, 30.0, 30.0), (d.Periods[0].P50!.Value, d.Periods[0].P95!.Value, d.Periods[0].P99!.Value));
        Assert.Null(d.Periods[1].P50);
        Assert.Equal((4, 1), (d.Totals.Requests, d.Totals.Errors));
        Assert.True(d.TrafficAvailable);
    }

    [Fact]
    public async Task Cost_is_serving_hours_times_the_hourly_price_of_its_cpus_and_gpus()
    {
        Deployment("d1", DeploymentStatus.STOPPED, "2026-06-01T09:30:00Z", "2026-06-01T11:00:00Z", cpu: 2, gpu: "A100:2");
        var (_, list) = await Query(cpu: 0.05, gpu: 1.0);
        var d = Assert.Single(list);
        Assert.Equal(2.1, d.HourlyCostUsd, 9);
        Assert.Equal([0, 1.05, 2.1, 0], d.Periods.Select(p => Math.Round(p.CostUsd, 9)));
        Assert.Equal(3.15, d.Totals.CostUsd, 9);
    }

    [Fact]
    public async Task A_failed_deployment_costs_nothing_and_is_not_health_checked()
    {
        Deployment("d1", DeploymentStatus.FAILED, "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z");
        var d = Assert.Single((await Query()).Deployments);
        Assert.Equal(0, d.Totals.CostUsd);
        Assert.Null(d.Healthy);
    }

    [Fact]
    public async Task A_ready_deployment_that_answers_its_health_check_is_healthy()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            var ctx = await listener.GetContextAsync();
            ctx.Response.StatusCode = ctx.Request.Url!.AbsolutePath == "/health" ? 200 : 404;
            ctx.Response.Close();
        });
        Deployment("up", DeploymentStatus.READY, "2026-06-01T08:00:00Z", "2026-06-01T08:00:00Z", url: $"http://127.0.0.1:{port}");
        // A generous timeout: what is tested is the answer, and a loaded machine can take the default 2 s to start serving.
        var d = Assert.Single((await Query(healthTimeout: TimeSpan.FromSeconds(20))).Deployments);
        Assert.True(d.Healthy, d.HealthMessage);
    }

    [Fact]
    public async Task A_ready_deployment_that_does_not_answer_is_reported_unhealthy_with_the_reason()
    {
        Deployment("down", DeploymentStatus.READY, "2026-06-01T08:00:00Z", "2026-06-01T08:00:00Z", url: $"http://127.0.0.1:{FreePort()}");
        var d = Assert.Single((await Query()).Deployments);
        Assert.False(d.Healthy);
        Assert.False(string.IsNullOrEmpty(d.HealthMessage));
    }

    [Fact]
    public async Task A_modal_deployment_has_no_traffic_data_here()
    {
        Deployment("m", DeploymentStatus.STOPPED, "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", target: "modal");
        Assert.False(Assert.Single((await Query()).Deployments).TrafficAvailable);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
