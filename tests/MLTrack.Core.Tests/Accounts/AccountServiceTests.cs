using Microsoft.Extensions.Time.Testing;
using MLTrack.Core.Accounts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Accounts;

/// <summary>Accounts as the operator CLI and the servers use them: tokens that authenticate, teams and roles, the audit trail.</summary>
public sealed class AccountServiceTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly AccountService _accounts;
    private readonly Principal _operator = Principal.Operator();

    public AccountServiceTests() => _accounts = new AccountService(_temp.Store, _clock);

    public void Dispose() => _temp.Dispose();

    private Principal Alice() => Principal.ForUser(_accounts.FindUser("alice@example.com"));

    private User AddAlice() => _accounts.AddUser(_operator, new NewUser("Alice@Example.com", "Alice"));

    [Fact]
    public void A_personal_token_authenticates_as_its_user_and_only_its_hash_is_stored()
    {
        var alice = AddAlice();

        var made = _accounts.CreatePersonalToken(_operator, "alice@example.com", "laptop", TimeSpan.FromDays(30));

        var principal = _accounts.Authenticate(made.Secret);
        Assert.Equal((alice.UserId, "alice@example.com", PrincipalKind.User, made.Token.TokenId), (principal!.UserId, principal.Email, principal.Kind, principal.TokenId));
        Assert.StartsWith(TokenSecrets.PersonalPrefix, made.Secret);
        Assert.Null(_temp.Store.FindAccessToken(made.Secret)); // looked up by hash, never by the secret itself
        Assert.NotNull(_temp.Store.FindAccessToken(TokenSecrets.Hash(made.Secret)));
    }

    [Fact]
    public void A_revoked_token_authenticates_as_nobody_at_once()
    {
        AddAlice();
        var made = _accounts.CreatePersonalToken(_operator, "alice@example.com", "laptop");

        Assert.True(_accounts.RevokeToken(_operator, made.Token.TokenId));

        Assert.Null(_accounts.Authenticate(made.Secret));
        Assert.False(_accounts.RevokeToken(_operator, made.Token.TokenId));
    }

    [Fact]
    public void An_expired_token_authenticates_as_nobody()
    {
        AddAlice();
        var made = _accounts.CreatePersonalToken(_operator, "alice@example.com", "ci", TimeSpan.FromHours(1));
        Assert.NotNull(_accounts.Authenticate(made.Secret));

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(_accounts.Authenticate(made.Secret));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("mlt_wrong")]
    public void Secrets_that_are_no_token_authenticate_as_nobody(string secret) => Assert.Null(_accounts.Authenticate(secret));

    [Fact]
    public void A_run_token_authenticates_as_its_user_bound_to_its_run()
    {
        AddAlice();
        var run = _temp.Store.CreateRun(new NewRun { Name = "r" });

        var made = _accounts.CreateRunToken(Alice(), run.RunId, TimeSpan.FromHours(2));

        var principal = _accounts.Authenticate(made.Secret)!;
        Assert.Equal((PrincipalKind.Run, run.RunId, "alice@example.com"), (principal.Kind, principal.RunId, principal.Email));
        Assert.Empty(_accounts.ListTokens(_operator)); // run tokens are not listed with personal ones
    }

    [Fact]
    public void A_user_cannot_make_a_token_for_another_user()
    {
        AddAlice();
        _accounts.AddUser(_operator, new NewUser("bob@example.com"));

        var e = Assert.Throws<StoreException>(() => _accounts.CreatePersonalToken(Alice(), "bob@example.com", "sneaky"));

        Assert.Equal(StoreErrorCode.PermissionDenied, e.Code);
        Assert.Empty(_accounts.ListTokens(_operator, "bob@example.com"));
    }

    [Fact]
    public void A_user_may_make_and_revoke_their_own_tokens()
    {
        AddAlice();
        var made = _accounts.CreatePersonalToken(Alice(), "alice@example.com", "notebook");

        Assert.True(_accounts.RevokeToken(Alice(), made.Token.TokenId));
    }

    [Fact]
    public void Only_an_administrator_adds_users_or_creates_teams()
    {
        AddAlice();

        Assert.Equal(StoreErrorCode.PermissionDenied, Assert.Throws<StoreException>(() => _accounts.AddUser(Alice(), new NewUser("eve@example.com"))).Code);
        Assert.Equal(StoreErrorCode.PermissionDenied, Assert.Throws<StoreException>(() => _accounts.CreateTeam(Alice(), "vision")).Code);
        Assert.Single(_accounts.ListUsers());
        Assert.Empty(_accounts.ListTeams());
    }

    [Fact]
    public void A_team_admin_manages_members_and_an_editor_may_not()
    {
        AddAlice();
        _accounts.AddUser(_operator, new NewUser("bob@example.com"));
        _accounts.AddUser(_operator, new NewUser("carol@example.com"));
        _accounts.CreateTeam(_operator, "vision");
        _accounts.SetMember(_operator, "vision", "alice@example.com", TeamRole.Admin);
        _accounts.SetMember(Alice(), "vision", "bob@example.com", TeamRole.Editor);
        var bob = Principal.ForUser(_accounts.FindUser("bob@example.com"));

        var e = Assert.Throws<StoreException>(() => _accounts.SetMember(bob, "vision", "carol@example.com", TeamRole.Viewer));

        Assert.Equal(StoreErrorCode.PermissionDenied, e.Code);
        Assert.Contains("admin role", e.Message);
        Assert.Equal([("alice@example.com", TeamRole.Admin), ("bob@example.com", TeamRole.Editor)],
            _accounts.ListMembers("vision").Select(m => (_accounts.FindUser(m.UserId).Email, m.Role)).OrderBy(m => m.Item1));
    }

    [Fact]
    public void Every_change_is_audited_with_who_made_it()
    {
        AddAlice();
        _accounts.CreateTeam(_operator, "vision");
        _accounts.SetMember(_operator, "vision", "alice@example.com", TeamRole.Editor, address: "10.1.2.3");
        var made = _accounts.CreatePersonalToken(Alice(), "alice@example.com", "laptop");
        _accounts.RevokeToken(Alice(), made.Token.TokenId);

        var log = _accounts.ListAudit(_operator, new AuditQuery());

        Assert.Equal([AuditActions.TokenRevoked, AuditActions.TokenCreated, AuditActions.RoleChanged, AuditActions.TeamCreated, AuditActions.UserAdded],
            log.Select(e => e.Action));
        Assert.Equal("alice@example.com", log[0].ActorEmail);
        Assert.StartsWith("operator ", log[^1].ActorEmail);
        Assert.Equal("10.1.2.3", log[2].Address);
        Assert.Equal(StoreErrorCode.PermissionDenied, Assert.Throws<StoreException>(() => _accounts.ListAudit(Alice(), new AuditQuery())).Code);
    }

    [Fact]
    public void A_token_lifetime_beyond_a_year_is_refused_naming_the_limit()
    {
        AddAlice();

        var e = Assert.Throws<StoreException>(() => _accounts.CreatePersonalToken(_operator, "alice@example.com", "forever", TimeSpan.FromDays(400)));

        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("366 days", e.Message);
    }
}
