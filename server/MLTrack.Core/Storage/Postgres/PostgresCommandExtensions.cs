using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>Short forms for parameterized commands; a null value is sent as SQL NULL typed by its context.</summary>
internal static class PostgresCommandExtensions
{
    public static NpgsqlCommand Command(this NpgsqlConnection c, string sql, NpgsqlTransaction? tx, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public static int Exec(this NpgsqlConnection c, string sql, NpgsqlTransaction? tx, params (string Name, object? Value)[] args)
    {
        using var cmd = c.Command(sql, tx, args);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(this NpgsqlConnection c, string sql, NpgsqlTransaction? tx, params (string Name, object? Value)[] args)
    {
        using var cmd = c.Command(sql, tx, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static string? GetNullableString(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static long? GetNullableInt64(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
    public static int? GetNullableInt32(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    public static bool? GetNullableBoolean(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);

    /// <summary>A unique constraint refused the row (another writer got there first).</summary>
    public static bool IsUniqueViolation(this Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
