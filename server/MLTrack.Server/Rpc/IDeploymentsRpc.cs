using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Model deployments (local and Modal); status changes arrive as <c>deployments/changed</c>.</summary>
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IDeploymentsRpc
{
    /// <summary>Records the deployment and answers at once (PENDING); the work goes on in the background.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsCreate, UseSingleObjectParameterDeserialization = true)]
    Task<DeploymentInfo> CreateAsync(DeploymentCreateParams request, CancellationToken cancellationToken);

    /// <summary>Deployments, newest first (a run's only when runId is given).</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsList, UseSingleObjectParameterDeserialization = true)]
    Task<IReadOnlyList<DeploymentInfo>> ListAsync(DeploymentListParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>One deployment; a local one with its traffic stats.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsGet, UseSingleObjectParameterDeserialization = true)]
    Task<DeploymentInfo> GetAsync(DeploymentIdParams request, CancellationToken cancellationToken);

    /// <summary>Stops the deployment; stopping twice is harmless.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsStop, UseSingleObjectParameterDeserialization = true)]
    Task<DeploymentInfo> StopAsync(DeploymentIdParams request, CancellationToken cancellationToken);

    /// <summary>Stops, then deletes the deployment's record.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsDelete, UseSingleObjectParameterDeserialization = true)]
    Task<object?> DeleteAsync(DeploymentIdParams request, CancellationToken cancellationToken);

    /// <summary>The OpenAPI document of the endpoint.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsOpenApi, UseSingleObjectParameterDeserialization = true)]
    Task<DeploymentOpenApiResult> OpenApiAsync(DeploymentIdParams request, CancellationToken cancellationToken);

    /// <summary>Output of the tools and servers behind the deployment, secrets redacted.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsLogs, UseSingleObjectParameterDeserialization = true)]
    Task<DeploymentLogsResult> LogsAsync(DeploymentIdParams request, CancellationToken cancellationToken);

    /// <summary>Whether the run has a deployable model, or why not.</summary>
    [JsonRpcMethod(RpcMethods.DeploymentsCanDeploy, UseSingleObjectParameterDeserialization = true)]
    Task<CanDeployResultDto> CanDeployAsync(CanDeployParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
