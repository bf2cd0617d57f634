using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>experiments/list.</summary>
public sealed class ExperimentsRpc(RpcSession session) : IExperimentsRpc
{
    public Task<IReadOnlyList<ExperimentInfo>> ListAsync(ExperimentsListParams? request = null, CancellationToken cancellationToken = default)
    {
        var store = session.Store;
        var counts = store.CountRunsByExperiment();
        IReadOnlyList<ExperimentInfo> result = store.ListExperiments(DtoMapper.ParseView(request?.View))
            .Select(e => DtoMapper.ToDto(e, counts.GetValueOrDefault(e.ExperimentId)))
            .ToList();
        return Task.FromResult(result);
    }
}
