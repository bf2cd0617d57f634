using MLTrack.Core.Accounts;

namespace MLTrack.Core.Tests.Accounts;

public sealed class AccessPolicyTests
{
    private static readonly Principal Ann = new("u-ann", "ann@example.com", "Ann", IsAdmin: false, PrincipalKind.User);
    private static readonly Principal Bob = new("u-bob", "bob@example.com", "Bob", IsAdmin: false, PrincipalKind.User);
    private static readonly Principal Root = new("u-root", "root@example.com", "Root", IsAdmin: true, PrincipalKind.User);

    private static readonly Dictionary<string, ExperimentOwner> Owners = new()
    {
        ["1"] = new("1", "t-ml", "u-bob"),
        ["2"] = new("2", null, "u-ann"),
        ["3"] = new("3", "t-other", "u-bob"),
    };

    private static AccessPolicy For(Principal p, params (string Team, TeamRole Role)[] roles) =>
        new(p, Owners, roles.ToDictionary(r => r.Team, r => r.Role));

    [Fact]
    public void The_local_principal_is_admin_everywhere() =>
        Assert.Equal(TeamRole.Admin, For(Principal.Local).RoleOn("3"));

    [Fact]
    public void A_server_administrator_is_admin_in_teams_they_are_not_in() =>
        Assert.Equal(TeamRole.Admin, For(Root).RoleOn("3"));

    [Fact]
    public void An_experiment_without_owner_is_editable_by_every_signed_in_user() =>
        Assert.Equal(TeamRole.Editor, For(Bob).RoleOn("0"));

    [Fact]
    public void A_team_experiment_gives_the_principal_its_role_in_the_team() =>
        Assert.Equal(TeamRole.Viewer, For(Ann, ("t-ml", TeamRole.Viewer)).RoleOn("1"));

    [Fact]
    public void Another_teams_experiment_is_invisible()
    {
        var policy = For(Ann, ("t-ml", TeamRole.Admin));
        Assert.Null(policy.RoleOn("3"));
        Assert.False(policy.CanSee("3"));
    }

    [Fact]
    public void A_personal_experiment_is_its_owners_to_administer() =>
        Assert.True(For(Ann).CanAdminister("2"));

    [Fact]
    public void A_personal_experiment_is_invisible_to_others() =>
        Assert.False(For(Bob, ("t-ml", TeamRole.Admin)).CanSee("2"));

    [Fact]
    public void A_viewer_may_see_but_not_write()
    {
        var policy = For(Ann, ("t-ml", TeamRole.Viewer));
        Assert.True(policy.CanSee("1"));
        Assert.False(policy.CanWrite("1"));
        Assert.False(policy.CanWriteRun("1", "r1"));
    }

    [Fact]
    public void An_editor_may_write_but_not_administer()
    {
        var policy = For(Ann, ("t-ml", TeamRole.Editor));
        Assert.True(policy.CanWrite("1"));
        Assert.False(policy.CanAdminister("1"));
    }

    [Fact]
    public void A_team_admin_may_administer() =>
        Assert.True(For(Ann, ("t-ml", TeamRole.Admin)).CanAdminister("1"));

    [Fact]
    public void A_run_token_sees_what_its_user_sees()
    {
        var policy = For(Ann with { Kind = PrincipalKind.Run, RunId = "r1" }, ("t-ml", TeamRole.Viewer));
        Assert.True(policy.CanSee("1"));
        Assert.False(policy.CanSee("3"));
    }

    [Fact]
    public void A_run_token_writes_only_its_own_run()
    {
        var policy = For(Ann with { Kind = PrincipalKind.Run, RunId = "r1" }, ("t-ml", TeamRole.Admin));
        Assert.True(policy.CanWriteRun("1", "r1"));
        Assert.False(policy.CanWriteRun("1", "r2"));
    }

    [Fact]
    public void A_run_token_neither_creates_runs_nor_administers()
    {
        var policy = For(Ann with { Kind = PrincipalKind.Run, RunId = "r1" }, ("t-ml", TeamRole.Admin));
        Assert.False(policy.CanWrite("1"));
        Assert.False(policy.CanAdminister("1"));
    }

    [Fact]
    public void A_run_token_of_its_users_run_needs_the_users_write_role() =>
        Assert.False(For(Ann with { Kind = PrincipalKind.Run, RunId = "r1" }, ("t-ml", TeamRole.Viewer)).CanWriteRun("1", "r1"));

    [Fact]
    public void A_server_administrators_run_token_sees_every_team() =>
        Assert.True(For(Root with { Kind = PrincipalKind.Run, RunId = "r1" }).CanSee("3"));

    [Fact]
    public void Visible_keeps_only_the_experiments_the_principal_may_see_in_order() =>
        Assert.Equal(["0", "2", "1"], For(Ann, ("t-ml", TeamRole.Viewer)).Visible(["0", "3", "2", "1"]));
}
