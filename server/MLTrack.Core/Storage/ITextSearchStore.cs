using MLTrack.Core.Search.Text;

namespace MLTrack.Core.Storage;

/// <summary>Full-text search across everything a user may type to find a run.</summary>
public interface ITextSearchStore
{
    /// <summary>
    /// Ranked hits across run names and ids, experiments, params, tags, metric keys and artifact paths: each word of
    /// <paramref name="query"/> as a prefix, relevance plus a recency boost, one typo tolerated when that finds too
    /// little. Deleted runs and experiments are left out. At most <paramref name="limit"/> (1..200) hits, best first.
    /// </summary>
    IReadOnlyList<SearchHit> SearchText(string query, int limit);
}
