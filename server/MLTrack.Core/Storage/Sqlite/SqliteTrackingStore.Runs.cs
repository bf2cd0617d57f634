using System.Globalization;
using Microsoft.Data.Sqlite;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using static MLTrack.Core.Storage.StoreErrors;
using static MLTrack.Core.Storage.StoreRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    private const string RunColumns =
        "r.run_rowid, r.run_id, r.experiment_id, r.name, r.status, r.user_id, r.start_time, r.end_time, r.command, r.cwd, r.source_file, " +
        "r.exit_code, r.pid, r.host, r.git_commit, r.git_branch, r.git_remote, r.git_dirty, r.parent_run_id, r.lifecycle_stage, r.artifact_uri";

    public Run CreateRun(NewRun run)
    {
        var runId = run.RunId ?? Guid.NewGuid().ToString("N");
        if (run.RunId is not null) CheckRunId(runId);
        CheckName(run.Name, "run name");
        CheckTags(run.Tags);
        var artifactUri = run.ArtifactUriFor(runId, ArtifactRoot);
        Write((c, tx) =>
        {
            var experimentId = RequireExperiment(c, tx, run.ExperimentId ?? Experiment.DefaultId);
            if (c.Scalar("SELECT lifecycle_stage FROM experiments WHERE experiment_id = @e", tx, ("@e", experimentId)) as string == LifecycleStages.Deleted)
                throw ExperimentDeleted(run.ExperimentId);
            if (c.Scalar("SELECT 1 FROM runs WHERE run_id = @id", tx, ("@id", runId)) is not null)
                throw RunExists(runId);
            if (run.ParentRunId is { } parent && c.Scalar("SELECT 1 FROM runs WHERE run_id = @p", tx, ("@p", parent)) is null)
                throw ParentNotFound(parent);
            var rowid = (long)c.Scalar(
                """
                INSERT INTO runs (run_id, experiment_id, name, status, user_id, start_time, command, cwd, source_file, pid, host,
                                  git_commit, git_branch, git_remote, git_dirty, parent_run_id, artifact_uri)
                VALUES (@id, @e, @n, @s, @u, @st, @cmd, @cwd, @src, @pid, @host, @gc, @gb, @gr, @gd, @p, @a) RETURNING run_rowid
                """, tx,
                ("@id", runId), ("@e", experimentId), ("@n", run.Name), ("@s", run.Status.ToString()), ("@u", run.User),
                ("@st", run.StartTime ?? Now()), ("@cmd", run.Command), ("@cwd", run.Cwd), ("@src", run.SourceFile), ("@pid", run.Pid),
                ("@host", run.Host), ("@gc", run.Git.Commit), ("@gb", run.Git.Branch), ("@gr", run.Git.Remote),
                ("@gd", run.Git.Dirty is { } d ? (d ? 1 : 0) : null), ("@p", run.ParentRunId), ("@a", artifactUri))!;
            foreach (var (k, v) in run.Tags ?? new Dictionary<string, string>())
                c.Exec("INSERT INTO tags VALUES (@r, @k, @v)", tx, ("@r", rowid), ("@k", k), ("@v", v));
        });
        return GetRun(runId);
    }

    public Run GetRun(string runId) => Read(c =>
    {
        var runs = LoadRuns(c, "WHERE r.run_id = @id", ("@id", runId));
        if (runs.Count == 0) throw RunNotFound(runId);
        return WithDetails(c, runs)[0];
    });

    public string ResolveRunId(string idOrPrefix)
    {
        var text = RunIdPrefix(idOrPrefix);
        return Read(c =>
        {
            var matches = new List<string>();
            // Range scan on the unique index instead of LIKE, which would also treat '_' and '%' as wildcards.
            using var cmd = c.Command("SELECT run_id FROM runs WHERE run_id >= @lo AND run_id < @hi ORDER BY run_id LIMIT 6",
                null, ("@lo", text), ("@hi", text + "\uffff"));
            using var r = cmd.ExecuteReader();
            while (r.Read()) matches.Add(r.GetString(0));
            return ResolvePrefix(idOrPrefix, text, matches);
        });
    }

    public void UpdateRun(string runId, RunUpdate update) => Write((c, tx) =>
    {
        CheckName(update.Name, "run name");
        RequireRun(c, tx, runId, allowDeleted: false);
        c.Exec(
            """
            UPDATE runs SET status = COALESCE(@s, status), end_time = COALESCE(@e, end_time), exit_code = COALESCE(@x, exit_code),
                            name = COALESCE(@n, name), pid = COALESCE(@pid, pid)
            WHERE run_id = @id
            """, tx,
            ("@s", update.Status?.ToString()), ("@e", update.EndTime), ("@x", update.ExitCode), ("@n", update.Name), ("@pid", update.Pid), ("@id", runId));
    });

    public void DeleteRun(string runId) => SetRunLifecycle(runId, LifecycleStages.Deleted);

    public void RestoreRun(string runId) => SetRunLifecycle(runId, LifecycleStages.Active);

    private void SetRunLifecycle(string runId, string stage) => Write((c, tx) =>
    {
        RequireRun(c, tx, runId, allowDeleted: true);
        c.Exec("UPDATE runs SET lifecycle_stage = @s WHERE run_id = @id", tx, ("@s", stage), ("@id", runId));
    });

    public IReadOnlyList<Run> ListRunningRuns() => Read(c => WithDetails(c, LoadRuns(c, "WHERE r.status = 'RUNNING'")));

    public void SetTag(string runId, string key, string value) => Write((c, tx) =>
    {
        CheckKey(key, "tag");
        var rowid = RequireRun(c, tx, runId, allowDeleted: false);
        UpsertTag(c, tx, rowid, key, value);
    });

    public void DeleteTag(string runId, string key) => Write((c, tx) =>
    {
        var rowid = RequireRun(c, tx, runId, allowDeleted: false);
        if (c.Exec("DELETE FROM tags WHERE run_rowid = @r AND key = @k", tx, ("@r", rowid), ("@k", key)) == 0)
            throw TagNotFound(runId, key);
    });

    public void RecordArtifact(string runId, ArtifactInfo artifact) => Write((c, tx) =>
    {
        var rowid = RequireRun(c, tx, runId, allowDeleted: false);
        c.Exec("INSERT INTO artifacts VALUES (@r, @p, @s, @h) ON CONFLICT (run_rowid, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256",
            tx, ("@r", rowid), ("@p", artifact.Path), ("@s", artifact.Size), ("@h", artifact.Sha256));
    });

    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId) => Read(c =>
    {
        var rowid = RequireRun(c, null, runId, allowDeleted: true);
        var list = new List<ArtifactInfo>();
        using var cmd = c.Command("SELECT path, size, sha256 FROM artifacts WHERE run_rowid = @r ORDER BY path", null, ("@r", rowid));
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new ArtifactInfo(r.GetString(0), r.GetInt64(1), r.GetString(2)));
        return list;
    });

    private static void UpsertTag(SqliteConnection c, SqliteTransaction tx, long rowid, string key, string value) =>
        c.Exec("INSERT INTO tags VALUES (@r, @k, @v) ON CONFLICT (run_rowid, key) DO UPDATE SET value = excluded.value",
            tx, ("@r", rowid), ("@k", key), ("@v", value));

    private static long RequireRun(SqliteConnection c, SqliteTransaction? tx, string runId, bool allowDeleted)
    {
        using var cmd = c.Command("SELECT run_rowid, lifecycle_stage FROM runs WHERE run_id = @id", tx, ("@id", runId));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) throw RunNotFound(runId);
        if (!allowDeleted && r.GetString(1) == LifecycleStages.Deleted)
            throw RunDeleted(runId);
        return r.GetInt64(0);
    }

    /// <summary>Run attributes only; details are filled in by <see cref="WithDetails"/>.</summary>
    private static List<(long RowId, Run Run)> LoadRuns(SqliteConnection c, string whereAndTail, params (string, object?)[] args) =>
        QueryRuns(c, $"SELECT {RunColumns} FROM runs r {whereAndTail}", args);

    /// <summary>Runs from a full SELECT whose columns are <see cref="RunColumns"/>.</summary>
    private static List<(long RowId, Run Run)> QueryRuns(SqliteConnection c, string sql, params (string, object?)[] args)
    {
        var list = new List<(long, Run)>();
        using var cmd = c.Command(sql, null, args);
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(ReadRun(r));
        return list;
    }

    private static (long, Run) ReadRun(SqliteDataReader r) => (r.GetInt64(0), new Run(
        RunId: r.GetString(1),
        ExperimentId: r.GetInt64(2).ToString(CultureInfo.InvariantCulture),
        Name: r.GetNullableString(3),
        Status: RunStatusExtensions.Parse(r.GetString(4)),
        User: r.GetNullableString(5),
        StartTime: r.GetInt64(6),
        EndTime: r.GetNullableInt64(7),
        Command: r.GetNullableString(8),
        Cwd: r.GetNullableString(9),
        SourceFile: r.GetNullableString(10),
        ExitCode: (int?)r.GetNullableInt64(11),
        Pid: (int?)r.GetNullableInt64(12),
        Host: r.GetNullableString(13),
        Git: new GitInfo(r.GetNullableString(14), r.GetNullableString(15), r.GetNullableString(16), r.GetNullableInt64(17) is { } d ? d != 0 : null),
        ParentRunId: r.GetNullableString(18),
        LifecycleStage: r.GetString(19),
        ArtifactUri: r.GetString(20),
        Params: EmptyMap,
        Tags: EmptyMap,
        Metrics: []));

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    /// <summary>Fills params, tags and metric summaries for a page of runs with three set-based queries.</summary>
    private static List<Run> WithDetails(SqliteConnection c, List<(long RowId, Run Run)> runs)
    {
        if (runs.Count == 0) return [];
        var ids = "[" + string.Join(",", runs.Select(x => x.RowId.ToString(CultureInfo.InvariantCulture))) + "]";
        var parameters = new Dictionary<long, Dictionary<string, string>>();
        var tags = new Dictionary<long, Dictionary<string, string>>();
        var metrics = new Dictionary<long, List<MetricSummary>>();
        ReadPairs(c, "params", ids, parameters);
        ReadPairs(c, "tags", ids, tags);
        using (var cmd = c.Command(
            """
            SELECT run_rowid, key, last_value, last_is_nan, last_step, last_timestamp, min_value, max_value, point_count
            FROM metric_series WHERE run_rowid IN (SELECT value FROM json_each(@ids)) ORDER BY key
            """, null, ("@ids", ids)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (!metrics.TryGetValue(r.GetInt64(0), out var list)) metrics[r.GetInt64(0)] = list = [];
                list.Add(new MetricSummary(r.GetString(1), r.GetInt64(3) != 0 ? double.NaN : r.GetNullableDouble(2) ?? double.NaN,
                    r.GetInt64(4), r.GetInt64(5), r.GetNullableDouble(6) ?? double.NaN, r.GetNullableDouble(7) ?? double.NaN, r.GetInt64(8)));
            }
        }
        return runs.Select(x => x.Run with
        {
            Params = parameters.TryGetValue(x.RowId, out var p) ? p : EmptyMap,
            Tags = tags.TryGetValue(x.RowId, out var t) ? t : EmptyMap,
            Metrics = metrics.TryGetValue(x.RowId, out var m) ? m : [],
        }).ToList();
    }

    private static void ReadPairs(SqliteConnection c, string table, string ids, Dictionary<long, Dictionary<string, string>> into)
    {
        using var cmd = c.Command($"SELECT run_rowid, key, value FROM {table} WHERE run_rowid IN (SELECT value FROM json_each(@ids))", null, ("@ids", ids));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!into.TryGetValue(r.GetInt64(0), out var d)) into[r.GetInt64(0)] = d = [];
            d[r.GetString(1)] = r.GetString(2);
        }
    }
}
