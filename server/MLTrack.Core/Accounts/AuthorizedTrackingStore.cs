using System.Collections.Concurrent;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// The tracking store as one principal may use it: every surface (REST, RPC, browser UI) wraps the shared store in
/// one of these per request or session, so permissions are enforced once, here, not by the handlers. Each call reads
/// the principal's roles and the experiments' owners afresh, so a revoked role applies at once on every replica.
/// What the principal may not see is reported exactly as an unknown id (404); what it may see but not change is
/// <see cref="StoreErrorCode.PermissionDenied"/> (403), naming the action and the role it needs.
/// </summary>
/// <param name="address">The caller's network address, for the audit log.</param>
public sealed partial class AuthorizedTrackingStore(ITrackingStore inner, IAccountStore accounts, Func<Principal> principal,
    Func<string?>? address = null) : ITrackingStore, IRunAccess
{
    private static readonly IReadOnlyDictionary<string, ExperimentOwner> NoOwners = new Dictionary<string, ExperimentOwner>();
    private static readonly IReadOnlyDictionary<string, TeamRole> NoRoles = new Dictionary<string, TeamRole>();

    // A run never moves to another experiment, so its experiment is looked up once per wrapper.
    private readonly ConcurrentDictionary<string, string> _runExperiments = new(StringComparer.Ordinal);

    public string Location => inner.Location;

    public string ArtifactRoot => inner.ArtifactRoot;

    public StoreHealth CheckHealth() => inner.CheckHealth();

    /// <summary>Does nothing: the wrapped store is shared and owned by whoever opened it.</summary>
    public void Dispose()
    {
    }

    /// <summary>The policy for one experiment: reads only its owner record and the principal's roles.</summary>
    private AccessPolicy PolicyFor(string experimentId)
    {
        var p = principal();
        if (p.IsUnrestricted) return new AccessPolicy(p, NoOwners, NoRoles);
        var owner = accounts.FindExperimentOwner(experimentId);
        var owners = owner is null ? NoOwners : new Dictionary<string, ExperimentOwner> { [experimentId] = owner };
        return new AccessPolicy(p, owners, accounts.TeamRolesOf(p.UserId));
    }

    /// <summary>The policy over every experiment, for listings.</summary>
    private AccessPolicy FullPolicy()
    {
        var p = principal();
        return p.IsUnrestricted
            ? new AccessPolicy(p, NoOwners, NoRoles)
            : new AccessPolicy(p, accounts.ListExperimentOwners(), accounts.TeamRolesOf(p.UserId));
    }

    /// <summary>The ids of every experiment (deleted ones too) the principal may see.</summary>
    private IReadOnlyList<string> VisibleExperimentIds(AccessPolicy policy) =>
        policy.Visible(inner.ListExperiments(ViewType.All).Select(e => e.ExperimentId));

    /// <summary>
    /// The experiment ids a scoped query may cover: the caller's (empty: all) cut to the visible ones. Null for an
    /// unrestricted principal (leave the query as it is); empty when nothing is visible (answer empty, query nothing).
    /// </summary>
    private IReadOnlyList<string>? ScopeExperiments(IReadOnlyList<string>? requested)
    {
        var policy = FullPolicy();
        if (policy.Principal.IsUnrestricted) return null;
        return requested is { Count: > 0 } ? policy.Visible(requested) : VisibleExperimentIds(policy);
    }

    private AccessPolicy SeeExperiment(string experimentId)
    {
        var policy = PolicyFor(experimentId);
        if (!policy.CanSee(experimentId)) throw StoreErrors.ExperimentNotFound(experimentId);
        return policy;
    }

    private void AdministerExperiment(string experimentId, string action)
    {
        var policy = SeeExperiment(experimentId);
        if (!policy.CanAdminister(experimentId))
            throw Denied(policy, experimentId, $"{action} experiment '{experimentId}'", TeamRole.Admin, "in its team");
    }

    private void WriteExperiment(string experimentId, string action)
    {
        var policy = SeeExperiment(experimentId);
        if (!policy.CanWrite(experimentId))
            throw Denied(policy, experimentId, $"{action} experiment '{experimentId}'", TeamRole.Editor, "in its team");
    }

    /// <summary>The run's experiment; an unknown run is the store's own not-found.</summary>
    private string ExperimentOfRun(string runId) => _runExperiments.GetOrAdd(runId, LookUpExperimentOfRun);

    private string LookUpExperimentOfRun(string runId)
    {
        // An id-only search reads one row, where GetRun would load every param, tag and metric summary (on each log call).
        if (runId.Length is > 0 and <= 64 && runId.All(char.IsAsciiLetterOrDigit))
        {
            var page = inner.SearchRuns(new RunQuery
            {
                Filter = $"attributes.run_id = '{runId}'",
                ViewType = ViewType.All,
                IncludeDetails = false,
                MaxResults = 1,
            });
            return page.Runs is [var run] ? run.ExperimentId : throw StoreErrors.RunNotFound(runId);
        }
        return inner.GetRun(runId).ExperimentId;
    }

    public bool CanSeeRun(string runId) => CanSeeRun(FullPolicy(), runId);

    public void RequireWriteRun(string runId, string action) => WriteRun(runId, action);

    private AccessPolicy SeeRun(string runId)
    {
        var experimentId = ExperimentOfRun(runId);
        var policy = PolicyFor(experimentId);
        if (!policy.CanSee(experimentId)) throw StoreErrors.RunNotFound(runId);
        return policy;
    }

    private void WriteRun(string runId, string action)
    {
        var policy = SeeRun(runId);
        var experimentId = ExperimentOfRun(runId);
        if (policy.CanWriteRun(experimentId, runId)) return;
        if (policy.Principal.RunId is { } own && policy.RoleOn(experimentId) >= TeamRole.Editor)
            throw new StoreException(StoreErrorCode.PermissionDenied,
                $"{action} run '{runId}' is not allowed with the token of run '{own}': a run's token writes only its own run.");
        throw Denied(policy, experimentId, $"{action} run '{runId}'", TeamRole.Editor, "in its experiment's team");
    }

    private void AdministerRun(string runId, string action)
    {
        var policy = SeeRun(runId);
        var experimentId = ExperimentOfRun(runId);
        if (!policy.CanAdminister(experimentId))
            throw Denied(policy, experimentId, $"{action} run '{runId}'", TeamRole.Admin, "in its experiment's team");
    }

    private bool CanSeeRun(AccessPolicy policy, string runId)
    {
        if (policy.Principal.IsUnrestricted) return true;
        try
        {
            return policy.CanSee(ExperimentOfRun(runId));
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return false;
        }
    }

    private static StoreException Denied(AccessPolicy policy, string experimentId, string what, TeamRole needed, string where)
    {
        var role = policy.RoleOn(experimentId);
        var you = policy.Principal.RunId is not null ? $"this is run '{policy.Principal.RunId}''s token"
            : role is { } r ? $"you are {Article(r)} {Name(r)}" : "you have no role there";
        return new StoreException(StoreErrorCode.PermissionDenied, $"{what} needs the {Name(needed)} role {where}; {you}.");
    }

    private static string Name(TeamRole role) => role.ToString().ToLowerInvariant();

    private static string Article(TeamRole role) => role == TeamRole.Admin || role == TeamRole.Editor ? "an" : "a";

    private static StoreException OnlyUnrestricted(string what) =>
        new(StoreErrorCode.PermissionDenied, $"{what} needs a server administrator.");

    /// <summary>Records who did what; local mode keeps no audit log (it has one user and no accounts).</summary>
    private void Audit(string action, string subject, string? detail = null)
    {
        var p = principal();
        if (p.Kind == PrincipalKind.Local) return;
        accounts.AppendAudit(new AuditEntry(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), p.UserId, p.Email, action, subject, detail,
            address?.Invoke()));
    }
}
