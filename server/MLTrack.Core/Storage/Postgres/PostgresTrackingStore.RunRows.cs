using Npgsql;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    /// <summary>Run attributes from a full SELECT whose columns are <see cref="RunColumns"/>; details are filled in by <see cref="WithDetails"/>.</summary>
    private static List<Run> QueryRuns(NpgsqlConnection c, string sql, params (string, object?)[] args)
    {
        var list = new List<Run>();
        using var cmd = c.Command(sql, null, args);
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(ReadRun(r));
        return list;
    }

    private static Run ReadRun(NpgsqlDataReader r) => new(
        RunId: r.GetString(0),
        ExperimentId: ExperimentIdText(r.GetInt64(1)),
        Name: r.GetNullableString(2),
        Status: RunStatusExtensions.Parse(r.GetString(3)),
        User: r.GetNullableString(4),
        StartTime: r.GetInt64(5),
        EndTime: r.GetNullableInt64(6),
        Command: r.GetNullableString(7),
        Cwd: r.GetNullableString(8),
        SourceFile: r.GetNullableString(9),
        ExitCode: r.GetNullableInt32(10),
        Pid: r.GetNullableInt32(11),
        Host: r.GetNullableString(12),
        Git: new GitInfo(r.GetNullableString(13), r.GetNullableString(14), r.GetNullableString(15), r.GetNullableBoolean(16)),
        ParentRunId: r.GetNullableString(17),
        LifecycleStage: r.GetString(18),
        ArtifactUri: r.GetString(19),
        Params: EmptyMap,
        Tags: EmptyMap,
        Metrics: []);

    /// <summary>Fills params, tags and latest metrics for a page of runs with three set-based queries.</summary>
    private static List<Run> WithDetails(NpgsqlConnection c, List<Run> runs)
    {
        if (runs.Count == 0) return [];
        var ids = runs.Select(x => x.RunId).ToArray();
        var parameters = ReadPairs(c, "params", ids);
        var tags = ReadPairs(c, "tags", ids);
        var metrics = ReadLatestMetrics(c, ids);
        return runs.Select(x => x with
        {
            Params = parameters.TryGetValue(x.RunId, out var p) ? p : EmptyMap,
            Tags = tags.TryGetValue(x.RunId, out var t) ? t : EmptyMap,
            Metrics = metrics.TryGetValue(x.RunId, out var m) ? m : [],
        }).ToList();
    }

    private static Dictionary<string, Dictionary<string, string>> ReadPairs(NpgsqlConnection c, string table, string[] ids)
    {
        var into = new Dictionary<string, Dictionary<string, string>>();
        using var cmd = c.Command($"SELECT run_id, key, value FROM {table} WHERE run_id = ANY(@ids)", null, ("ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!into.TryGetValue(r.GetString(0), out var d)) into[r.GetString(0)] = d = [];
            d[r.GetString(1)] = r.GetString(2);
        }
        return into;
    }

    /// <summary>
    /// Each run's metric summaries, by key in byte order as SQLite lists them, from <c>metric_latest</c> (one row per
    /// run and key, kept by the metrics area as points are appended).
    /// </summary>
    private static Dictionary<string, List<MetricSummary>> ReadLatestMetrics(NpgsqlConnection c, string[] ids)
    {
        var into = new Dictionary<string, List<MetricSummary>>();
        using var cmd = c.Command(
            """
            SELECT run_id, key, value, step, "timestamp", min_value, max_value, point_count
            FROM metric_latest WHERE run_id = ANY(@ids) ORDER BY run_id, key COLLATE "C"
            """, null, ("ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!into.TryGetValue(r.GetString(0), out var list)) into[r.GetString(0)] = list = [];
            list.Add(new MetricSummary(r.GetString(1), r.IsDBNull(2) ? double.NaN : r.GetDouble(2), r.GetInt64(3), r.GetInt64(4),
                r.IsDBNull(5) ? double.NaN : r.GetDouble(5), r.IsDBNull(6) ? double.NaN : r.GetDouble(6), r.GetInt64(7)));
        }
        return into;
    }
}
