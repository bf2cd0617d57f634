using Npgsql;
using MLTrack.Core.Runs;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    private const string ExperimentColumns = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    public Experiment CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        CheckExperimentName(name);
        CheckTags(tags);
        var id = _db.Write((c, tx) =>
        {
            long now = Now();
            // ON CONFLICT rather than look-then-insert: two replicas creating one name at once get one row and one refusal.
            if (c.Scalar(
                    """
                    INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (@n, @a, @t, @t)
                    ON CONFLICT (name) DO NOTHING RETURNING experiment_id
                    """, tx, ("n", name), ("a", artifactLocation), ("t", now)) is not long newId)
                throw ExperimentExists(name);
            foreach (var (k, v) in tags ?? new Dictionary<string, string>())
                c.Exec("INSERT INTO experiment_tags VALUES (@e, @k, @v)", tx, ("e", newId), ("k", k), ("v", v));
            return newId;
        });
        return GetExperiment(ExperimentIdText(id));
    }

    public Experiment GetExperiment(string experimentId)
    {
        var id = ParseExperimentId(experimentId);
        return _db.Read(c => QueryExperiments(c, "WHERE experiment_id = @id", ("id", id)).FirstOrDefault())
            ?? throw ExperimentNotFound(experimentId);
    }

    public Experiment? FindExperimentByName(string name) =>
        _db.Read(c => QueryExperiments(c, "WHERE name = @n", ("n", name)).FirstOrDefault());

    public Experiment GetOrCreateExperiment(string name)
    {
        if (FindExperimentByName(name) is { } existing) return existing;
        try
        {
            return CreateExperiment(name);
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceAlreadyExists)
        {
            return FindExperimentByName(name)!; // another replica created it between our two calls
        }
    }

    public IReadOnlyList<Experiment> ListExperiments(ViewType view = ViewType.ActiveOnly) =>
        _db.Read(c => QueryExperiments(c, LifecycleWhere(view, "lifecycle_stage") + " ORDER BY experiment_id"));

    public IReadOnlyDictionary<string, int> CountRunsByExperiment() => _db.Read(c =>
    {
        var counts = new Dictionary<string, int>();
        using var cmd = c.Command("SELECT experiment_id, count(*) FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id", null);
        using var r = cmd.ExecuteReader();
        while (r.Read()) counts[ExperimentIdText(r.GetInt64(0))] = (int)r.GetInt64(1);
        return (IReadOnlyDictionary<string, int>)counts;
    });

    public void RenameExperiment(string experimentId, string newName)
    {
        CheckExperimentName(newName);
        try
        {
            _db.Write((c, tx) =>
            {
                var id = RequireExperiment(c, tx, experimentId);
                c.Exec("UPDATE experiments SET name = @n, last_update_time = @t WHERE experiment_id = @id", tx, ("n", newName), ("t", Now()), ("id", id));
            });
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            throw ExperimentExists(newName);
        }
    }

    public void SetExperimentTag(string experimentId, string key, string value)
    {
        CheckKey(key, "tag");
        _db.Write((c, tx) =>
        {
            var id = RequireExperiment(c, tx, experimentId);
            c.Exec("INSERT INTO experiment_tags VALUES (@e, @k, @v) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
                tx, ("e", id), ("k", key), ("v", value));
        });
    }

    public void DeleteExperiment(string experimentId) => SetExperimentLifecycle(experimentId, LifecycleStages.Deleted);

    public void RestoreExperiment(string experimentId) => SetExperimentLifecycle(experimentId, LifecycleStages.Active);

    private void SetExperimentLifecycle(string experimentId, string stage) => _db.Write((c, tx) =>
    {
        var id = RequireExperiment(c, tx, experimentId);
        // As in MLflow, deleting an experiment soft-deletes its runs with it.
        c.Exec("UPDATE experiments SET lifecycle_stage = @s, last_update_time = @t WHERE experiment_id = @id", tx, ("s", stage), ("t", Now()), ("id", id));
        c.Exec("UPDATE runs SET lifecycle_stage = @s WHERE experiment_id = @id", tx, ("s", stage), ("id", id));
    });

    private static long RequireExperiment(NpgsqlConnection c, NpgsqlTransaction? tx, string experimentId)
    {
        var id = ParseExperimentId(experimentId);
        if (c.Scalar("SELECT 1 FROM experiments WHERE experiment_id = @id", tx, ("id", id)) is null)
            throw ExperimentNotFound(experimentId);
        return id;
    }

    private static List<Experiment> QueryExperiments(NpgsqlConnection c, string where, params (string, object?)[] args)
    {
        var rows = new List<(long Id, string Name, string? Art, string Stage, long Created, long Updated)>();
        using (var cmd = c.Command($"SELECT {ExperimentColumns} FROM experiments {where}", null, args))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5)));
        }
        var tags = new Dictionary<long, Dictionary<string, string>>();
        if (rows.Count > 0)
        {
            using var cmd = c.Command("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ANY(@ids)", null,
                ("ids", rows.Select(x => x.Id).ToArray()));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (!tags.TryGetValue(r.GetInt64(0), out var d)) tags[r.GetInt64(0)] = d = [];
                d[r.GetString(1)] = r.GetString(2);
            }
        }
        return rows.Select(x => new Experiment(ExperimentIdText(x.Id), x.Name, x.Art, x.Stage, x.Created, x.Updated,
            tags.TryGetValue(x.Id, out var t) ? t : new Dictionary<string, string>())).ToList();
    }

    private static string LifecycleWhere(ViewType view, string column) => view switch
    {
        ViewType.ActiveOnly => $"WHERE {column} = 'active'",
        ViewType.DeletedOnly => $"WHERE {column} = 'deleted'",
        _ => "WHERE true",
    };
}
