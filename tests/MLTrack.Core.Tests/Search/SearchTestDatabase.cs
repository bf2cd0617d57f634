using MLTrack.Core.Storage;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Search;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Search;

/// <summary>An in-memory SQLite database with the real schema, a few runs, and a way to search them with the generated SQL.</summary>
internal sealed class SearchTestDatabase : IRunFilterTestDatabase<long>
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SearchTestDatabase()
    {
        _connection.Open();
        Execute(SqliteSchema.Migrations[0]);
        Execute("PRAGMA case_sensitive_like = ON");
        Execute("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (1, 'one', 0, 0), (2, 'two', 0, 0)");
    }

    public long AddRun(string runId, string? name, string status, long startTime, long? endTime = null, int? exitCode = null, int experimentId = 1)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, exit_code, artifact_uri)
            VALUES ($id, $exp, $name, $status, $start, $end, $exit, 'file:///tmp/' || $id)
            RETURNING run_rowid
            """;
        command.Parameters.AddWithValue("$id", runId);
        command.Parameters.AddWithValue("$exp", experimentId);
        command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$start", startTime);
        command.Parameters.AddWithValue("$end", (object?)endTime ?? DBNull.Value);
        command.Parameters.AddWithValue("$exit", (object?)exitCode ?? DBNull.Value);
        return (long)command.ExecuteScalar()!;
    }

    public void AddParam(long run, string key, string value) => Insert("params", run, key, value);

    public void AddTag(long run, string key, string value) => Insert("tags", run, key, value);

    /// <summary>Records a metric series whose latest value is <paramref name="last"/>; NaN is stored as NULL, as the store does.</summary>
    public void AddMetric(long run, string key, double last)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO metric_series (run_rowid, key, point_count, last_step, last_timestamp, last_value, last_is_nan)
            VALUES ($run, $key, 1, 0, 0, $value, $nan)
            """;
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", double.IsNaN(last) ? DBNull.Value : last);
        command.Parameters.AddWithValue("$nan", double.IsNaN(last) ? 1 : 0);
        command.ExecuteNonQuery();
    }

    /// <summary>Run ids matching <paramref name="filter"/>, sorted by <paramref name="orderBy"/> then by insertion order.</summary>
    public IReadOnlyList<string> Search(string? filter, params string[] orderBy)
    {
        var where = SqliteRunFilter.Where(FilterParser.Parse(filter));
        var joins = new List<string>();
        var orders = new List<string>();
        var parameters = new List<KeyValuePair<string, object?>>(where.Parameters);
        for (var i = 0; i < orderBy.Length; i++)
        {
            var (join, order) = SqliteRunFilter.OrderBy(OrderByParser.Parse(orderBy[i]), i);
            joins.Add(join.Sql);
            parameters.AddRange(join.Parameters);
            orders.Add(order);
        }
        orders.Add("r.run_rowid");
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT r.run_id FROM runs r {string.Join(" ", joins)} WHERE {where.Sql} ORDER BY {string.Join(", ", orders)}";
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

    public long Count(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM " + table;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _connection.Dispose();

    private void Insert(string table, long run, string key, string value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} (run_rowid, key, value) VALUES ($run, $key, $value)";
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
