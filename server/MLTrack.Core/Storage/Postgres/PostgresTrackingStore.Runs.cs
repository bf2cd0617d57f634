using Npgsql;
using MLTrack.Core.Runs;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    private const string RunColumns =
        "r.run_id, r.experiment_id, r.name, r.status, r.user_id, r.start_time, r.end_time, r.command, r.cwd, r.source_file, " +
        "r.exit_code, r.pid, r.host, r.git_commit, r.git_branch, r.git_remote, r.git_dirty, r.parent_run_id, r.lifecycle_stage, r.artifact_uri";

    public Run CreateRun(NewRun run)
    {
        var runId = run.RunId ?? Guid.NewGuid().ToString("N");
        if (run.RunId is not null) CheckRunId(runId);
        CheckName(run.Name, "run name");
        CheckTags(run.Tags);
        var artifactUri = run.ArtifactUriFor(runId, ArtifactRoot);
        _db.Write((c, tx) =>
        {
            var experimentId = RequireExperiment(c, tx, run.ExperimentId ?? Experiment.DefaultId);
            if (c.Scalar("SELECT lifecycle_stage FROM experiments WHERE experiment_id = @e", tx, ("e", experimentId)) as string == LifecycleStages.Deleted)
                throw ExperimentDeleted(run.ExperimentId);
            if (c.Scalar("SELECT 1 FROM runs WHERE run_id = @id", tx, ("id", runId)) is not null)
                throw RunExists(runId);
            if (run.ParentRunId is { } parent && c.Scalar("SELECT 1 FROM runs WHERE run_id = @p", tx, ("p", parent)) is null)
                throw ParentNotFound(parent);
            // ON CONFLICT too: a client replaying its spool on two replicas at once creates the run once, the other is told it exists.
            var inserted = c.Exec(
                """
                INSERT INTO runs (run_id, experiment_id, name, status, user_id, start_time, command, cwd, source_file, pid, host,
                                  git_commit, git_branch, git_remote, git_dirty, parent_run_id, artifact_uri)
                VALUES (@id, @e, @n, @s, @u, @st, @cmd, @cwd, @src, @pid, @host, @gc, @gb, @gr, @gd, @p, @a)
                ON CONFLICT (run_id) DO NOTHING
                """, tx,
                ("id", runId), ("e", experimentId), ("n", run.Name), ("s", run.Status.ToString()), ("u", run.User),
                ("st", run.StartTime ?? Now()), ("cmd", run.Command), ("cwd", run.Cwd), ("src", run.SourceFile), ("pid", run.Pid),
                ("host", run.Host), ("gc", run.Git.Commit), ("gb", run.Git.Branch), ("gr", run.Git.Remote),
                ("gd", run.Git.Dirty), ("p", run.ParentRunId), ("a", artifactUri));
            if (inserted == 0) throw RunExists(runId);
            UpsertTags(c, tx, runId, run.Tags?.ToList() ?? []);
        });
        return GetRun(runId);
    }

    public Run GetRun(string runId) => _db.Read(c =>
    {
        var runs = QueryRuns(c, $"SELECT {RunColumns} FROM runs r WHERE r.run_id = @id", ("id", runId));
        if (runs.Count == 0) throw RunNotFound(runId);
        return WithDetails(c, runs)[0];
    });

    public string ResolveRunId(string idOrPrefix)
    {
        var text = RunIdPrefix(idOrPrefix);
        return _db.Read(c =>
        {
            var matches = new List<string>();
            // A range scan of the primary key (byte order: the column is COLLATE "C"); LIKE would treat '_' and '%' as wildcards.
            using var cmd = c.Command("SELECT run_id FROM runs WHERE run_id >= @lo AND run_id < @hi ORDER BY run_id LIMIT 6",
                null, ("lo", text), ("hi", text + "\uffff"));
            using var r = cmd.ExecuteReader();
            while (r.Read()) matches.Add(r.GetString(0));
            return ResolvePrefix(idOrPrefix, text, matches);
        });
    }

    public void UpdateRun(string runId, RunUpdate update)
    {
        CheckName(update.Name, "run name");
        _db.Write((c, tx) =>
        {
            RequireRun(c, tx, runId, allowDeleted: false);
            c.Exec(
                """
                UPDATE runs SET status = COALESCE(@s, status), end_time = COALESCE(@e, end_time), exit_code = COALESCE(@x, exit_code),
                                name = COALESCE(@n, name), pid = COALESCE(@pid, pid)
                WHERE run_id = @id
                """, tx,
                ("s", update.Status?.ToString()), ("e", update.EndTime), ("x", update.ExitCode), ("n", update.Name), ("pid", update.Pid), ("id", runId));
        });
    }

    public void DeleteRun(string runId) => SetRunLifecycle(runId, LifecycleStages.Deleted);

    public void RestoreRun(string runId) => SetRunLifecycle(runId, LifecycleStages.Active);

    private void SetRunLifecycle(string runId, string stage) => _db.Write((c, tx) =>
    {
        if (c.Exec("UPDATE runs SET lifecycle_stage = @s WHERE run_id = @id", tx, ("s", stage), ("id", runId)) == 0)
            throw RunNotFound(runId);
    });

    public IReadOnlyList<Run> ListRunningRuns() => _db.Read(c =>
        WithDetails(c, QueryRuns(c, $"SELECT {RunColumns} FROM runs r WHERE r.status = 'RUNNING' ORDER BY r.run_seq")));

    public void SetTag(string runId, string key, string value)
    {
        CheckKey(key, "tag");
        _db.Write((c, tx) =>
        {
            RequireRun(c, tx, runId, allowDeleted: false);
            UpsertTags(c, tx, runId, [new(key, value)]);
        });
    }

    public void DeleteTag(string runId, string key) => _db.Write((c, tx) =>
    {
        RequireRun(c, tx, runId, allowDeleted: false);
        if (c.Exec("DELETE FROM tags WHERE run_id = @r AND key = @k", tx, ("r", runId), ("k", key)) == 0)
            throw TagNotFound(runId, key);
    });

    /// <summary>Refuses a missing run, and a deleted one unless <paramref name="allowDeleted"/>.</summary>
    private static void RequireRun(NpgsqlConnection c, NpgsqlTransaction? tx, string runId, bool allowDeleted)
    {
        var stage = c.Scalar("SELECT lifecycle_stage FROM runs WHERE run_id = @id", tx, ("id", runId)) as string
            ?? throw RunNotFound(runId);
        if (!allowDeleted && stage == LifecycleStages.Deleted) throw RunDeleted(runId);
    }
}
