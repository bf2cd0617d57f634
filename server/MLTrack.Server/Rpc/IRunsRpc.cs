using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Runs: list, read, launch, stop, delete, tag.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IRunsRpc
{
    /// <summary>One page of compact run rows (MLflow filter and order_by syntax).</summary>
    [JsonRpcMethod(RpcMethods.RunsList, UseSingleObjectParameterDeserialization = true)]
    Task<RunsListResult> ListAsync(RunsListParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>Everything about one run.</summary>
    [JsonRpcMethod(RpcMethods.RunsGet, UseSingleObjectParameterDeserialization = true)]
    Task<RunDetail> GetAsync(RunIdParams request, CancellationToken cancellationToken);

    /// <summary>Starts a tracked run in the background; answers as soon as the run is recorded. Output arrives as log/append.</summary>
    [JsonRpcMethod(RpcMethods.RunsLaunch, UseSingleObjectParameterDeserialization = true)]
    Task<LaunchResultDto> LaunchAsync(LaunchParams request, CancellationToken cancellationToken);

    /// <summary>Stops a run launched by this backend (process tree killed, run KILLED). Harmless when it already ended.</summary>
    [JsonRpcMethod(RpcMethods.RunsStop, UseSingleObjectParameterDeserialization = true)]
    Task<StopResult> StopAsync(RunIdParams request, CancellationToken cancellationToken);

    /// <summary>Soft-deletes a run (restorable).</summary>
    [JsonRpcMethod(RpcMethods.RunsDelete, UseSingleObjectParameterDeserialization = true)]
    Task DeleteAsync(RunIdParams request, CancellationToken cancellationToken);

    /// <summary>Restores a deleted run.</summary>
    [JsonRpcMethod(RpcMethods.RunsRestore, UseSingleObjectParameterDeserialization = true)]
    Task RestoreAsync(RunIdParams request, CancellationToken cancellationToken);

    /// <summary>Sets (adds or replaces) a tag.</summary>
    [JsonRpcMethod(RpcMethods.RunsSetTag, UseSingleObjectParameterDeserialization = true)]
    Task SetTagAsync(SetTagParams request, CancellationToken cancellationToken);

    /// <summary>How two runs' code differs: the diff between their commits and each run's uncommitted changes (code.diff).</summary>
    [JsonRpcMethod(RpcMethods.RunsCodeDiff, UseSingleObjectParameterDeserialization = true)]
    Task<CodeDiffResult> CodeDiffAsync(CodeDiffParams request, CancellationToken cancellationToken);

    /// <summary>Removes a tag.</summary>
    [JsonRpcMethod(RpcMethods.RunsDeleteTag, UseSingleObjectParameterDeserialization = true)]
    Task DeleteTagAsync(DeleteTagParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
