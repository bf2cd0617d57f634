namespace MLTrack.Core.Storage;

/// <summary>Which runs to return and in what order. Filter and OrderBy use MLflow's search syntax.</summary>
public sealed record RunQuery
{
    /// <summary>Experiments to search; empty means all.</summary>
    public IReadOnlyList<string> ExperimentIds { get; init; } = [];
    /// <summary>MLflow filter string, e.g. <c>metrics.acc &gt; 0.9 and params.lr = '0.01'</c>. Null or blank: no filter.</summary>
    public string? Filter { get; init; }
    /// <summary>Sort terms such as <c>metrics.acc DESC</c> or <c>attributes.start_time</c>; ties fall back to newest first.</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = [];
    public int MaxResults { get; init; } = 1000;
    /// <summary>Opaque token from a previous page's <see cref="RunPage.NextPageToken"/>.</summary>
    public string? PageToken { get; init; }
    public ViewType ViewType { get; init; } = ViewType.ActiveOnly;
    /// <summary>When false, returned runs carry no params/tags/metrics (cheaper for id-only listings).</summary>
    public bool IncludeDetails { get; init; } = true;
}

public enum ViewType { ActiveOnly, DeletedOnly, All }
