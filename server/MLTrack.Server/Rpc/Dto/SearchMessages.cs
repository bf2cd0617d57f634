namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>search/query</c>.</summary>
/// <param name="Text">What the user typed; every word must match (as a prefix, with one typo tolerated when nothing matches exactly).</param>
/// <param name="Limit">Most hits to return (default 20, at most 200).</param>
public sealed record SearchQueryParams(string Text, int? Limit = null);

/// <summary>Result of <c>search/query</c>.</summary>
/// <param name="Hits">Best first.</param>
/// <param name="Fuzzy">True when typo-tolerant matching was used because exact prefixes found too little.</param>
public sealed record SearchQueryResult(IReadOnlyList<SearchHitDto> Hits, bool Fuzzy);

/// <summary>One ranked hit.</summary>
/// <param name="Kind">run | experiment | param | tag | metric | artifact.</param>
/// <param name="Title">What to show first: run or experiment name, "key = value" for params and tags, metric key, artifact path.</param>
/// <param name="Detail">Context: the run and experiment it belongs to. Repeated metric keys, artifact paths and param/tag pairs appear once, for the best run.</param>
/// <param name="RunId">The run the hit belongs to (null for experiments).</param>
/// <param name="ExperimentId">The experiment the hit belongs to.</param>
/// <param name="Score">Higher is better (bm25 relevance boosted by recency).</param>
/// <param name="MatchedText">The indexed text that matched.</param>
public sealed record SearchHitDto(string Kind, string Title, string Detail, string? RunId, string? ExperimentId, double Score, string MatchedText);
