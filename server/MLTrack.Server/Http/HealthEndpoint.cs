using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Http;

/// <summary>
/// <c>GET /health</c> for load balancers and for a second launcher probing server.json, no token needed (it names no
/// data): 200 <c>{"status":"ok","checks":{"database":{"status":"ok"},"artifacts":{"status":"ok"}}}</c> when the
/// database is reachable at the schema this build reads and the artifact store answers (S3: a listing within
/// <see cref="ArtifactCheckTimeout"/>), else 503 <c>{"status":"unavailable",…}</c>
/// with each failing check's short reason. Reasons name no host or path (anyone may ask); the log has the details.
/// Built on ASP.NET Core's health checks.
/// </summary>
public static class HealthEndpoint
{
    /// <summary>How long the artifact store may take to answer before the replica reports itself unavailable.</summary>
    public static readonly TimeSpan ArtifactCheckTimeout = TimeSpan.FromSeconds(5);

    public static void AddChecks(IServiceCollection services, ITrackingStore store, IArtifactStore artifacts, IEnumerable<KeyValuePair<string, IHealthCheck>> extra)
    {
        var checks = services.AddHealthChecks()
            .AddCheck("database", new StoreHealthCheck(store))
            .AddCheck("artifacts", new ArtifactStoreHealthCheck(artifacts));
        foreach (var (name, check) in extra) checks.AddCheck(name, check);
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapHealthChecks(RequestGuard.HealthPath, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });

    private static Task WriteAsync(HttpContext ctx, HealthReport report)
    {
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Unhealthy
                ? new Dictionary<string, string> { ["status"] = "unavailable", ["reason"] = e.Value.Description ?? "failed" }
                : new Dictionary<string, string> { ["status"] = "ok" }),
        };
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class StoreHealthCheck(ITrackingStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.Run(() =>
            {
                var health = store.CheckHealth();
                return health.Healthy ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy(health.Reachable ? health.Describe() : "the database cannot be reached");
            }, cancellationToken);
    }

    private sealed class ArtifactStoreHealthCheck(IArtifactStore artifacts) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ArtifactCheckTimeout);
            try
            {
                await artifacts.CheckAsync(timeout.Token).ConfigureAwait(false);
                return HealthCheckResult.Healthy();
            }
            catch (ArtifactStoreException)
            {
                return HealthCheckResult.Unhealthy("the artifact store cannot be reached");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"the artifact store did not answer within {ArtifactCheckTimeout.TotalSeconds:0} s");
            }
        }
    }
}
