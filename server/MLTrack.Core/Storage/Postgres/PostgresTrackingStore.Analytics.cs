using System.Globalization;
using System.Text;
using MLTrack.Core.Analytics;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// Period aggregates in one statement each, as on SQLite: the periods travel as two bigint arrays, unnested WITH
/// ORDINALITY and joined to ranges of the covering index runs_activity, so a window reads only its runs' index
/// entries. The numbers equal SQLite's (the analytics contract runs on both).
/// </summary>
public sealed partial class PostgresTrackingStore
{
    private const string PeriodsSql = "unnest(@lo::bigint[], @hi::bigint[]) WITH ORDINALITY AS p(lo, hi, idx)";

    public IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope)
    {
        if (periods.Count == 0) return [];
        return _db.Read(c =>
        {
            var (where, args) = ScopeSql(scope, "r");
            using var cmd = c.Command($"""
                SELECT p.idx - 1, count(*)::int,
                       count(*) FILTER (WHERE r.status = 'FINISHED')::int,
                       count(*) FILTER (WHERE r.status IN ('FAILED', 'CRASHED'))::int,
                       coalesce(sum(CASE WHEN r.end_time >= r.start_time THEN r.end_time - r.start_time ELSE 0 END), 0)::bigint,
                       count(DISTINCT r.experiment_id)::int,
                       count(DISTINCT r.user_id)::int
                FROM {PeriodsSql}
                JOIN runs r ON r.start_time >= p.lo AND r.start_time < p.hi AND r.lifecycle_stage = 'active'{where}
                GROUP BY p.idx
                """, null, [.. PeriodArgs(periods), .. args]);
            var result = new PeriodActivity[periods.Count];
            Array.Fill(result, PeriodActivity.None);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                result[(int)r.GetInt64(0)] = new PeriodActivity(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4) / 3_600_000.0,
                    r.GetInt32(5), r.GetInt32(6));
            return (IReadOnlyList<PeriodActivity>)result;
        });
    }

    public IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope) =>
        _db.Read(c =>
        {
            var (where, args) = ScopeSql(scope, "r");
            using var cmd = c.Command($"""
                SELECT r.experiment_id, count(*)::int,
                       count(*) FILTER (WHERE r.status = 'FINISHED')::int,
                       count(*) FILTER (WHERE r.status IN ('FAILED', 'CRASHED'))::int,
                       coalesce(sum(CASE WHEN r.end_time >= r.start_time THEN r.end_time - r.start_time ELSE 0 END), 0)::bigint,
                       count(DISTINCT r.user_id)::int,
                       max(r.start_time)
                FROM runs r
                WHERE r.start_time >= @from AND r.start_time < @to AND r.lifecycle_stage = 'active'{where}
                GROUP BY r.experiment_id
                ORDER BY r.experiment_id
                """, null, [("from", from), ("to", to), .. args]);
            var list = new List<(string, PeriodActivity, long)>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
                list.Add((r.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                    new PeriodActivity(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4) / 3_600_000.0, 1, r.GetInt32(5)), r.GetInt64(6)));
            return (IReadOnlyList<(string, PeriodActivity, long)>)list;
        });

    public IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter)
    {
        if (periods.Count == 0) return [];
        return _db.Read(c =>
        {
            var (where, args) = ScopeSql(scope, "r");
            // min_value/max_value leave NaN out (NULL while a series is all NaN), as SQLite's summaries do.
            var (value, order) = higherIsBetter ? ("s.max_value", "DESC") : ("s.min_value", "ASC");
            using var cmd = c.Command($"""
                SELECT DISTINCT ON (p.idx) p.idx - 1, {value}, r.run_id
                FROM {PeriodsSql}
                JOIN runs r ON r.start_time >= p.lo AND r.start_time < p.hi AND r.lifecycle_stage = 'active'{where}
                JOIN metric_series s ON s.run_id = r.run_id AND s.key = @key
                WHERE {value} IS NOT NULL
                ORDER BY p.idx, {value} {order}, r.start_time, r.run_seq
                """, null, [.. PeriodArgs(periods), ("key", key), .. args]);
            var result = new PeriodBest?[periods.Count];
            using var r = cmd.ExecuteReader();
            while (r.Read()) result[(int)r.GetInt64(0)] = new PeriodBest(r.GetDouble(1), r.GetString(2));
            return (IReadOnlyList<PeriodBest?>)result;
        });
    }

    public (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope) => _db.Read(c =>
    {
        var (where, args) = ScopeSql(scope, "r");
        using var cmd = c.Command($"""
            SELECT count(DISTINCT r.experiment_id)::int, count(DISTINCT r.user_id)::int
            FROM runs r
            WHERE r.start_time >= @from AND r.start_time < @to AND r.lifecycle_stage = 'active'{where}
            """, null, [("from", from), ("to", to), .. args]);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt32(0), r.GetInt32(1));
    });

    public long? FirstRunStart(RunScope scope) => _db.Read(c =>
    {
        var (where, args) = ScopeSql(scope, "r");
        return c.Scalar($"SELECT min(r.start_time) FROM runs r WHERE r.lifecycle_stage = 'active'{where}", null, args) is long l ? (long?)l : null;
    });

    public IReadOnlyList<string> ListRunUsers() => _db.Read(c =>
    {
        using var cmd = c.Command("""
            SELECT DISTINCT user_id FROM runs
            WHERE user_id IS NOT NULL AND user_id <> '' AND lifecycle_stage = 'active'
            ORDER BY user_id
            """, null);
        var list = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(r.GetString(0));
        return (IReadOnlyList<string>)list;
    });

    private static (string, object?)[] PeriodArgs(IReadOnlyList<Period> periods) =>
        [("lo", periods.Select(p => p.Start).ToArray()), ("hi", periods.Select(p => p.End).ToArray())];

    private static (string Sql, (string, object?)[] Args) ScopeSql(RunScope scope, string alias)
    {
        var sql = new StringBuilder();
        var args = new List<(string, object?)>();
        if (scope.ExperimentIds is { Count: > 0 } ids)
        {
            var parsed = ids.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new ArgumentException($"Experiment id '{id}' is not a number.")).ToArray();
            sql.Append($" AND {alias}.experiment_id = ANY(@experiments)");
            args.Add(("experiments", parsed));
        }
        if (!string.IsNullOrEmpty(scope.User))
        {
            sql.Append($" AND {alias}.user_id = @user");
            args.Add(("user", scope.User));
        }
        return (sql.ToString(), args.ToArray());
    }
}
