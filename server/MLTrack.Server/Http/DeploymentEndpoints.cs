using Microsoft.AspNetCore.Http;
using MLTrack.Core.Accounts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Handlers of <c>/api/deployments</c> (snake_case JSON of the RPC's DeploymentInfo). Routes are declared in
/// <see cref="RestRoutes"/>. The service is the process's, over the whole store; <paramref name="access"/> is the
/// request principal's: deploying or removing needs write on the run, and deployments of runs it may not see are
/// not found and not listed.
/// </summary>
internal sealed class DeploymentEndpoints(Func<DeploymentService> service, IRunAccess access)
{
    /// <summary>How long <c>POST /api/deployments?wait=true</c> waits for READY or FAILED.</summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The process's service, built on the first deployment request.</summary>
    private DeploymentService Service => service();

    public sealed class CreateDeploymentRequest
    {
        public string? RunId { get; set; }
        public string? Target { get; set; }
        public DeploymentConfigDto? Config { get; set; }
    }

    public sealed class ListDeploymentsRequest
    {
        public string? RunId { get; set; }
    }

    public async Task Create(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<CreateDeploymentRequest>(ctx);
        var runId = req.RunId is { Length: > 0 } r ? r : throw ApiException.MissingParameter("run_id");
        var target = req.Target is { Length: > 0 } t ? t : throw ApiException.MissingParameter("target");
        DeploymentRecord record;
        try
        {
            access.RequireWriteRun(runId, "Deploying");
            record = Service.Create(runId, target, DeploymentsRpc.ToSettings(req.Config));
        }
        catch (DeploymentException e)
        {
            throw ApiException.InvalidParameter(e.Message);
        }
        if (bool.TryParse(ctx.Request.Query["wait"], out var wait) && wait)
            record = await Service.WaitAsync(record.DeploymentId, WaitTimeout, ctx.RequestAborted);
        ctx.Response.StatusCode = StatusCodes.Status201Created;
        await ApiJson.WriteAsync(ctx, DeploymentsRpc.ToInfo(record, Service.GetStats(record.DeploymentId)));
    }

    public async Task List(HttpContext ctx)
    {
        var req = ApiJson.ReadQuery<ListDeploymentsRequest>(ctx);
        var list = Service.List(req.RunId is { Length: > 0 } r ? r : null).Where(d => access.CanSeeRun(d.RunId)).Select(d => DeploymentsRpc.ToInfo(d, null)).ToList();
        await ApiJson.WriteAsync(ctx, new { deployments = list });
    }

    public async Task Get(HttpContext ctx, string id)
    {
        var record = Visible(id);
        await ApiJson.WriteAsync(ctx, DeploymentsRpc.ToInfo(record, Service.GetStats(id)));
    }

    public async Task Delete(HttpContext ctx, string id)
    {
        access.RequireWriteRun(Visible(id).RunId, "Removing a deployment of");
        try
        {
            await Service.DeleteAsync(id, ctx.RequestAborted);
        }
        catch (DeploymentException e)
        {
            throw new ApiException(ErrorCodes.InvalidParameterValue, e.Message);
        }
        await ApiJson.WriteAsync(ctx, new { });
    }

    public async Task OpenApi(HttpContext ctx, string id)
    {
        Visible(id);
        try
        {
            var spec = await Service.GetOpenApiAsync(id, ctx.RequestAborted);
            await ApiJson.WriteAsync(ctx, spec);
        }
        catch (DeploymentException e)
        {
            throw ApiException.InvalidParameter(e.Message);
        }
    }

    /// <summary>The record, when the principal may see its run; otherwise as unknown.</summary>
    private DeploymentRecord Visible(string id)
    {
        var record = Service.Get(id);
        return access.CanSeeRun(record.RunId) ? record : throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No deployment '{id}'.");
    }
}
