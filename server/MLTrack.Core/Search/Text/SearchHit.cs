namespace MLTrack.Core.Search.Text;

/// <summary>
/// One ranked full-text hit. <see cref="Score"/> is higher for better hits (bm25 relevance, title matches weighted
/// above detail matches, boosted for recent runs). <see cref="MatchedText"/> is the indexed text that matched.
/// </summary>
public sealed record SearchHit(
    SearchHitKind Kind,
    string Title,
    string Detail,
    string? RunId,
    string? ExperimentId,
    double Score,
    string MatchedText)
{
    /// <summary>Set on hits found only through typo-tolerant matching.</summary>
    public bool Fuzzy { get; init; }

    /// <summary>For run-owned hits: the run's name, status and start time, for display.</summary>
    public string? RunName { get; init; }

    public string? RunStatus { get; init; }

    public long? StartTime { get; init; }

    public string? ExperimentName { get; init; }
}

/// <summary>What a hit is: the whole run or experiment, or one of a run's params, tags, metric keys or artifacts.</summary>
public enum SearchHitKind { Run, Experiment, Param, Tag, Metric, Artifact }
