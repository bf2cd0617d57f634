using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

/// <summary>/health as a load balancer reads it: 200 while every check passes, 503 naming the failing check otherwise.</summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mltrack-health-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_failing_check_makes_health_503_with_its_reason()
    {
        Directory.CreateDirectory(_dir);
        using var store = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));
        await using var server = await TrackingServer.StartAsync(store, new TrackingServerOptions
        {
            Log = TextWriter.Null,
            HealthChecks = [new("queue", new FailingCheck("the queue is full"))],
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unavailable","checks":{"database":{"status":"ok"},"artifacts":{"status":"ok"},"queue":{"status":"unavailable","reason":"the queue is full"}}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void A_store_at_the_schema_this_build_reads_is_healthy()
    {
        Directory.CreateDirectory(_dir);
        using var store = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));

        var health = store.CheckHealth();

        Assert.True(health.Healthy, health.Describe());
        Assert.Equal(SqliteTrackingStore.SchemaVersion, health.SchemaVersion);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class FailingCheck(string reason) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Unhealthy(reason));
    }
}
