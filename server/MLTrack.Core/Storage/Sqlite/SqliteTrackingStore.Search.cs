using System.Text;
using MLTrack.Core.Search;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    public const int MaxSearchResults = StoreRules.MaxSearchResults;

    /// <summary>
    /// Filters and sorts in SQL and loads details only for the page returned.
    /// Throws <see cref="FilterSyntaxException"/> for a malformed filter or order_by.
    /// </summary>
    public RunPage SearchRuns(RunQuery query)
    {
        CheckQuery(query);
        var filter = SqliteRunFilter.Where(FilterParser.Parse(query.Filter));
        var orders = query.OrderBy.Select((o, i) => SqliteRunFilter.OrderBy(OrderByParser.Parse(o), i)).ToList();
        long offset = PageToken.Decode(query.PageToken);

        var sql = new StringBuilder($"SELECT {RunColumns} FROM runs r ");
        foreach (var (join, _) in orders) sql.Append(join.Sql).Append(' ');
        sql.Append("WHERE ").Append(query.ViewType switch
        {
            ViewType.ActiveOnly => "r.lifecycle_stage = 'active'",
            ViewType.DeletedOnly => "r.lifecycle_stage = 'deleted'",
            _ => "1=1",
        });
        var args = new List<(string, object?)>();
        if (query.ExperimentIds.Count == 1)
        {
            // "=" lets the planner walk runs_experiment_start in order and stop at LIMIT; IN (json_each) sorts every row.
            sql.Append(" AND r.experiment_id = @experiment");
            args.Add(("@experiment", ParseExperimentId(query.ExperimentIds[0])));
        }
        else if (query.ExperimentIds.Count > 1)
        {
            sql.Append(" AND r.experiment_id IN (SELECT value FROM json_each(@experiments))");
            args.Add(("@experiments", "[" + string.Join(",", query.ExperimentIds.Select(ParseExperimentId)) + "]"));
        }
        sql.Append(" AND (").Append(filter.Sql).Append(") ORDER BY ");
        foreach (var (_, orderSql) in orders) sql.Append(orderSql).Append(", ");
        sql.Append("r.start_time DESC, r.run_rowid DESC LIMIT @limit OFFSET @offset");
        args.AddRange(filter.Parameters.Select(p => (p.Key, p.Value)));
        args.AddRange(orders.SelectMany(o => o.Join.Parameters).Select(p => (p.Key, p.Value)));
        args.Add(("@limit", query.MaxResults + 1)); // one extra row tells whether another page exists
        args.Add(("@offset", offset));

        return Read(c =>
        {
            var rows = QueryRuns(c, sql.ToString(), args.ToArray());
            string? next = null;
            if (rows.Count > query.MaxResults)
            {
                rows.RemoveAt(rows.Count - 1);
                next = PageToken.Encode(offset + query.MaxResults);
            }
            return new RunPage(query.IncludeDetails ? WithDetails(c, rows) : rows.Select(x => x.Run).ToList(), next);
        });
    }
}
