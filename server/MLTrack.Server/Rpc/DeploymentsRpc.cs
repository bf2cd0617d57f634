using MLTrack.Core.Deploy;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>deployments/*, over the process's <see cref="DeploymentService"/> for the session's store; its status
/// changes are sent to this client as <c>deployments/changed</c>.</summary>
public sealed class DeploymentsRpc(RpcSession session, Func<string, object, Task> notify) : IDeploymentsRpc, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private DeploymentService? _service;

    /// <summary>The service, subscribed to on first use (the store exists only after initialize).</summary>
    private DeploymentService Service
    {
        get
        {
            var store = session.Store;
            lock (_gate)
            {
                if (_service is null)
                {
                    _service = DeploymentService.For(store, session.Artifacts);
                    _service.Changed += OnChanged;
                }
                return _service;
            }
        }
    }

    private void OnChanged(DeploymentRecord r) =>
        _ = notify(RpcMethods.DeploymentsChanged, new DeploymentChangedParams(r.DeploymentId, r.RunId, r.Status.ToString(), r.EndpointUrl, r.Message))
            .ContinueWith(_ => { }, TaskScheduler.Default);

    public Task<DeploymentInfo> CreateAsync(DeploymentCreateParams request, CancellationToken cancellationToken)
    {
        var runId = RpcException.Require(request?.RunId, "runId");
        var target = RpcException.Require(request!.Target, "target");
        var record = Guard(() => Service.Create(runId, target, ToSettings(request.Config)));
        return Task.FromResult(ToInfo(record, null));
    }

    public Task<IReadOnlyList<DeploymentInfo>> ListAsync(DeploymentListParams? request = null, CancellationToken cancellationToken = default)
    {
        var service = Service;
        IReadOnlyList<DeploymentInfo> list = [.. service.List(string.IsNullOrWhiteSpace(request?.RunId) ? null : request.RunId).Select(r => ToInfo(r, null))];
        return Task.FromResult(list);
    }

    public Task<DeploymentInfo> GetAsync(DeploymentIdParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.DeploymentId, "deploymentId");
        var record = Service.Get(id);
        return Task.FromResult(ToInfo(record, Service.GetStats(id)));
    }

    public async Task<DeploymentInfo> StopAsync(DeploymentIdParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.DeploymentId, "deploymentId");
        var record = await GuardAsync(() => Service.StopAsync(id, cancellationToken)).ConfigureAwait(false);
        return ToInfo(record, Service.GetStats(id));
    }

    public async Task<object?> DeleteAsync(DeploymentIdParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.DeploymentId, "deploymentId");
        await GuardAsync(async () => { await Service.DeleteAsync(id, cancellationToken).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
        return null;
    }

    public async Task<DeploymentOpenApiResult> OpenApiAsync(DeploymentIdParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.DeploymentId, "deploymentId");
        var spec = await GuardAsync(() => Service.GetOpenApiAsync(id, cancellationToken)).ConfigureAwait(false);
        return new DeploymentOpenApiResult(spec);
    }

    public Task<DeploymentLogsResult> LogsAsync(DeploymentIdParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.DeploymentId, "deploymentId");
        return Task.FromResult(new DeploymentLogsResult(Service.GetLogs(id)));
    }

    public async Task<CanDeployResultDto> CanDeployAsync(CanDeployParams request, CancellationToken cancellationToken)
    {
        var runId = RpcException.Require(request?.RunId, "runId");
        var r = await Service.CanDeployAsync(runId, cancellationToken).ConfigureAwait(false);
        return new CanDeployResultDto(r.Ok, r.Reason, r.Framework);
    }

    public static DeploymentSettings ToSettings(DeploymentConfigDto? c) => c is null ? new DeploymentSettings() : new DeploymentSettings
    {
        AppName = c.AppName,
        ModelName = c.ModelName,
        ModelVersion = c.ModelVersion,
        Cpu = c.Cpu,
        MemoryMb = c.MemoryMb,
        Gpu = c.Gpu,
        MinContainers = c.MinContainers,
        TimeoutSeconds = c.TimeoutSeconds,
        Env = c.Env,
    };

    public static DeploymentInfo ToInfo(DeploymentRecord r, DeploymentStats? stats) => new(
        r.DeploymentId, r.RunId, r.Target, r.Name, r.ModelName, r.ModelVersion, r.Status.ToString(), r.EndpointUrl, r.Message,
        r.CreatedAt, r.UpdatedAt,
        new DeploymentConfigDto(r.Settings.AppName ?? r.Name, r.Settings.ModelName, r.Settings.ModelVersion, r.Settings.Cpu, r.Settings.MemoryMb,
            r.Settings.Gpu, r.Settings.MinContainers, r.Settings.TimeoutSeconds, r.Settings.Env),
        stats is null ? null : new DeploymentStatsDto(stats.Requests, stats.Errors, stats.P50, stats.P95, stats.P99));

    private static T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (DeploymentException e) { throw RpcException.InvalidParams(e.Message); }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try { return await action().ConfigureAwait(false); }
        catch (DeploymentException e) { throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE", e.Message); }
    }

    /// <summary>Stops listening; the process's local deployments are stopped with the service when the session ends.</summary>
    public async ValueTask DisposeAsync()
    {
        DeploymentService? service;
        lock (_gate) service = _service;
        if (service is null) return;
        service.Changed -= OnChanged;
        await service.DisposeAsync().ConfigureAwait(false);
    }
}
