using MLTrack.Core.Reports;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>reports/*, over a <see cref="ReportService"/> on the session's store. Generation runs off the RPC thread.</summary>
public sealed class ReportsRpc(RpcSession session) : IReportsRpc
{
    private ReportService Service => session.Root.Reports();

    public async Task<ReportInfo> GenerateAsync(ReportGenerateParams request, CancellationToken cancellationToken)
    {
        var type = ReportTypes.Parse(RpcException.Require(request?.Type, "type"));
        var service = Service;
        var record = await Task.Run(() => service.Generate(new ReportRequest
        {
            Type = type,
            Preset = request!.Preset,
            From = request.From,
            To = request.To,
            TimeZone = request.TimeZone,
            Experiment = string.IsNullOrWhiteSpace(request.ExperimentId) ? null : request.ExperimentId,
            CpuHourUsd = request.CpuHourUsd,
            GpuHourUsd = request.GpuHourUsd,
        }), cancellationToken).ConfigureAwait(false);
        return ToInfo(record);
    }

    public Task<IReadOnlyList<ReportInfo>> ListAsync(ReportListParams? request = null, CancellationToken cancellationToken = default)
    {
        if (request?.From is { } from && request.To is { } to && from > to)
            throw new ArgumentException($"The range starts after it ends: 'from' ({from}) is later than 'to' ({to}).");
        var type = string.IsNullOrWhiteSpace(request?.Type) ? (ReportType?)null : ReportTypes.Parse(request.Type);
        IReadOnlyList<ReportInfo> list = [.. Service.List(request?.From, request?.To, type).Select(ToInfo)];
        return Task.FromResult(list);
    }

    public Task<ReportContentResult> ContentAsync(ReportContentParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.ReportId, "reportId");
        var format = ReportFormats.Parse(RpcException.Require(request!.Format, "format"));
        var service = Service;
        var record = service.Get(id);
        return Task.FromResult(new ReportContentResult(ToInfo(record), format.Name(), service.Content(id, format)));
    }

    public Task<ReportExportResult> ExportAsync(ReportExportParams request, CancellationToken cancellationToken)
    {
        var id = RpcException.Require(request?.ReportId, "reportId");
        var format = ReportFormats.Parse(RpcException.Require(request!.Format, "format"));
        var path = RpcException.Require(request.Path, "path");
        if (!Path.IsPathFullyQualified(path)) throw new ArgumentException($"'path' must be absolute; got '{path}'.");
        return Task.FromResult(new ReportExportResult(Service.Export(id, format, path)));
    }

    public Task<object?> DeleteAsync(ReportIdParams request, CancellationToken cancellationToken)
    {
        Service.Delete(RpcException.Require(request?.ReportId, "reportId"));
        return Task.FromResult<object?>(null);
    }

    public static ReportInfo ToInfo(ReportRecord r) =>
        new(r.ReportId, r.Type, r.Title, r.From, r.To, r.TimeZone, r.ExperimentId, r.CreatedAt, r.SizeBytes, r.Insights);
}
