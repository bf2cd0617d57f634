using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// The public REST surface, declared in one place. MLflow's tracking API under <c>/api/2.0/mlflow/</c> (its JSON
/// shapes, error codes and limits; GET parameters in the query string, POST bodies as JSON), MLflow's proxied
/// artifact API under <c>/api/2.0/mlflow-artifacts/</c>, MLTrack's extensions under <c>/api/2.0/mltrack/</c>, and
/// <c>/health</c>. Every route except <c>/health</c> needs the bearer token (see <see cref="RequestGuard"/>).
/// </summary>
internal static class RestRoutes
{
    public const string Mlflow = "/api/2.0/mlflow";
    public const string MlTrack = "/api/2.0/mltrack";

    public static void Map(IEndpointRouteBuilder app, ITrackingStore store, IArtifactStore artifactStore, TrackingServerOptions options,
        Func<MLTrack.Core.Deploy.DeploymentService> deploymentService, Auth.SignInEndpoints? signIn = null)
    {
        var experiments = new ExperimentEndpoints(store);
        var runs = new RunEndpoints(store, artifactStore);
        var metrics = new MetricEndpoints(store);
        var artifacts = new ArtifactEndpoints(store, artifactStore, options.MaxArtifactBytes);
        var files = new RunFileEndpoints(store);
        var deployments = new DeploymentEndpoints(deploymentService, store as MLTrack.Core.Accounts.IRunAccess ?? MLTrack.Core.Accounts.IRunAccess.Unrestricted);

        // Health for load balancers, no token needed: database reachable at this build's schema (see HealthEndpoint).
        HealthEndpoint.Map(app);

        // Experiments
        // {name, artifact_location?, tags?} → {experiment_id}; RESOURCE_ALREADY_EXISTS when the name is taken.
        app.MapPost($"{Mlflow}/experiments/create", experiments.Create);
        // ?experiment_id → {experiment}; RESOURCE_DOES_NOT_EXIST when unknown.
        app.MapGet($"{Mlflow}/experiments/get", experiments.Get);
        // ?experiment_name → {experiment}; RESOURCE_DOES_NOT_EXIST when no experiment has that name.
        app.MapGet($"{Mlflow}/experiments/get-by-name", experiments.GetByName);
        // {max_results?, page_token?, filter? (name / tags.k with =, !=, LIKE, ILIKE), order_by?, view_type?} → {experiments, next_page_token?}.
        app.MapPost($"{Mlflow}/experiments/search", experiments.Search);
        // The same search with its fields in the query string.
        app.MapGet($"{Mlflow}/experiments/search", experiments.Search);
        // {experiment_id, new_name} → {}: renames.
        app.MapPost($"{Mlflow}/experiments/update", experiments.Update);
        // {experiment_id} → {}: soft-deletes the experiment and its runs.
        app.MapPost($"{Mlflow}/experiments/delete", experiments.Delete);
        // {experiment_id} → {}: undoes delete.
        app.MapPost($"{Mlflow}/experiments/restore", experiments.Restore);
        // {experiment_id, key, value} → {}.
        app.MapPost($"{Mlflow}/experiments/set-experiment-tag", experiments.SetTag);

        // Runs
        // {experiment_id?, run_name?, user_id?, start_time?, tags?, run_id? (extension: client-chosen 32-hex id; replaying it returns the same run)} → {run}.
        app.MapPost($"{Mlflow}/runs/create", runs.Create);
        // ?run_id (or run_uuid) → {run}: info, params, tags and each metric's latest point.
        app.MapGet($"{Mlflow}/runs/get", runs.Get);
        // {run_id, status?, end_time?, run_name?} → {run_info}.
        app.MapPost($"{Mlflow}/runs/update", runs.Update);
        // {run_id} → {}: soft-delete; logging to a deleted run is refused.
        app.MapPost($"{Mlflow}/runs/delete", runs.Delete);
        // {run_id} → {}: undoes delete.
        app.MapPost($"{Mlflow}/runs/restore", runs.Restore);
        // {experiment_ids, filter?, order_by?, max_results? (default 1000, at most 50000), page_token?, run_view_type?} → {runs, next_page_token?}.
        app.MapPost($"{Mlflow}/runs/search", runs.Search);
        // {run_id, key, value, timestamp?, step?} → {}; value may be "NaN", "Infinity", "-Infinity".
        app.MapPost($"{Mlflow}/runs/log-metric", metrics.LogMetric);
        // {run_id, metrics?, params?, tags?, mltrack_batch_id? (extension: applied once per id)} → {}; ≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 in all.
        app.MapPost($"{Mlflow}/runs/log-batch", metrics.LogBatch);
        // {run_id, key, value} → {}; params are immutable: the same value again is fine, another is INVALID_PARAMETER_VALUE.
        app.MapPost($"{Mlflow}/runs/log-parameter", runs.LogParameter);
        // {run_id, key, value} → {}; tags are mutable; mlflow.runName renames the run.
        app.MapPost($"{Mlflow}/runs/set-tag", runs.SetTag);
        // {run_id, key} → {}; RESOURCE_DOES_NOT_EXIST when the run has no such tag.
        app.MapPost($"{Mlflow}/runs/delete-tag", runs.DeleteTag);

        // Metrics
        // ?run_id&metric_key[&max_results&page_token] → {metrics: [{key, value, timestamp, step}], next_page_token?}, in step order.
        app.MapGet($"{Mlflow}/metrics/get-history", metrics.GetHistory);

        // Artifacts
        // ?run_id[&path] → {root_uri, files: [{path (from the run's root), is_dir, file_size?}]}.
        app.MapGet($"{Mlflow}/artifacts/list", artifacts.List);
        // ?path=<experiment_id>/<run_id>/artifacts[/dir] → {files: [{path (name), is_dir, file_size?}]}.
        app.MapGet(ArtifactPaths.ProxyPrefix, artifacts.ListProxied);
        // /<experiment_id>/<run_id>/artifacts/<path> (or /<run_id>/artifacts/<path>): the file's bytes.
        app.MapGet(ArtifactPaths.ProxyPrefix + "/{**path}", artifacts.Download);
        // Same path, body = the file's bytes (streamed, up to 2 GiB) → {}; recorded with size and sha256.
        app.MapPut(ArtifactPaths.ProxyPrefix + "/{**path}", artifacts.Upload);

        // MLTrack extensions
        // {run_id, inputs: [{path, size, sha256}], outputs: [...]} → {}: files the run read and wrote, for lineage.
        app.MapPost($"{MlTrack}/runs/log-files", files.LogFiles);

        // Deployments (snake_case DeploymentInfo)
        // {run_id, target: local|modal, config?{app_name, model_name, model_version, cpu, memory_mb, gpu, min_containers, timeout_seconds, env}}
        // → 201 deployment (PENDING; ?wait=true: once READY or FAILED, at most 120 s).
        app.MapPost("/api/deployments", deployments.Create);
        // [?run_id] → {deployments: [...]}, newest first.
        app.MapGet("/api/deployments", deployments.List);
        // → the deployment (local: with stats).
        app.MapGet("/api/deployments/{id}", (HttpContext ctx, string id) => deployments.Get(ctx, id));
        // → {}: stops, then deletes.
        app.MapDelete("/api/deployments/{id}", (HttpContext ctx, string id) => deployments.Delete(ctx, id));
        // → the endpoint's OpenAPI document.
        app.MapGet("/api/deployments/{id}/openapi", (HttpContext ctx, string id) => deployments.OpenApi(ctx, id));

        // Sign-in (users mode). Email sign-in needs no token (RequestGuard lets these two through) and answers alike
        // for known and unknown emails; the others need the session cookie or a bearer token.
        if (signIn is not null)
        {
            if (signIn.HasEmail)
            {
                // {email, return_to?} → {"sent": true}, whether or not the email has an account; a known one is mailed
                // a link valid 10 minutes. 429 REQUEST_LIMIT_EXCEEDED past 5 per email or 20 per address in 15 minutes.
                app.MapPost(Auth.SignInEndpoints.EmailStartPath, signIn.EmailStart);
                // ?code[&return_to] (the mailed link) → 303 to return_to (a path on this server only; else /ui/runs)
                // with the mltrack_session cookie (HttpOnly, SameSite=Lax, Secure over https, 12 h); 401 UNAUTHENTICATED
                // for an unknown, used or expired code.
                app.MapGet(Auth.SignInEndpoints.EmailCompletePath, signIn.EmailComplete);
            }
            if (signIn.HasGitHub)
            {
                // {access_token} (a GitHub token, e.g. from VS Code's GitHub provider; needs no MLTrack token) → {token,
                // token_id, expires_at, email, display_name}: a 30-day personal access token of the MLTrack user whose
                // linked GitHub id or verified email matches (none is created); 401 UNAUTHENTICATED otherwise.
                app.MapPost(Auth.SignInEndpoints.GitHubTokenPath, signIn.GitHubToken);
            }
            // → {sessions_ended}: ends this browser's session and clears its cookie.
            app.MapPost(Auth.SignInEndpoints.SignOutPath, signIn.SignOut);
            // → {sessions_ended}: ends every session of the user, on every replica.
            app.MapPost(Auth.SignInEndpoints.SignOutEverywherePath, signIn.SignOutEverywhere);
        }

        // Anything else: 404 ENDPOINT_NOT_FOUND as JSON.
        app.MapFallback(ctx => throw new ApiException(ErrorCodes.EndpointNotFound, $"No endpoint {ctx.Request.Method} {ctx.Request.Path}."));
    }
}
