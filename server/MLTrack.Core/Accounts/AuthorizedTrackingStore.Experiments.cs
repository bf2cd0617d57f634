using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

public sealed partial class AuthorizedTrackingStore
{
    /// <summary>The experiment tag that puts a new experiment in a team (by the team's name); without it, it is personal.</summary>
    public const string TeamTag = "mltrack.team";

    public Experiment CreateExperiment(string name, string? artifactLocation = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        var owner = NewOwner(tags);
        var experiment = inner.CreateExperiment(name, artifactLocation, tags);
        if (owner is not null)
        {
            try
            {
                accounts.SetExperimentOwner(owner with { ExperimentId = experiment.ExperimentId });
            }
            catch
            {
                // Without its owner record the experiment would be everyone's: take it away again (best effort; the
                // store has no transaction spanning both areas).
                try { inner.DeleteExperiment(experiment.ExperimentId); } catch (StoreException) { }
                throw;
            }
        }
        Audit(AuditActions.ExperimentCreated, experiment.ExperimentId, experiment.Name);
        return experiment;
    }

    /// <summary>
    /// Whose a new experiment will be (its id still empty), checked before anything is created: the team named by
    /// <see cref="TeamTag"/> if the principal may write there, else the principal's personal space; none in local mode.
    /// </summary>
    private ExperimentOwner? NewOwner(IReadOnlyDictionary<string, string>? tags)
    {
        var p = principal();
        if (p.Kind == PrincipalKind.Local) return null;
        if (p.RunId is not null)
            throw new StoreException(StoreErrorCode.PermissionDenied, "Creating an experiment is not allowed with a run's token.");
        if (tags is null || !tags.TryGetValue(TeamTag, out var teamName)) return new ExperimentOwner("", null, p.UserId);
        var team = accounts.FindTeamByName(teamName);
        if (p.IsUnrestricted && team is not null) return new ExperimentOwner("", team.TeamId, p.UserId);
        if (p.IsUnrestricted)
            throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No team named '{teamName}' (tag {TeamTag}).");
        // A team the principal is not in is refused like one that does not exist: team names are not disclosed.
        var role = team is null ? (TeamRole?)null : accounts.TeamRolesOf(p.UserId).GetValueOrDefault(team.TeamId);
        if (role is not (TeamRole.Editor or TeamRole.Admin))
            throw new StoreException(StoreErrorCode.PermissionDenied,
                $"Creating an experiment in team '{teamName}' needs the editor or admin role in it; " +
                (role is TeamRole.Viewer ? "you are a viewer." : "you are not a member."));
        return new ExperimentOwner("", team!.TeamId, p.UserId);
    }

    public Experiment GetExperiment(string experimentId)
    {
        SeeExperiment(experimentId);
        return inner.GetExperiment(experimentId);
    }

    public Experiment? FindExperimentByName(string name) =>
        inner.FindExperimentByName(name) is { } e && PolicyFor(e.ExperimentId).CanSee(e.ExperimentId) ? e : null;

    public Experiment GetOrCreateExperiment(string name)
    {
        if (inner.FindExperimentByName(name) is { } existing)
        {
            // Another team's experiment of that name: the name is taken, as CreateExperiment would say.
            if (!PolicyFor(existing.ExperimentId).CanSee(existing.ExperimentId))
                throw new StoreException(StoreErrorCode.ResourceAlreadyExists, $"Experiment '{name}' already exists.");
            return existing;
        }
        return CreateExperiment(name);
    }

    public IReadOnlyList<Experiment> ListExperiments(ViewType view = ViewType.ActiveOnly)
    {
        var policy = FullPolicy();
        var all = inner.ListExperiments(view);
        return policy.Principal.IsUnrestricted ? all : all.Where(e => policy.CanSee(e.ExperimentId)).ToList();
    }

    public void RenameExperiment(string experimentId, string newName)
    {
        AdministerExperiment(experimentId, "Renaming");
        inner.RenameExperiment(experimentId, newName);
    }

    public void SetExperimentTag(string experimentId, string key, string value)
    {
        WriteExperiment(experimentId, "Tagging");
        inner.SetExperimentTag(experimentId, key, value);
    }

    public void DeleteExperiment(string experimentId)
    {
        AdministerExperiment(experimentId, "Deleting");
        inner.DeleteExperiment(experimentId);
        Audit(AuditActions.ExperimentDeleted, experimentId);
    }

    public void RestoreExperiment(string experimentId)
    {
        AdministerExperiment(experimentId, "Restoring");
        inner.RestoreExperiment(experimentId);
        Audit(AuditActions.ExperimentRestored, experimentId);
    }

    public IReadOnlyDictionary<string, int> CountRunsByExperiment()
    {
        var policy = FullPolicy();
        var counts = inner.CountRunsByExperiment();
        return policy.Principal.IsUnrestricted ? counts : counts.Where(c => policy.CanSee(c.Key)).ToDictionary(c => c.Key, c => c.Value);
    }
}
