using MLTrack.Core.Runs;

namespace MLTrack.Core.Storage;

/// <summary>
/// Experiments and runs: their attributes, params and tags, lookup and filtered search. <see cref="LogBatch"/> lives
/// here because a batch writes params, tags and metric points in one transaction (MLflow's log-batch).
/// </summary>
public interface IRunStore
{
    // Experiments
    Experiment CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null);
    Experiment GetExperiment(string experimentId);
    Experiment? FindExperimentByName(string name);
    /// <summary>The experiment with that name, created when missing (the launcher's <c>--experiment</c>).</summary>
    Experiment GetOrCreateExperiment(string name);
    IReadOnlyList<Experiment> ListExperiments(ViewType view = ViewType.ActiveOnly);
    void RenameExperiment(string experimentId, string newName);
    void SetExperimentTag(string experimentId, string key, string value);
    void DeleteExperiment(string experimentId);
    void RestoreExperiment(string experimentId);
    /// <summary>Active runs per experiment id; experiments without runs are absent.</summary>
    IReadOnlyDictionary<string, int> CountRunsByExperiment();

    // Runs
    Run CreateRun(NewRun run);
    Run GetRun(string runId);
    /// <summary>Full id from a full id or a unique prefix of at least 6 characters.</summary>
    string ResolveRunId(string idOrPrefix);
    void UpdateRun(string runId, RunUpdate update);
    void DeleteRun(string runId);
    void RestoreRun(string runId);
    RunPage SearchRuns(RunQuery query);
    /// <summary>Runs still marked RUNNING, for crash recovery.</summary>
    IReadOnlyList<Run> ListRunningRuns();

    // Params, tags, metrics
    /// <summary>Writes metrics, params and tags atomically. A param already set to a different value is refused.</summary>
    void LogBatch(string runId, RunBatch batch);
    void SetTag(string runId, string key, string value);
    void DeleteTag(string runId, string key);
}
