using Microsoft.Data.Sqlite;
using MLTrack.Core.Storage.Chunks;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>Prepared statements of the metric ingest path, kept on the writer connection so hot batches skip re-parsing SQL.</summary>
internal sealed class MetricWriteCommands : IDisposable
{
    public readonly SqliteCommand FindSeries;
    public readonly SqliteCommand InsertSeries;
    public readonly SqliteCommand UpdateSeries;
    public readonly SqliteCommand InsertChunk;
    public readonly SqliteCommand ReadTailChunk;
    public readonly SqliteCommand ReplaceTailChunk;

    public MetricWriteCommands(SqliteConnection c)
    {
        FindSeries = Make(c, """
            SELECT series_id, point_count, last_step, last_timestamp, last_value, last_is_nan, min_value, max_value, chunk_count, tail_points
            FROM metric_series WHERE run_rowid = @run AND key = @key
            """, "@run", "@key");
        InsertSeries = Make(c, """
            INSERT INTO metric_series (run_rowid, key, point_count, last_step, last_timestamp) VALUES (@run, @key, 0, 0, 0) RETURNING series_id
            """, "@run", "@key");
        UpdateSeries = Make(c, """
            UPDATE metric_series SET point_count = @count, last_step = @step, last_timestamp = @ts, last_value = @value, last_is_nan = @nan,
                   min_value = @min, max_value = @max, chunk_count = @chunks, tail_points = @tail
            WHERE series_id = @id
            """, "@count", "@step", "@ts", "@value", "@nan", "@min", "@max", "@chunks", "@tail", "@id");
        InsertChunk = Make(c, """
            INSERT INTO metric_chunks (chunk_id, series_id, seq, point_count, min_step, max_step, summary, summary_fine, data)
            VALUES ((@id << 32) | @seq, @id, @seq, @count, @lo, @hi, @summary, @fine, @data)
            """, "@id", "@seq", "@count", "@lo", "@hi", "@summary", "@fine", "@data");
        ReadTailChunk = Make(c, "SELECT data FROM metric_chunks WHERE chunk_id = (@id << 32) | @seq", "@id", "@seq");
        ReplaceTailChunk = Make(c, """
            UPDATE metric_chunks SET point_count = @count, min_step = @lo, max_step = @hi, summary = @summary, summary_fine = @fine, data = @data
            WHERE chunk_id = (@id << 32) | @seq
            """, "@count", "@lo", "@hi", "@summary", "@fine", "@data", "@id", "@seq");
    }

    /// <summary>The series row of (run, key), created empty when missing.</summary>
    public (long SeriesId, SeriesState State) LoadSeries(long rowid, string key)
    {
        Bind(FindSeries, rowid, key);
        using (var r = FindSeries.ExecuteReader())
        {
            if (r.Read())
            {
                return (r.GetInt64(0), new SeriesState
                {
                    Count = r.GetInt64(1),
                    LastStep = r.GetInt64(2),
                    LastTimestamp = r.GetInt64(3),
                    LastValue = r.GetInt64(5) != 0 || r.IsDBNull(4) ? double.NaN : r.GetDouble(4),
                    Min = r.IsDBNull(6) ? double.NaN : r.GetDouble(6),
                    Max = r.IsDBNull(7) ? double.NaN : r.GetDouble(7),
                    ChunkCount = r.GetInt64(8),
                    TailPoints = (int)r.GetInt64(9),
                });
            }
        }
        Bind(InsertSeries, rowid, key);
        return ((long)InsertSeries.ExecuteScalar()!, new SeriesState());
    }

    public void SaveSeries(long seriesId, SeriesState s)
    {
        bool nan = double.IsNaN(s.LastValue);
        Bind(UpdateSeries, s.Count, s.LastStep, s.LastTimestamp, nan ? null : s.LastValue, nan ? 1 : 0,
            double.IsNaN(s.Min) ? null : s.Min, double.IsNaN(s.Max) ? null : s.Max, s.ChunkCount, s.TailPoints, seriesId);
        UpdateSeries.ExecuteNonQuery();
    }

    public void Enlist(SqliteTransaction tx)
    {
        foreach (var cmd in All) cmd.Transaction = tx;
    }

    private IEnumerable<SqliteCommand> All => [FindSeries, InsertSeries, UpdateSeries, InsertChunk, ReadTailChunk, ReplaceTailChunk];

    private static SqliteCommand Make(SqliteConnection c, string sql, params string[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        return cmd;
    }

    public static void Bind(SqliteCommand cmd, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public void Dispose()
    {
        foreach (var cmd in All) cmd.Dispose();
    }
}
