using MLTrack.Core.Deploy;
using MLTrack.Core.Reports;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>Deployments are their run's (editors deploy); reports their experiment's; preferences the principal's own.</summary>
public sealed partial class AuthorizedTrackingStore
{
    public void SaveDeployment(DeploymentRecord deployment)
    {
        var existing = inner.FindDeployment(deployment.DeploymentId);
        // Moving a record to another run needs the right on both.
        if (existing is not null && existing.RunId != deployment.RunId) WriteRun(existing.RunId, "Deploying");
        WriteRun(deployment.RunId, "Deploying");
        inner.SaveDeployment(deployment);
        if (existing is null) Audit(AuditActions.Deployed, deployment.DeploymentId, deployment.RunId);
    }

    public DeploymentRecord? FindDeployment(string deploymentId) =>
        inner.FindDeployment(deploymentId) is { } d && CanSeeRun(FullPolicy(), d.RunId) ? d : null;

    public IReadOnlyList<DeploymentRecord> ListDeployments(string? runId = null)
    {
        if (runId is not null)
        {
            SeeRun(runId);
            return inner.ListDeployments(runId);
        }
        var policy = FullPolicy();
        var all = inner.ListDeployments();
        return policy.Principal.IsUnrestricted ? all : all.Where(d => CanSeeRun(policy, d.RunId)).ToList();
    }

    /// <summary>A record the principal may not see is "none" (false), as for an unknown id.</summary>
    public bool DeleteDeployment(string deploymentId)
    {
        if (inner.FindDeployment(deploymentId) is not { } d) return false;
        if (!CanSeeRun(FullPolicy(), d.RunId)) return false;
        WriteRun(d.RunId, "Removing a deployment of");
        return inner.DeleteDeployment(deploymentId);
    }

    /// <summary>
    /// Reports read runs, so a viewer may make one of an experiment it sees. A report of no one experiment may cover
    /// every experiment of the store, so only server administrators (and local mode) keep those.
    /// </summary>
    public void SaveReport(ReportRecord report)
    {
        if (report.ExperimentId is { } e) SeeExperiment(e);
        else if (!principal().IsUnrestricted) throw OnlyUnrestricted("Saving a report of all experiments");
        inner.SaveReport(report);
    }

    public ReportRecord? FindReport(string reportId) =>
        inner.FindReport(reportId) is { } r && CanSeeReport(FullPolicy(), r) ? r : null;

    public IReadOnlyList<ReportRecord> ListReports(long? from = null, long? to = null, string? type = null)
    {
        var policy = FullPolicy();
        return inner.ListReports(from, to, type).Where(r => CanSeeReport(policy, r)).ToList();
    }

    public bool DeleteReport(string reportId)
    {
        if (inner.FindReport(reportId) is not { } r || !CanSeeReport(FullPolicy(), r)) return false;
        if (r.ExperimentId is { } e) WriteExperiment(e, "Deleting a report of");
        return inner.DeleteReport(reportId);
    }

    private static bool CanSeeReport(AccessPolicy policy, ReportRecord r) =>
        r.ExperimentId is { } e ? policy.CanSee(e) : policy.Principal.IsUnrestricted;

    /// <summary>A signed-in principal's preferences are its own, whatever user the caller names (as with a run's user).</summary>
    public string? GetPreferences(string user) => inner.GetPreferences(PreferenceUser(user));

    public void SavePreferences(string user, string json) => inner.SavePreferences(PreferenceUser(user), json);

    private string PreferenceUser(string user) => principal() is { Kind: not PrincipalKind.Local } p ? p.UserId : user;
}
