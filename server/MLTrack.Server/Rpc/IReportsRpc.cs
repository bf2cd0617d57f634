using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Reports: generated from the store, kept beside it, listed, shown, exported to a file, deleted.</summary>
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IReportsRpc
{
    /// <summary>Generates and records a report; a bad window or type is refused with the reason.</summary>
    [JsonRpcMethod(RpcMethods.ReportsGenerate, UseSingleObjectParameterDeserialization = true)]
    Task<ReportInfo> GenerateAsync(ReportGenerateParams request, CancellationToken cancellationToken);

    /// <summary>Stored reports, newest first.</summary>
    [JsonRpcMethod(RpcMethods.ReportsList, UseSingleObjectParameterDeserialization = true)]
    Task<IReadOnlyList<ReportInfo>> ListAsync(ReportListParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>One report as a self-contained document.</summary>
    [JsonRpcMethod(RpcMethods.ReportsContent, UseSingleObjectParameterDeserialization = true)]
    Task<ReportContentResult> ContentAsync(ReportContentParams request, CancellationToken cancellationToken);

    /// <summary>Writes a report to a file (Markdown: with its charts beside it).</summary>
    [JsonRpcMethod(RpcMethods.ReportsExport, UseSingleObjectParameterDeserialization = true)]
    Task<ReportExportResult> ExportAsync(ReportExportParams request, CancellationToken cancellationToken);

    /// <summary>Deletes a report's record and files.</summary>
    [JsonRpcMethod(RpcMethods.ReportsDelete, UseSingleObjectParameterDeserialization = true)]
    Task<object?> DeleteAsync(ReportIdParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
