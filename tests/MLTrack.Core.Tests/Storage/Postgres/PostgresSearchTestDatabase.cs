using MLTrack.Core.Tests.Search;
using MLTrack.Core.Search;
using MLTrack.Core.Storage.Postgres;
using Npgsql;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// A database with the real schema in a locale-aware collation (ICU en-US, where "vision" sorts before "Vision"),
/// a few runs, and a way to search them with the SQL <see cref="PostgresRunFilter"/> generates.
/// </summary>
internal sealed class PostgresSearchTestDatabase : IRunFilterTestDatabase<string>
{
    private readonly PostgresTestDatabase _db = new(localeAware: true);
    private readonly PostgresTrackingStore _store;

    public PostgresSearchTestDatabase()
    {
        _store = PostgresTrackingStore.Open(_db.Uri, Path.GetTempPath());
        _db.Execute("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (1, 'one', 0, 0), (2, 'two', 0, 0)");
    }

    public string AddRun(string runId, string? name, string status, long startTime, long? endTime = null, int? exitCode = null, int experimentId = 1)
    {
        _db.Execute("""
            INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, exit_code, artifact_uri)
            VALUES (@id, @exp, @name, @status, @start, @end, @exit, 'file:///tmp/' || @id)
            """, ("id", runId), ("exp", (long)experimentId), ("name", name), ("status", status), ("start", startTime), ("end", endTime), ("exit", exitCode));
        return runId;
    }

    public void AddParam(string run, string key, string value) => Insert("params", run, key, value);

    public void AddTag(string run, string key, string value) => Insert("tags", run, key, value);

    /// <summary>Records <paramref name="last"/> as the run's latest value of <paramref name="key"/> (NaN is kept as NaN).</summary>
    public void AddMetric(string run, string key, double last) =>
        MLTrack.Core.Storage.StoreExtensions.LogMetrics(_store, run, [new MLTrack.Core.Metrics.MetricPoint(key, last, 0, 0)]);

    /// <summary>Run ids matching <paramref name="filter"/>, sorted by <paramref name="orderBy"/> then by insertion order.</summary>
    public IReadOnlyList<string> Search(string? filter, params string[] orderBy)
    {
        var where = PostgresRunFilter.Where(FilterParser.Parse(filter));
        var joins = new List<string>();
        var orders = new List<string>();
        var parameters = new List<KeyValuePair<string, object?>>(where.Parameters);
        for (var i = 0; i < orderBy.Length; i++)
        {
            var (join, order) = PostgresRunFilter.OrderBy(OrderByParser.Parse(orderBy[i]), i);
            joins.Add(join.Sql);
            parameters.AddRange(join.Parameters);
            orders.Add(order);
        }
        orders.Add("r.run_seq");
        using var c = _db.Connect();
        using var command = new NpgsqlCommand($"SELECT r.run_id FROM runs r {string.Join(" ", joins)} WHERE {where.Sql} ORDER BY {string.Join(", ", orders)}", c);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public long Count(string table) => (long)_db.Scalar("SELECT count(*) FROM " + table)!;

    public void Dispose()
    {
        _store.Dispose();
        _db.Dispose();
    }

    private void Insert(string table, string run, string key, string value) =>
        _db.Execute($"INSERT INTO {table} (run_id, key, value) VALUES (@run, @key, @value)", ("run", run), ("key", key), ("value", value));
}
