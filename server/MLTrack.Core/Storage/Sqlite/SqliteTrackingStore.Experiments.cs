using Microsoft.Data.Sqlite;
using MLTrack.Core.Runs;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    public Experiment CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        CheckExperimentName(name);
        CheckTags(tags);
        var id = Write((c, tx) =>
        {
            if (c.Scalar("SELECT 1 FROM experiments WHERE name = @n", tx, ("@n", name)) is not null)
                throw ExperimentExists(name);
            long now = Now();
            var newId = (long)c.Scalar(
                "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (@n, @a, @t, @t) RETURNING experiment_id",
                tx, ("@n", name), ("@a", artifactLocation), ("@t", now))!;
            foreach (var (k, v) in tags ?? new Dictionary<string, string>())
                c.Exec("INSERT INTO experiment_tags VALUES (@e, @k, @v)", tx, ("@e", newId), ("@k", k), ("@v", v));
            return newId;
        });
        return GetExperiment(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public Experiment GetExperiment(string experimentId) =>
        Read(c => QueryExperiments(c, "WHERE experiment_id = @id", ("@id", ParseExperimentId(experimentId))).FirstOrDefault())
        ?? throw ExperimentNotFound(experimentId);

    public Experiment? FindExperimentByName(string name) =>
        Read(c => QueryExperiments(c, "WHERE name = @n", ("@n", name)).FirstOrDefault());

    public Experiment GetOrCreateExperiment(string name)
    {
        if (FindExperimentByName(name) is { } existing) return existing;
        try
        {
            return CreateExperiment(name);
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceAlreadyExists)
        {
            return FindExperimentByName(name)!; // another process created it between our two calls
        }
    }

    public IReadOnlyList<Experiment> ListExperiments(ViewType view = ViewType.ActiveOnly) =>
        Read(c => QueryExperiments(c, LifecycleWhere(view, "lifecycle_stage") + " ORDER BY experiment_id"));

    public IReadOnlyDictionary<string, int> CountRunsByExperiment() => Read(c =>
    {
        var counts = new Dictionary<string, int>();
        using var cmd = c.Command("SELECT experiment_id, count(*) FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id");
        using var r = cmd.ExecuteReader();
        while (r.Read()) counts[r.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture)] = r.GetInt32(1);
        return (IReadOnlyDictionary<string, int>)counts;
    });

    public void RenameExperiment(string experimentId, string newName)
    {
        CheckExperimentName(newName);
        Write((c, tx) =>
        {
            var id = RequireExperiment(c, tx, experimentId);
            if (c.Scalar("SELECT 1 FROM experiments WHERE name = @n AND experiment_id != @id", tx, ("@n", newName), ("@id", id)) is not null)
                throw ExperimentExists(newName);
            c.Exec("UPDATE experiments SET name = @n, last_update_time = @t WHERE experiment_id = @id", tx, ("@n", newName), ("@t", Now()), ("@id", id));
        });
    }

    public void SetExperimentTag(string experimentId, string key, string value) => Write((c, tx) =>
    {
        CheckKey(key, "tag");
        var id = RequireExperiment(c, tx, experimentId);
        c.Exec("INSERT INTO experiment_tags VALUES (@e, @k, @v) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
            tx, ("@e", id), ("@k", key), ("@v", value));
    });

    public void DeleteExperiment(string experimentId) => SetExperimentLifecycle(experimentId, LifecycleStages.Deleted);

    public void RestoreExperiment(string experimentId) => SetExperimentLifecycle(experimentId, LifecycleStages.Active);

    private void SetExperimentLifecycle(string experimentId, string stage) => Write((c, tx) =>
    {
        var id = RequireExperiment(c, tx, experimentId);
        // As in MLflow, deleting an experiment soft-deletes its runs with it.
        c.Exec("UPDATE experiments SET lifecycle_stage = @s, last_update_time = @t WHERE experiment_id = @id", tx, ("@s", stage), ("@t", Now()), ("@id", id));
        c.Exec("UPDATE runs SET lifecycle_stage = @s WHERE experiment_id = @id", tx, ("@s", stage), ("@id", id));
    });

    private static long RequireExperiment(SqliteConnection c, SqliteTransaction? tx, string experimentId)
    {
        var id = ParseExperimentId(experimentId);
        if (c.Scalar("SELECT 1 FROM experiments WHERE experiment_id = @id", tx, ("@id", id)) is null)
            throw ExperimentNotFound(experimentId);
        return id;
    }

    private static List<Experiment> QueryExperiments(SqliteConnection c, string where, params (string, object?)[] args)
    {
        var rows = new List<(long Id, string Name, string? Art, string Stage, long Created, long Updated)>();
        using (var cmd = c.Command($"SELECT {ExperimentColumns} FROM experiments {where}", null, args))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5)));
        }
        var tags = new Dictionary<long, Dictionary<string, string>>();
        using (var cmd = c.Command("SELECT experiment_id, key, value FROM experiment_tags"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (!tags.TryGetValue(r.GetInt64(0), out var d)) tags[r.GetInt64(0)] = d = [];
                d[r.GetString(1)] = r.GetString(2);
            }
        }
        return rows.Select(x => new Experiment(x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Name, x.Art, x.Stage, x.Created, x.Updated,
            tags.TryGetValue(x.Id, out var t) ? t : new Dictionary<string, string>())).ToList();
    }

    private static string LifecycleWhere(ViewType view, string column) => view switch
    {
        ViewType.ActiveOnly => $"WHERE {column} = 'active'",
        ViewType.DeletedOnly => $"WHERE {column} = 'deleted'",
        _ => "WHERE 1 = 1",
    };
}
