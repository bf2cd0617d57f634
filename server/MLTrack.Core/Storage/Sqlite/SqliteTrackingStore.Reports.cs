using Microsoft.Data.Sqlite;
using MLTrack.Core.Reports;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    private const string ReportColumns =
        "report_id, type, title, range_from, range_to, time_zone, experiment_id, created_at, size_bytes, insights, params";

    public void SaveReport(ReportRecord x) => Write((c, tx) =>
        c.Exec($"INSERT OR REPLACE INTO reports ({ReportColumns}) VALUES (@id, @t, @ti, @f, @to, @z, @e, @c, @s, @i, @p)", tx,
            ("@id", x.ReportId), ("@t", x.Type), ("@ti", x.Title), ("@f", x.From), ("@to", x.To), ("@z", x.TimeZone),
            ("@e", x.ExperimentId), ("@c", x.CreatedAt), ("@s", x.SizeBytes), ("@i", x.Insights), ("@p", x.ParamsJson)));

    public ReportRecord? FindReport(string reportId) => Read(c =>
    {
        using var cmd = c.Command($"SELECT {ReportColumns} FROM reports WHERE report_id = @id", null, ("@id", reportId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadReport(r) : null;
    });

    public IReadOnlyList<ReportRecord> ListReports(long? from = null, long? to = null, string? type = null) => Read(c =>
    {
        using var cmd = c.Command($"""
            SELECT {ReportColumns} FROM reports
            WHERE (@to IS NULL OR range_from < @to) AND (@from IS NULL OR range_to > @from) AND (@type IS NULL OR type = @type)
            ORDER BY created_at DESC, report_id
            """, null, ("@from", from), ("@to", to), ("@type", type));
        using var r = cmd.ExecuteReader();
        var list = new List<ReportRecord>();
        while (r.Read()) list.Add(ReadReport(r));
        return (IReadOnlyList<ReportRecord>)list;
    });

    public bool DeleteReport(string reportId) =>
        Write((c, tx) => c.Exec("DELETE FROM reports WHERE report_id = @id", tx, ("@id", reportId)) > 0);

    public string? GetPreferences(string user) => Read(c =>
        c.Scalar("SELECT value FROM preferences WHERE user_name = @u", null, ("@u", user)) as string);

    public void SavePreferences(string user, string json) => Write((c, tx) =>
        c.Exec("INSERT OR REPLACE INTO preferences (user_name, value, updated_at) VALUES (@u, @v, @t)", tx,
            ("@u", user), ("@v", json), ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));

    private static ReportRecord ReadReport(SqliteDataReader r) => new()
    {
        ReportId = r.GetString(0),
        Type = r.GetString(1),
        Title = r.GetString(2),
        From = r.GetInt64(3),
        To = r.GetInt64(4),
        TimeZone = r.GetString(5),
        ExperimentId = r.IsDBNull(6) ? null : r.GetString(6),
        CreatedAt = r.GetInt64(7),
        SizeBytes = r.GetInt64(8),
        Insights = r.GetInt32(9),
        ParamsJson = r.GetString(10),
    };
}
