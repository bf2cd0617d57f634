using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

public sealed partial class AuthorizedTrackingStore
{
    public Run CreateRun(NewRun run)
    {
        var experimentId = run.ExperimentId ?? Experiment.DefaultId;
        var policy = SeeExperiment(experimentId);
        if (!policy.CanWrite(experimentId))
            throw Denied(policy, experimentId, $"Creating a run in experiment '{experimentId}'", TeamRole.Editor, "in its team");
        // A child run in a run the principal may not see would disclose that run's existence.
        if (run.ParentRunId is { } parent && !CanSeeRun(policy, parent)) throw new StoreException(StoreErrorCode.ResourceDoesNotExist,
            $"Parent run '{parent}' not found.");
        // The signed-in user is who ran it, whatever the client (git's user.name, MLflow's tag) says.
        if (policy.Principal.RunUser is { } user) run = run with { User = user };
        var created = inner.CreateRun(run);
        Audit(AuditActions.RunCreated, created.RunId, created.ExperimentId);
        return created;
    }

    public Run GetRun(string runId)
    {
        SeeRun(runId);
        return inner.GetRun(runId);
    }

    public string ResolveRunId(string idOrPrefix)
    {
        var runId = inner.ResolveRunId(idOrPrefix);
        if (!CanSeeRun(FullPolicy(), runId)) throw StoreErrors.RunNotFound(idOrPrefix);
        return runId;
    }

    public void UpdateRun(string runId, RunUpdate update)
    {
        WriteRun(runId, "Updating");
        inner.UpdateRun(runId, update);
    }

    public void DeleteRun(string runId)
    {
        AdministerRun(runId, "Deleting");
        inner.DeleteRun(runId);
        Audit(AuditActions.RunDeleted, runId);
    }

    public void RestoreRun(string runId)
    {
        AdministerRun(runId, "Restoring");
        inner.RestoreRun(runId);
        Audit(AuditActions.RunRestored, runId);
    }

    public RunPage SearchRuns(RunQuery query)
    {
        var scope = ScopeExperiments(query.ExperimentIds);
        if (scope is null) return inner.SearchRuns(query);
        return scope.Count == 0 ? new RunPage([], null) : inner.SearchRuns(query with { ExperimentIds = scope });
    }

    public IReadOnlyList<Run> ListRunningRuns()
    {
        var policy = FullPolicy();
        var runs = inner.ListRunningRuns();
        return policy.Principal.IsUnrestricted ? runs : runs.Where(r => policy.CanSee(r.ExperimentId)).ToList();
    }

    public void LogBatch(string runId, RunBatch batch)
    {
        WriteRun(runId, "Logging to");
        inner.LogBatch(runId, batch);
    }

    public void SetTag(string runId, string key, string value)
    {
        WriteRun(runId, "Tagging");
        inner.SetTag(runId, key, value);
    }

    public void DeleteTag(string runId, string key)
    {
        WriteRun(runId, "Deleting a tag of");
        inner.DeleteTag(runId, key);
    }
}
