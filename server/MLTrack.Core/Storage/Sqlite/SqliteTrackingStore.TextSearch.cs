using System.Globalization;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Runs;
using MLTrack.Core.Search.Text;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    public const int MaxTextSearchResults = 200;
    private const int MaxNeighboursPerWord = 12;
    private const int MaxVocabularyScan = 20_000;
    /// <summary>How many of the newest matching index rows are ranked (see <see cref="Collect"/>).</summary>
    internal const int RankWindow = 2_000;

    /// <summary>
    /// Full-text search over the FTS5 index (see <see cref="TextSearchSchema"/>): every word as a prefix, ranked by
    /// bm25 (titles weigh 4× details) times a recency boost (×2 for a run started now, ×1.5 a week ago, → ×1 for old
    /// ones) over the newest <see cref="RankWindow"/> matching rows. Hits of deleted runs and experiments are
    /// dropped; repeated metric keys, artifact paths and identical param/tag pairs collapse into their best (usually
    /// most recent) hit. When every match was seen and there are still fewer than <paramref name="limit"/> hits,
    /// words are widened to index terms one typo away and those hits follow.
    /// </summary>
    public IReadOnlyList<SearchHit> SearchText(string query, int limit)
    {
        if (limit is < 1 or > MaxTextSearchResults)
            throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Search limit must be between 1 and {MaxTextSearchResults}, got {limit}.");
        var tokens = TextQuery.Tokenize(query);
        if (tokens.Count == 0) return [];
        return Read(c =>
        {
            var now = Now();
            var seenDocs = new HashSet<long>();
            var seenKeys = new HashSet<string>();
            var hits = new List<SearchHit>();
            var plenty = Collect(c, TextQuery.PrefixQuery(tokens), tokens, limit, now, fuzzy: false, hits, seenDocs, seenKeys);
            if (hits.Count < limit && !plenty)
            {
                var neighbours = Neighbours(c, tokens);
                if (neighbours.Count > 0)
                    Collect(c, TextQuery.FuzzyQuery(tokens, neighbours), tokens, limit, now, fuzzy: true, hits, seenDocs, seenKeys);
            }
            return (IReadOnlyList<SearchHit>)hits;
        });
    }

    private readonly record struct TextCandidate(long DocId, string Kind, long Owner, string Item, double Score, string Title, string Detail);

    /// <summary>Adds hits; true when the query had more matching rows than were looked at (so typo tolerance would add noise, not recall).</summary>
    private static bool Collect(SqliteConnection c, string match, IReadOnlyList<string> tokens, int limit, long now, bool fuzzy,
        List<SearchHit> hits, HashSet<long> seenDocs, HashSet<string> seenKeys)
    {
        // bm25 costs ~1 µs per matching row and a common word ("loss", "optimizer") matches a row per run: score only
        // the newest RankWindow matches (FTS5 walks its doclist by rowid, which grows with insertion, so that is a
        // cheap index walk), rank those with the recency boost, then read the text of the top rows only.
        // Over-fetch: some rows collapse or belong to deleted runs. Equal scores are ordered by key or path, then newest
        // first, so that the PostgreSQL store (which may insert a batch's rows in another order) agrees.
        int fetch = limit * 4 + 20;
        var candidates = new List<TextCandidate>(fetch);
        using (var cmd = c.Command(
            """
            WITH recent AS MATERIALIZED (
                SELECT rowid AS id, bm25(text_index, 4.0, 1.0) AS b FROM text_index
                WHERE text_index MATCH @q ORDER BY rowid DESC LIMIT @window),
            top AS MATERIALIZED (
                SELECT d.doc_id AS id, d.kind AS kind, d.owner AS owner, d.item AS item,
                       -recent.b * (1.0 + 1.0 / (1.0 + max(0, @now - d.ts) / 604800000.0)) AS score
                FROM recent JOIN text_docs d ON d.doc_id = recent.id
                ORDER BY score DESC, item, id DESC LIMIT @n)
            SELECT top.id, top.kind, top.owner, top.item, top.score, x.title, x.detail
            FROM top JOIN text_index x ON x.rowid = top.id
            ORDER BY top.score DESC, top.item, top.id DESC
            """, null, ("@q", match), ("@now", now), ("@n", fetch), ("@window", RankWindow)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                candidates.Add(new TextCandidate(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetDouble(4), r.GetString(5), r.GetString(6)));
        }
        if (candidates.Count == 0) return false;

        var runs = LoadSearchRuns(c, candidates.Where(x => x.Kind != TextSearchSchema.Experiment).Select(x => x.Owner));
        var experiments = LoadSearchExperiments(c, candidates.Where(x => x.Kind == TextSearchSchema.Experiment).Select(x => x.Owner)
            .Concat(runs.Values.Select(x => x.ExperimentId)));

        foreach (var x in candidates)
        {
            if (hits.Count >= limit) break;
            if (!seenDocs.Add(x.DocId)) continue;
            SearchHit? hit;
            if (x.Kind == TextSearchSchema.Experiment)
            {
                if (!experiments.TryGetValue(x.Owner, out var e) || e.Deleted) continue;
                hit = new SearchHit(SearchHitKind.Experiment, e.Name, "experiment", null, Id(x.Owner), x.Score, x.Title)
                {
                    ExperimentName = e.Name,
                };
            }
            else
            {
                if (!runs.TryGetValue(x.Owner, out var run) || run.Deleted) continue;
                if (!experiments.TryGetValue(run.ExperimentId, out var e) || e.Deleted) continue;
                var runLabel = string.IsNullOrEmpty(run.Name) ? run.RunId[..8] : run.Name;
                var where = $"run {runLabel} · {e.Name}";
                string? collapseKey = x.Kind switch
                {
                    TextSearchSchema.Metric => "m\0" + x.Title,
                    TextSearchSchema.Artifact => "a\0" + x.Title,
                    TextSearchSchema.Param => "p\0" + x.Title + "\0" + x.Detail,
                    TextSearchSchema.Tag => "t\0" + x.Title + "\0" + x.Detail,
                    _ => null,
                };
                if (collapseKey is not null && !seenKeys.Add(collapseKey)) continue;
                hit = x.Kind switch
                {
                    TextSearchSchema.Run => new SearchHit(SearchHitKind.Run, runLabel, $"{run.Status} · {e.Name} · {run.RunId[..8]}", run.RunId, Id(run.ExperimentId), x.Score, Matched(x, tokens)),
                    TextSearchSchema.Param => new SearchHit(SearchHitKind.Param, $"{x.Title} = {x.Detail}", where, run.RunId, Id(run.ExperimentId), x.Score, Matched(x, tokens)),
                    TextSearchSchema.Tag => new SearchHit(SearchHitKind.Tag, $"{x.Title} = {x.Detail}", where, run.RunId, Id(run.ExperimentId), x.Score, Matched(x, tokens)),
                    TextSearchSchema.Metric => new SearchHit(SearchHitKind.Metric, x.Title, "latest in " + where, run.RunId, Id(run.ExperimentId), x.Score, x.Title),
                    TextSearchSchema.Artifact => new SearchHit(SearchHitKind.Artifact, x.Title, where, run.RunId, Id(run.ExperimentId), x.Score, x.Title),
                    _ => null,
                };
                if (hit is null) continue;
                hit = hit with { RunName = run.Name, RunStatus = run.Status, StartTime = run.StartTime, ExperimentName = e.Name };
            }
            hits.Add(hit with { Fuzzy = fuzzy });
        }
        return candidates.Count >= fetch;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The title when a query word starts one of its words, else the detail.</summary>
    private static string Matched(TextCandidate x, IReadOnlyList<string> tokens)
    {
        var titleWords = TextQuery.Tokenize(x.Title.Length > 512 ? x.Title[..512] : x.Title);
        foreach (var t in tokens)
            if (titleWords.Any(w => w.StartsWith(t, StringComparison.Ordinal))) return x.Title;
        return x.Detail.Length > 0 ? x.Detail : x.Title;
    }

    private sealed record SearchRun(string RunId, string? Name, string Status, long StartTime, long ExperimentId, bool Deleted);

    private sealed record SearchExperiment(string Name, bool Deleted);

    private static Dictionary<long, SearchRun> LoadSearchRuns(SqliteConnection c, IEnumerable<long> rowids)
    {
        var result = new Dictionary<long, SearchRun>();
        var ids = JsonIds(rowids);
        if (ids is null) return result;
        using var cmd = c.Command(
            "SELECT run_rowid, run_id, name, status, start_time, experiment_id, lifecycle_stage FROM runs WHERE run_rowid IN (SELECT value FROM json_each(@ids))",
            null, ("@ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result[r.GetInt64(0)] = new SearchRun(r.GetString(1), r.GetNullableString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6) == LifecycleStages.Deleted);
        return result;
    }

    private static Dictionary<long, SearchExperiment> LoadSearchExperiments(SqliteConnection c, IEnumerable<long> ids)
    {
        var result = new Dictionary<long, SearchExperiment>();
        var json = JsonIds(ids);
        if (json is null) return result;
        using var cmd = c.Command(
            "SELECT experiment_id, name, lifecycle_stage FROM experiments WHERE experiment_id IN (SELECT value FROM json_each(@ids))", null, ("@ids", json));
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetInt64(0)] = new SearchExperiment(r.GetString(1), r.GetString(2) == LifecycleStages.Deleted);
        return result;
    }

    private static string? JsonIds(IEnumerable<long> ids)
    {
        var distinct = ids.Distinct().ToList();
        return distinct.Count == 0 ? null : "[" + string.Join(",", distinct.Select(Id)) + "]";
    }

    /// <summary>
    /// Index terms one typo away from each word, from the FTS vocabulary. Only terms sharing the word's first or
    /// second letter are scanned (a range scan each), which covers typos anywhere but in the first two letters at once.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> Neighbours(SqliteConnection c, IReadOnlyList<string> tokens)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var word in tokens)
        {
            if (word.Length < TextQuery.MinFuzzyLength) continue;
            var near = new List<string>();
            foreach (var start in new[] { word[0], word[1] }.Distinct())
            {
                using var cmd = c.Command("SELECT term FROM text_vocab WHERE term >= @lo AND term < @hi LIMIT @max", null,
                    ("@lo", start.ToString()), ("@hi", ((char)(start + 1)).ToString()), ("@max", MaxVocabularyScan));
                using var r = cmd.ExecuteReader();
                while (r.Read() && near.Count < MaxNeighboursPerWord)
                {
                    var term = r.GetString(0);
                    if (TextQuery.IsNear(word, term) && !near.Contains(term)) near.Add(term);
                }
            }
            if (near.Count > 0) result[word] = near;
        }
        return result;
    }
}
