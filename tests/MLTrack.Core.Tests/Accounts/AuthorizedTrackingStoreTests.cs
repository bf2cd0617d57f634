using MLTrack.Core.Accounts;
using MLTrack.Core.Analytics;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Tests.Storage;

namespace MLTrack.Core.Tests.Accounts;

/// <summary>
/// The permission rules over a real SQLite store: team "ml" has Ada (admin), Ed (editor) and Vi (viewer); team
/// "other" has Otto (editor). Each acts through its own wrapper, as a request would.
/// </summary>
public sealed class AuthorizedTrackingStoreTests : IDisposable
{
    private const string Address = "10.0.0.7";
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-authz-").FullName;
    private readonly ITrackingStore _store;
    private readonly Principal _ada, _ed, _vi, _otto;
    private readonly Experiment _ml, _other;

    public AuthorizedTrackingStoreTests()
    {
        _store = SqliteTrackingStore.Open(Path.Combine(_dir, ".mltrack", "mltrack.db"));
        var ml = _store.CreateTeam("ml");
        var other = _store.CreateTeam("other");
        _ada = Member(ml, "ada@example.com", TeamRole.Admin);
        _ed = Member(ml, "ed@example.com", TeamRole.Editor);
        _vi = Member(ml, "vi@example.com", TeamRole.Viewer);
        _otto = Member(other, "otto@example.com", TeamRole.Editor);
        _ml = As(_ed).CreateExperiment("ml-exp", tags: new Dictionary<string, string> { [AuthorizedTrackingStore.TeamTag] = "ml" });
        _other = As(_otto).CreateExperiment("other-exp", tags: new Dictionary<string, string> { [AuthorizedTrackingStore.TeamTag] = "other" });
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private Principal Member(Team team, string email, TeamRole role)
    {
        var user = _store.CreateUser(new NewUser(email));
        _store.SetTeamMember(team.TeamId, user.UserId, role);
        return Principal.ForUser(user);
    }

    private AuthorizedTrackingStore As(Principal p) => new(_store, _store, () => p, () => Address);

    private Run RunIn(Experiment e, Principal p) => As(p).CreateRun(new NewRun { ExperimentId = e.ExperimentId, Name = "r" });

    private static StoreException Refused(StoreErrorCode code, Action action)
    {
        var e = Assert.Throws<StoreException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    [Fact]
    public void A_viewers_write_is_permission_denied_naming_the_role_and_nothing_is_written()
    {
        var run = RunIn(_ml, _ed);
        var e = Refused(StoreErrorCode.PermissionDenied, () => As(_vi).LogParam(run.RunId, "lr", "0.1"));
        Assert.Equal($"Logging to run '{run.RunId}' needs the editor role in its experiment's team; you are a viewer.", e.Message);
        Assert.Empty(_store.GetRun(run.RunId).Params);
    }

    [Fact]
    public void A_viewer_cannot_create_a_run_and_none_is_made()
    {
        Refused(StoreErrorCode.PermissionDenied, () => RunIn(_ml, _vi));
        Assert.Empty(_store.SearchRuns(new RunQuery { ExperimentIds = [_ml.ExperimentId] }).Runs);
    }

    [Fact]
    public void Another_teams_run_is_not_found_on_get_log_and_delete_as_an_unknown_id_is()
    {
        var run = RunIn(_other, _otto);
        var expected = $"Run '{run.RunId}' not found.";
        Assert.Equal(expected, Refused(StoreErrorCode.ResourceDoesNotExist, () => As(_ada).GetRun(run.RunId)).Message);
        Assert.Equal(expected, Refused(StoreErrorCode.ResourceDoesNotExist, () => As(_ada).LogMetric(run.RunId, "loss", 1, 0)).Message);
        Assert.Equal(expected, Refused(StoreErrorCode.ResourceDoesNotExist, () => As(_ada).DeleteRun(run.RunId)).Message);
        Assert.False(_store.GetRun(run.RunId).IsDeleted);
        Assert.Empty(_store.GetMetricSummaries(run.RunId));
    }

    [Fact]
    public void Another_teams_experiment_is_not_found()
    {
        var e = Refused(StoreErrorCode.ResourceDoesNotExist, () => As(_vi).GetExperiment(_other.ExperimentId));
        Assert.Equal($"No experiment with id '{_other.ExperimentId}'.", e.Message);
    }

    [Fact]
    public void Search_lists_and_counts_show_only_the_visible_experiments_runs()
    {
        var mine = RunIn(_ml, _ed);
        RunIn(_other, _otto);
        var vi = As(_vi);
        Assert.Equal([mine.RunId], vi.SearchRuns(new RunQuery()).Runs.Select(r => r.RunId));
        Assert.Empty(vi.SearchRuns(new RunQuery { ExperimentIds = [_other.ExperimentId] }).Runs);
        Assert.DoesNotContain(vi.ListExperiments(), e => e.ExperimentId == _other.ExperimentId);
        Assert.Equal([_ml.ExperimentId], vi.CountRunsByExperiment().Keys);
        Assert.Equal([mine.RunId], vi.ListRunningRuns().Select(r => r.RunId));
    }

    [Fact]
    public void Analytics_count_only_the_visible_experiments_runs()
    {
        RunIn(_ml, _ed);
        RunIn(_other, _otto);
        Period[] all = [new(0, long.MaxValue / 2, "all")];
        Assert.Equal(2, _store.AggregateRuns(all, RunScope.All)[0].Started);
        Assert.Equal(1, As(_vi).AggregateRuns(all, RunScope.All)[0].Started);
        Assert.Equal(0, As(_vi).AggregateRuns(all, new RunScope([_other.ExperimentId]))[0].Started);
        Assert.Equal([_ml.ExperimentId], As(_vi).AggregateRunsByExperiment(0, long.MaxValue / 2, RunScope.All).Select(x => x.ExperimentId));
        Assert.Equal(["ed@example.com"], As(_vi).ListRunUsers());
    }

    [Fact]
    public void A_principal_who_sees_nothing_of_a_scope_gets_empty_answers()
    {
        RunIn(_other, _otto);
        var vi = As(_vi);
        Assert.Equal((0, 0), vi.CountDistinct(0, long.MaxValue / 2, new RunScope([_other.ExperimentId])));
        Assert.Null(vi.FirstRunStart(new RunScope([_other.ExperimentId])));
    }

    [Fact]
    public void Text_search_finds_only_visible_runs()
    {
        As(_ed).CreateRun(new NewRun { ExperimentId = _ml.ExperimentId, Name = "zebra-ml" });
        As(_otto).CreateRun(new NewRun { ExperimentId = _other.ExperimentId, Name = "zebra-other" });
        var hits = As(_vi).SearchText("zebra", 10);
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(_ml.ExperimentId, h.ExperimentId));
    }

    [Fact]
    public void The_editors_run_is_visible_to_the_teams_viewer()
    {
        var run = RunIn(_ml, _ed);
        As(_ed).LogMetric(run.RunId, "loss", 0.5, 1);
        Assert.Equal(run.RunId, As(_vi).GetRun(run.RunId).RunId);
        Assert.Single(As(_vi).GetMetricHistory(run.RunId, "loss"));
    }

    [Fact]
    public void An_editor_may_not_delete_a_run_but_an_admin_may()
    {
        var run = RunIn(_ml, _ed);
        var e = Refused(StoreErrorCode.PermissionDenied, () => As(_ed).DeleteRun(run.RunId));
        Assert.Equal($"Deleting run '{run.RunId}' needs the admin role in its experiment's team; you are an editor.", e.Message);
        As(_ada).DeleteRun(run.RunId);
        Assert.True(_store.GetRun(run.RunId).IsDeleted);
    }

    [Fact]
    public void A_run_records_the_signed_in_users_email_not_the_callers_user()
    {
        var run = As(_ed).CreateRun(new NewRun { ExperimentId = _ml.ExperimentId, User = "someone-else" });
        Assert.Equal("ed@example.com", _store.GetRun(run.RunId).User);
    }

    [Fact]
    public void A_run_token_logs_to_its_own_run_only()
    {
        var own = RunIn(_ml, _ed);
        var other = RunIn(_ml, _ed);
        var token = As(_ed with { Kind = PrincipalKind.Run, RunId = own.RunId });
        token.LogMetric(own.RunId, "loss", 0.5, 1);
        var e = Refused(StoreErrorCode.PermissionDenied, () => token.LogMetric(other.RunId, "loss", 0.5, 1));
        Assert.Contains("writes only its own run", e.Message);
        Assert.Single(_store.GetMetricHistory(own.RunId, "loss"));
        Assert.Empty(_store.GetMetricHistory(other.RunId, "loss"));
    }

    [Fact]
    public void Creating_and_deleting_are_audited_with_the_actor_and_address()
    {
        var run = RunIn(_ml, _ed);
        As(_ada).DeleteRun(run.RunId);
        var log = _store.ListAudit(new AuditQuery());
        Assert.Contains(log, a => a is { Action: AuditActions.ExperimentCreated, ActorEmail: "ed@example.com", Address: Address }
            && a.Subject == _ml.ExperimentId);
        Assert.Contains(log, a => a.Action == AuditActions.RunCreated && a.ActorId == _ed.UserId && a.Subject == run.RunId);
        Assert.Contains(log, a => a.Action == AuditActions.RunDeleted && a.ActorEmail == "ada@example.com" && a.Subject == run.RunId);
    }

    [Fact]
    public void An_experiment_made_in_a_team_belongs_to_it()
    {
        var owner = _store.FindExperimentOwner(_ml.ExperimentId);
        Assert.Equal(_store.FindTeamByName("ml")!.TeamId, owner?.TeamId);
        Assert.Equal(_ed.UserId, owner?.OwnerUserId);
    }

    [Fact]
    public void An_experiment_made_without_a_team_is_personal_and_invisible_to_others()
    {
        var mine = As(_vi).CreateExperiment("vi-notes");
        Assert.Equal(new ExperimentOwner(mine.ExperimentId, null, _vi.UserId), _store.FindExperimentOwner(mine.ExperimentId));
        Assert.Null(As(_ada).FindExperimentByName("vi-notes"));
        Assert.Equal(TeamRole.Admin, new AccessPolicy(_vi, _store.ListExperimentOwners(), _store.TeamRolesOf(_vi.UserId)).RoleOn(mine.ExperimentId));
    }

    [Fact]
    public void A_viewer_cannot_create_an_experiment_in_the_team_and_none_is_made()
    {
        var tags = new Dictionary<string, string> { [AuthorizedTrackingStore.TeamTag] = "ml" };
        var e = Refused(StoreErrorCode.PermissionDenied, () => As(_vi).CreateExperiment("sneaky", tags: tags));
        Assert.Contains("you are a viewer", e.Message);
        Assert.Null(_store.FindExperimentByName("sneaky"));
    }

    [Fact]
    public void A_role_change_applies_at_once()
    {
        var run = RunIn(_ml, _ed);
        var vi = As(_vi);
        Assert.Equal(run.RunId, vi.GetRun(run.RunId).RunId);
        _store.RemoveTeamMember(_store.FindTeamByName("ml")!.TeamId, _vi.UserId);
        Refused(StoreErrorCode.ResourceDoesNotExist, () => vi.GetRun(run.RunId));
    }

    [Fact]
    public void The_local_principal_sees_everything_and_records_no_owners()
    {
        var otto = RunIn(_other, _otto);
        var local = As(Principal.Local);
        var made = local.CreateExperiment("local-exp");
        var run = local.CreateRun(new NewRun { ExperimentId = made.ExperimentId, User = "git-name" });
        Assert.Null(_store.FindExperimentOwner(made.ExperimentId));
        Assert.Equal("git-name", run.User);
        Assert.Equal(otto.RunId, local.GetRun(otto.RunId).RunId);
        Assert.Equal(2, local.SearchRuns(new RunQuery()).Runs.Count);
    }

    [Fact]
    public void An_experiment_without_owner_is_shared_by_every_signed_in_user_as_editor()
    {
        var run = RunIn(new Experiment(Experiment.DefaultId, "", null, "", 0, 0, new Dictionary<string, string>()), _vi);
        As(_otto).LogMetric(run.RunId, "loss", 1, 0);
        Refused(StoreErrorCode.PermissionDenied, () => As(_otto).DeleteRun(run.RunId));
    }

    [Fact]
    public async Task The_change_feed_tells_only_of_visible_runs()
    {
        await using var changes = new ChangeRecorder(As(_vi).OpenChangeFeed(new ChangeFeedOptions { PollInterval = TimeSpan.FromMilliseconds(50) }));
        var hidden = RunIn(_other, _otto);
        var seen = RunIn(_ml, _ed);
        await changes.WaitFor(c => c.Kind == StoreChangeKind.RunCreated && c.RunId == seen.RunId);
        Assert.DoesNotContain(changes.All, c => c.RunId == hidden.RunId);
    }

    [Fact]
    public void A_deployment_is_saved_by_an_editor_audited_once_and_listed_only_to_those_who_see_its_run()
    {
        var run = RunIn(_ml, _ed);
        As(_ed).SaveDeployment(Deployment("d1", run.RunId));
        As(_ed).SaveDeployment(Deployment("d1", run.RunId) with { Message = "ready" });
        Assert.Single(_store.ListAudit(new AuditQuery()), a => a.Action == AuditActions.Deployed && a.Subject == "d1" && a.ActorId == _ed.UserId);
        Assert.Equal(["d1"], As(_vi).ListDeployments().Select(d => d.DeploymentId));
        Assert.Empty(As(_otto).ListDeployments());
        Assert.Null(As(_otto).FindDeployment("d1"));
        Assert.False(As(_otto).DeleteDeployment("d1"));
    }

    [Fact]
    public void A_viewer_cannot_deploy_and_nothing_is_saved()
    {
        var run = RunIn(_ml, _ed);
        Refused(StoreErrorCode.PermissionDenied, () => As(_vi).SaveDeployment(Deployment("d1", run.RunId)));
        Assert.Null(_store.FindDeployment("d1"));
    }

    private static DeploymentRecord Deployment(string id, string runId) => new()
    {
        DeploymentId = id,
        RunId = runId,
        Target = "local",
        Name = id,
        Settings = new DeploymentSettings(),
    };
}
