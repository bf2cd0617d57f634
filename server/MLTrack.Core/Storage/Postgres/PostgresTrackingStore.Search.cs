using System.Text;
using MLTrack.Core.Search;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    /// <summary>
    /// Filters and sorts in SQL (<see cref="PostgresRunFilter"/>) and loads details only for the page returned.
    /// Ties fall back to newest first, then last created first, as in SQLite.
    /// Throws <see cref="FilterSyntaxException"/> for a malformed filter or order_by.
    /// </summary>
    public RunPage SearchRuns(RunQuery query)
    {
        CheckQuery(query);
        var filter = PostgresRunFilter.Where(FilterParser.Parse(query.Filter));
        var orders = query.OrderBy.Select((o, i) => PostgresRunFilter.OrderBy(OrderByParser.Parse(o), i)).ToList();
        long offset = PageToken.Decode(query.PageToken);

        var sql = new StringBuilder($"SELECT {RunColumns} FROM runs r ");
        foreach (var (join, _) in orders) sql.Append(join.Sql).Append(' ');
        sql.Append("WHERE ").Append(query.ViewType switch
        {
            ViewType.ActiveOnly => "r.lifecycle_stage = 'active'",
            ViewType.DeletedOnly => "r.lifecycle_stage = 'deleted'",
            _ => "true",
        });
        var args = new List<(string, object?)>();
        if (query.ExperimentIds.Count == 1)
        {
            // "=" lets the planner walk runs_experiment_start in order and stop at LIMIT.
            sql.Append(" AND r.experiment_id = @experiment");
            args.Add(("experiment", ParseExperimentId(query.ExperimentIds[0])));
        }
        else if (query.ExperimentIds.Count > 1)
        {
            sql.Append(" AND r.experiment_id = ANY(@experiments)");
            args.Add(("experiments", query.ExperimentIds.Select(ParseExperimentId).ToArray()));
        }
        sql.Append(" AND (").Append(filter.Sql).Append(") ORDER BY ");
        foreach (var (_, orderSql) in orders) sql.Append(orderSql).Append(", ");
        sql.Append("r.start_time DESC, r.run_seq DESC LIMIT @limit OFFSET @offset");
        args.AddRange(filter.Parameters.Select(p => (p.Key, p.Value)));
        args.AddRange(orders.SelectMany(o => o.Join.Parameters).Select(p => (p.Key, p.Value)));
        args.Add(("limit", (long)query.MaxResults + 1)); // one extra row tells whether another page exists
        args.Add(("offset", offset));

        return _db.Read(c =>
        {
            var rows = QueryRuns(c, sql.ToString(), args.ToArray());
            string? next = null;
            if (rows.Count > query.MaxResults)
            {
                rows.RemoveAt(rows.Count - 1);
                next = PageToken.Encode(offset + query.MaxResults);
            }
            return new RunPage(query.IncludeDetails ? WithDetails(c, rows) : rows, next);
        });
    }
}
