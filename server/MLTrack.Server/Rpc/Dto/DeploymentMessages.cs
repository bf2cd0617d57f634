using System.Text.Json.Nodes;

namespace MLTrack.Server.Rpc.Dto;

/// <summary>Settings of a new deployment; unset fields take the defaults (cpu 1, memoryMb 512, timeoutSeconds 300).</summary>
public sealed record DeploymentConfigDto(
    string? AppName = null,
    string? ModelName = null,
    string? ModelVersion = null,
    double? Cpu = null,
    int? MemoryMb = null,
    string? Gpu = null,
    int? MinContainers = null,
    int? TimeoutSeconds = null,
    IReadOnlyDictionary<string, string>? Env = null);

/// <summary>Params of <c>deployments/create</c>: target "local" or "modal".</summary>
public sealed record DeploymentCreateParams(string? RunId, string? Target, DeploymentConfigDto? Config = null);

/// <summary>Params of <c>deployments/list</c>.</summary>
public sealed record DeploymentListParams(string? RunId = null);

/// <summary>Params of the deployments/* methods that name one deployment.</summary>
public sealed record DeploymentIdParams(string? DeploymentId);

/// <summary>Params of <c>deployments/canDeploy</c>.</summary>
public sealed record CanDeployParams(string? RunId);

/// <summary>Traffic of a local deployment's <c>POST /predict</c>.</summary>
public sealed record DeploymentStatsDto(long Requests, long Errors, double P50Ms, double P95Ms, double P99Ms);

/// <summary>A deployment. Status: PENDING | UPLOADING | BUILDING | DEPLOYING | READY | FAILED | STOPPED; times in Unix ms.</summary>
public sealed record DeploymentInfo(
    string DeploymentId,
    string RunId,
    string Target,
    string Name,
    string? ModelName,
    string? ModelVersion,
    string Status,
    string? EndpointUrl,
    string? Message,
    long CreatedAt,
    long UpdatedAt,
    DeploymentConfigDto Config,
    DeploymentStatsDto? Stats);

/// <summary>Result of <c>deployments/openapi</c>.</summary>
public sealed record DeploymentOpenApiResult(JsonNode Spec);

/// <summary>Result of <c>deployments/logs</c>.</summary>
public sealed record DeploymentLogsResult(IReadOnlyList<string> Lines);

/// <summary>Result of <c>deployments/canDeploy</c>: ok false with the reason (e.g. the run logged no model).</summary>
public sealed record CanDeployResultDto(bool Ok, string? Reason, string? Framework);

/// <summary>Params of the <c>deployments/changed</c> notification, sent on every status change.</summary>
public sealed record DeploymentChangedParams(string DeploymentId, string RunId, string Status, string? EndpointUrl, string? Message);
