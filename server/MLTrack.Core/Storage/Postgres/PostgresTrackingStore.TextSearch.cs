using System.Globalization;
using MLTrack.Core.Runs;
using MLTrack.Core.Search.Text;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    private const int MaxNeighboursPerWord = 12;
    private const int MaxVocabularyScan = 20_000;
    /// <summary>How many of the newest matching index rows are ranked, as in SQLite (<c>SqliteTrackingStore.RankWindow</c>).</summary>
    internal const int RankWindow = 2_000;

    /// <summary>
    /// Full-text search over <c>text_docs</c> (migration 3): every word as a <c>:*</c> prefix of a tsquery matched in the
    /// GIN index, ranked by ts_rank (titles weigh 4× details, divided by the document's length as bm25 does) times the
    /// recency boost SQLite uses (×2 for a run started now, ×1.5 a week ago, → ×1 for old ones) over the newest
    /// <see cref="RankWindow"/> matching rows. Deleted runs and experiments are dropped, repeated metric keys,
    /// artifact paths and param/tag pairs collapse into their best hit, and when every match was seen and there are
    /// still fewer than <paramref name="limit"/> hits, words are widened to indexed words one typo away.
    /// </summary>
    public IReadOnlyList<SearchHit> SearchText(string query, int limit)
    {
        if (limit is < 1 or > Sqlite.SqliteTrackingStore.MaxTextSearchResults)
            throw new StoreException(StoreErrorCode.InvalidParameterValue,
                $"Search limit must be between 1 and {Sqlite.SqliteTrackingStore.MaxTextSearchResults}, got {limit}.");
        var tokens = TextQuery.Tokenize(query);
        if (tokens.Count == 0) return [];
        return _db.Read(c =>
        {
            var now = Now();
            var seenDocs = new HashSet<long>();
            var seenKeys = new HashSet<string>();
            var hits = new List<SearchHit>();
            var plenty = CollectText(c, PrefixTsQuery(tokens, null), tokens, limit, now, fuzzy: false, hits, seenDocs, seenKeys);
            if (hits.Count < limit && !plenty)
            {
                var neighbours = Neighbours(c, tokens);
                if (neighbours.Count > 0)
                    CollectText(c, PrefixTsQuery(tokens, neighbours), tokens, limit, now, fuzzy: true, hits, seenDocs, seenKeys);
            }
            return (IReadOnlyList<SearchHit>)hits;
        });
    }

    /// <summary>
    /// <c>'val':* &amp; 'lo':*</c>; with neighbours, each word or one of them: <c>('accurcy':* | 'accuracy':*) &amp; 'val':*</c>.
    /// Words are letters and digits only (TextQuery), so quoting cannot be broken out of; doubling quotes is belt and braces.
    /// </summary>
    private static string PrefixTsQuery(IReadOnlyList<string> tokens, IReadOnlyDictionary<string, IReadOnlyList<string>>? neighbours) =>
        string.Join(" & ", tokens.Select(t =>
            neighbours is not null && neighbours.TryGetValue(t, out var near) && near.Count > 0
                ? "(" + string.Join(" | ", new[] { t }.Concat(near).Select(Prefix)) + ")"
                : Prefix(t)));

    private static string Prefix(string word) => "'" + word.Replace("'", "''") + "':*";

    private readonly record struct TextCandidate(long DocId, string Kind, string Owner, string Item, double Score, string Title, string Detail);

    /// <summary>Adds hits; true when the query had more matching rows than were looked at (so typo tolerance would add noise, not recall).</summary>
    private static bool CollectText(NpgsqlConnection c, string match, IReadOnlyList<string> tokens, int limit, long now, bool fuzzy,
        List<SearchHit> hits, HashSet<long> seenDocs, HashSet<string> seenKeys)
    {
        // A common word matches a row per run: rank only the newest RankWindow matches (a bitmap scan of the GIN index
        // and a top-N sort by doc_id), then read the text of the top rows only. Over-fetch: some rows collapse or
        // belong to deleted runs. ts_rank's weights are {D, C, B, A}: detail (B) 1, title (A) 4; normalization 2
        // divides by the document length, as bm25 favours short documents. Equal scores are ordered by key or path,
        // then newest first, as in SQLite: the order in which a batch's rows were inserted differs between stores.
        int fetch = limit * 4 + 20;
        var candidates = new List<TextCandidate>(fetch);
        using (var cmd = c.Command(
            """
            WITH q AS MATERIALIZED (SELECT to_tsquery('simple', @q) AS q),
            recent AS MATERIALIZED (
                SELECT d.doc_id, d.item, d.ts, d.doc FROM text_docs d, q WHERE d.doc @@ q.q ORDER BY d.doc_id DESC LIMIT @window),
            top AS MATERIALIZED (
                SELECT r.doc_id, r.item,
                       ts_rank('{0, 0, 0.25, 1}', r.doc, q.q, 2) * (1.0 + 1.0 / (1.0 + greatest(0, @now - r.ts) / 604800000.0)) AS score
                FROM recent r, q
                ORDER BY score DESC, r.item, r.doc_id DESC LIMIT @n)
            SELECT d.doc_id, d.kind, d.owner, d.item, top.score::double precision, d.title, d.detail
            FROM top JOIN text_docs d USING (doc_id)
            ORDER BY top.score DESC, top.item, top.doc_id DESC
            """, null, ("q", match), ("now", now), ("n", fetch), ("window", RankWindow)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                candidates.Add(new TextCandidate(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetString(5), r.GetString(6)));
        }
        if (candidates.Count == 0) return false;

        var runs = LoadSearchRuns(c, candidates.Where(x => x.Kind != TextKinds.Experiment).Select(x => x.Owner));
        var experiments = LoadSearchExperiments(c, candidates.Where(x => x.Kind == TextKinds.Experiment)
            .Select(x => long.Parse(x.Owner, CultureInfo.InvariantCulture)).Concat(runs.Values.Select(x => x.ExperimentId)));

        foreach (var x in candidates)
        {
            if (hits.Count >= limit) break;
            if (!seenDocs.Add(x.DocId)) continue;
            SearchHit? hit;
            if (x.Kind == TextKinds.Experiment)
            {
                var experimentId = long.Parse(x.Owner, CultureInfo.InvariantCulture);
                if (!experiments.TryGetValue(experimentId, out var e) || e.Deleted) continue;
                hit = new SearchHit(SearchHitKind.Experiment, e.Name, "experiment", null, x.Owner, x.Score, x.Title) { ExperimentName = e.Name };
            }
            else
            {
                if (!runs.TryGetValue(x.Owner, out var run) || run.Deleted) continue;
                if (!experiments.TryGetValue(run.ExperimentId, out var e) || e.Deleted) continue;
                var runLabel = string.IsNullOrEmpty(run.Name) ? run.RunId[..Math.Min(8, run.RunId.Length)] : run.Name;
                var shortId = run.RunId[..Math.Min(8, run.RunId.Length)];
                var where = $"run {runLabel} · {e.Name}";
                var experimentId = run.ExperimentId.ToString(CultureInfo.InvariantCulture);
                string? collapseKey = x.Kind switch
                {
                    TextKinds.Metric => "m\0" + x.Title,
                    TextKinds.Artifact => "a\0" + x.Title,
                    TextKinds.Param => "p\0" + x.Title + "\0" + x.Detail,
                    TextKinds.Tag => "t\0" + x.Title + "\0" + x.Detail,
                    _ => null,
                };
                if (collapseKey is not null && !seenKeys.Add(collapseKey)) continue;
                hit = x.Kind switch
                {
                    TextKinds.Run => new SearchHit(SearchHitKind.Run, runLabel, $"{run.Status} · {e.Name} · {shortId}", run.RunId, experimentId, x.Score, Matched(x, tokens)),
                    TextKinds.Param => new SearchHit(SearchHitKind.Param, $"{x.Title} = {x.Detail}", where, run.RunId, experimentId, x.Score, Matched(x, tokens)),
                    TextKinds.Tag => new SearchHit(SearchHitKind.Tag, $"{x.Title} = {x.Detail}", where, run.RunId, experimentId, x.Score, Matched(x, tokens)),
                    TextKinds.Metric => new SearchHit(SearchHitKind.Metric, x.Title, "latest in " + where, run.RunId, experimentId, x.Score, x.Title),
                    TextKinds.Artifact => new SearchHit(SearchHitKind.Artifact, x.Title, where, run.RunId, experimentId, x.Score, x.Title),
                    _ => null,
                };
                if (hit is null) continue;
                hit = hit with { RunName = run.Name, RunStatus = run.Status, StartTime = run.StartTime, ExperimentName = e.Name };
            }
            hits.Add(hit with { Fuzzy = fuzzy });
        }
        return candidates.Count >= fetch;
    }

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

    private static Dictionary<string, SearchRun> LoadSearchRuns(NpgsqlConnection c, IEnumerable<string> runIds)
    {
        var result = new Dictionary<string, SearchRun>(StringComparer.Ordinal);
        var ids = runIds.Distinct().ToArray();
        if (ids.Length == 0) return result;
        using var cmd = c.Command(
            "SELECT run_id, name, status, start_time, experiment_id, lifecycle_stage FROM runs WHERE run_id = ANY(@ids)", null, ("ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result[r.GetString(0)] = new SearchRun(r.GetString(0), r.GetNullableString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5) == LifecycleStages.Deleted);
        return result;
    }

    private static Dictionary<long, SearchExperiment> LoadSearchExperiments(NpgsqlConnection c, IEnumerable<long> experimentIds)
    {
        var result = new Dictionary<long, SearchExperiment>();
        var ids = experimentIds.Distinct().ToArray();
        if (ids.Length == 0) return result;
        using var cmd = c.Command("SELECT experiment_id, name, lifecycle_stage FROM experiments WHERE experiment_id = ANY(@ids)", null, ("ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetInt64(0)] = new SearchExperiment(r.GetString(1), r.GetString(2) == LifecycleStages.Deleted);
        return result;
    }

    /// <summary>
    /// Indexed words one typo away from each query word, from <c>text_vocab</c>, chosen as SQLite chooses them: only
    /// words sharing the query word's first or second letter are scanned (a b-tree range each, in byte order), which
    /// covers typos anywhere but in the first two letters at once.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> Neighbours(NpgsqlConnection c, IReadOnlyList<string> tokens)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var word in tokens)
        {
            if (word.Length < TextQuery.MinFuzzyLength) continue;
            var near = new List<string>();
            foreach (var start in new[] { word[0], word[1] }.Distinct())
            {
                using var cmd = c.Command("SELECT term FROM text_vocab WHERE term >= @lo AND term < @hi ORDER BY term LIMIT @max", null,
                    ("lo", start.ToString()), ("hi", ((char)(start + 1)).ToString()), ("max", MaxVocabularyScan));
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

    /// <summary>text_docs.kind values (migration 3).</summary>
    private static class TextKinds
    {
        public const string Run = "run", Experiment = "experiment", Param = "param", Tag = "tag", Metric = "metric", Artifact = "artifact";
    }
}
