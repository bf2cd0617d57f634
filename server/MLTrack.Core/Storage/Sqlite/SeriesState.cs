using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>The per-(run, key) digest row, loaded, folded with new points, and saved within one write transaction.</summary>
internal sealed class SeriesState
{
    public long SeriesId;
    public long Count;
    public long LastStep, LastTimestamp;
    public double LastValue;
    public double Min = double.NaN, Max = double.NaN;
    public long ChunkCount;
    public int TailPoints;

    public static SeriesState Load(MetricWriteCommands cmds, long rowid, string key)
    {
        MetricWriteCommands.Bind(cmds.FindSeries, rowid, key);
        using (var r = cmds.FindSeries.ExecuteReader())
        {
            if (r.Read())
            {
                return new SeriesState
                {
                    SeriesId = r.GetInt64(0),
                    Count = r.GetInt64(1),
                    LastStep = r.GetInt64(2),
                    LastTimestamp = r.GetInt64(3),
                    LastValue = r.GetInt64(5) != 0 || r.IsDBNull(4) ? double.NaN : r.GetDouble(4),
                    Min = r.IsDBNull(6) ? double.NaN : r.GetDouble(6),
                    Max = r.IsDBNull(7) ? double.NaN : r.GetDouble(7),
                    ChunkCount = r.GetInt64(8),
                    TailPoints = (int)r.GetInt64(9),
                };
            }
        }
        MetricWriteCommands.Bind(cmds.InsertSeries, rowid, key);
        return new SeriesState { SeriesId = (long)cmds.InsertSeries.ExecuteScalar()!, LastStep = long.MinValue, LastTimestamp = long.MinValue };
    }

    /// <summary>Folds points into count, min/max (NaN ignored) and latest (highest step, then newest timestamp, as MLflow).</summary>
    public void Absorb(ReadOnlySpan<SeriesPoint> points)
    {
        foreach (var p in points)
        {
            Count++;
            if (!double.IsNaN(p.Value))
            {
                if (!(p.Value >= Min)) Min = p.Value;
                if (!(p.Value <= Max)) Max = p.Value;
            }
            if (p.Step > LastStep || (p.Step == LastStep && p.Timestamp >= LastTimestamp))
            {
                LastStep = p.Step;
                LastTimestamp = p.Timestamp;
                LastValue = p.Value;
            }
        }
    }

    public void Save(MetricWriteCommands cmds)
    {
        bool nan = double.IsNaN(LastValue);
        MetricWriteCommands.Bind(cmds.UpdateSeries, Count, LastStep, LastTimestamp, nan ? null : LastValue, nan ? 1 : 0,
            double.IsNaN(Min) ? null : Min, double.IsNaN(Max) ? null : Max, ChunkCount, TailPoints, SeriesId);
        cmds.UpdateSeries.ExecuteNonQuery();
    }
}
