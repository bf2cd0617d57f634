using MLTrack.Core.Search.Text;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>search/query.</summary>
public sealed class SearchRpc(RpcSession session) : ISearchRpc
{
    public const int DefaultLimit = 20;

    public Task<SearchQueryResult> QueryAsync(SearchQueryParams request, CancellationToken cancellationToken)
    {
        var text = request?.Text ?? "";
        var limit = request?.Limit ?? DefaultLimit;
        var hits = session.Store.SearchText(text, limit);
        var dto = hits.Select(h => new SearchHitDto(Kind(h.Kind), h.Title, h.Detail, h.RunId, h.ExperimentId, Math.Round(h.Score, 4), h.MatchedText)).ToList();
        return Task.FromResult(new SearchQueryResult(dto, hits.Any(h => h.Fuzzy)));
    }

    private static string Kind(SearchHitKind kind) => kind switch
    {
        SearchHitKind.Run => "run",
        SearchHitKind.Experiment => "experiment",
        SearchHitKind.Param => "param",
        SearchHitKind.Tag => "tag",
        SearchHitKind.Metric => "metric",
        _ => "artifact",
    };
}
