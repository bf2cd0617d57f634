using System.Text;
using Npgsql;
using MLTrack.Core.Reports;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    private const string ReportColumns =
        "report_id, type, title, range_from, range_to, time_zone, experiment_id, created_at, size_bytes, insights, params";

    public void SaveReport(ReportRecord x) => _db.Write((c, tx) =>
        c.Exec($"""
            INSERT INTO reports ({ReportColumns}) VALUES (@id, @t, @ti, @f, @to, @z, @e, @c, @s, @i, @p)
            ON CONFLICT (report_id) DO UPDATE SET
                type = excluded.type, title = excluded.title, range_from = excluded.range_from, range_to = excluded.range_to,
                time_zone = excluded.time_zone, experiment_id = excluded.experiment_id, created_at = excluded.created_at,
                size_bytes = excluded.size_bytes, insights = excluded.insights, params = excluded.params
            """, tx,
            ("id", x.ReportId), ("t", x.Type), ("ti", x.Title), ("f", x.From), ("to", x.To), ("z", x.TimeZone),
            ("e", x.ExperimentId), ("c", x.CreatedAt), ("s", x.SizeBytes), ("i", x.Insights), ("p", x.ParamsJson)));

    public ReportRecord? FindReport(string reportId) => _db.Read(c =>
    {
        using var cmd = c.Command($"SELECT {ReportColumns} FROM reports WHERE report_id = @id", null, ("id", reportId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadReport(r) : null;
    });

    public IReadOnlyList<ReportRecord> ListReports(long? from = null, long? to = null, string? type = null) => _db.Read(c =>
    {
        // Only the given bounds become conditions: an untyped NULL parameter in "@x IS NULL" has no type PostgreSQL can infer.
        var sql = new StringBuilder($"SELECT {ReportColumns} FROM reports WHERE true");
        var args = new List<(string, object?)>();
        if (to is { } t) { sql.Append(" AND range_from < @to"); args.Add(("to", t)); }
        if (from is { } f) { sql.Append(" AND range_to > @from"); args.Add(("from", f)); }
        if (type is not null) { sql.Append(" AND type = @type"); args.Add(("type", type)); }
        sql.Append(" ORDER BY created_at DESC, report_id");
        using var cmd = c.Command(sql.ToString(), null, args.ToArray());
        using var r = cmd.ExecuteReader();
        var list = new List<ReportRecord>();
        while (r.Read()) list.Add(ReadReport(r));
        return (IReadOnlyList<ReportRecord>)list;
    });

    public bool DeleteReport(string reportId) =>
        _db.Write((c, tx) => c.Exec("DELETE FROM reports WHERE report_id = @id", tx, ("id", reportId)) > 0);

    private static ReportRecord ReadReport(NpgsqlDataReader r) => new()
    {
        ReportId = r.GetString(0),
        Type = r.GetString(1),
        Title = r.GetString(2),
        From = r.GetInt64(3),
        To = r.GetInt64(4),
        TimeZone = r.GetString(5),
        ExperimentId = r.GetNullableString(6),
        CreatedAt = r.GetInt64(7),
        SizeBytes = r.GetInt64(8),
        Insights = r.GetInt32(9),
        ParamsJson = r.GetString(10),
    };
}
