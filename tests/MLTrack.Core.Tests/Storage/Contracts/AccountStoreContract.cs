using MLTrack.Core.Accounts;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Contracts;

/// <summary>What every store does for IAccountStore: users, identities, tokens, teams, owners, audit. Run by each implementation.</summary>
public abstract class AccountStoreContract : StoreContract
{
    // Users

    [Fact]
    public void A_created_user_gets_a_32_character_hex_id_a_lowercase_email_and_the_given_fields()
    {
        var user = Store.CreateUser(new NewUser("Ada.Lovelace@Example.org", "Ada", IsAdmin: true, AvatarUrl: "https://a/1.png"));
        Assert.Matches("^[0-9a-f]{32}$", user.UserId);
        Assert.Equal(("ada.lovelace@example.org", "Ada", true, "https://a/1.png"), (user.Email, user.DisplayName, user.IsAdmin, user.AvatarUrl));
        Assert.InRange(user.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void A_user_is_read_back_by_id_as_created()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org", "Ada", AvatarUrl: "https://a/1.png"));
        Assert.Equal(user, Store.GetUser(user.UserId));
    }

    [Fact]
    public void A_user_without_a_display_name_is_named_by_the_local_part_of_the_email()
    {
        Assert.Equal("grace", Store.CreateUser(new NewUser("Grace@example.org")).DisplayName);
    }

    [Fact]
    public void A_display_name_with_a_control_character_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateUser(new NewUser("ada@example.org", "Ada\nAdmin")));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("display name", e.Message);
    }

    [Fact]
    public void An_unknown_user_id_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.GetUser("0123456789abcdef0123456789abcdef"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("0123456789abcdef0123456789abcdef", e.Message);
    }

    [Fact]
    public void A_user_is_found_by_email_in_any_case()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Assert.Equal(user, Store.FindUserByEmail("ADA@Example.ORG"));
    }

    [Fact]
    public void An_unknown_email_finds_no_user()
    {
        Store.CreateUser(new NewUser("ada@example.org"));
        Assert.Null(Store.FindUserByEmail("grace@example.org"));
    }

    [Fact]
    public void A_second_user_with_the_same_email_in_another_case_is_refused()
    {
        Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.CreateUser(new NewUser("Ada@Example.org")));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Contains("ada@example.org", e.Message);
        Assert.Single(Store.ListUsers());
    }

    [Theory]
    [InlineData("ada.example.org")]
    [InlineData("@example.org")]
    [InlineData("ada@")]
    [InlineData("ada@b@example.org")]
    [InlineData("")]
    public void An_email_without_exactly_one_at_with_text_on_both_sides_is_refused(string email)
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateUser(new NewUser(email)));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("exactly one '@'", e.Message);
        Assert.Empty(Store.ListUsers());
    }

    [Fact]
    public void An_email_longer_than_254_characters_is_refused()
    {
        var email = new string('a', 243) + "@example.org"; // 255
        var e = Assert.Throws<StoreException>(() => Store.CreateUser(new NewUser(email)));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("at most 254", e.Message);
    }

    [Fact]
    public void An_email_of_254_characters_is_accepted()
    {
        var email = new string('a', 242) + "@example.org";
        Assert.Equal(email, Store.CreateUser(new NewUser(email)).Email);
    }

    [Fact]
    public void Users_are_listed_by_email()
    {
        Store.CreateUser(new NewUser("grace@example.org"));
        Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateUser(new NewUser("Bob@example.org"));
        Assert.Equal(["ada@example.org", "bob@example.org", "grace@example.org"], Store.ListUsers().Select(u => u.Email));
    }

    // Identities

    [Fact]
    public void A_linked_identity_finds_its_user()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.LinkIdentity(new UserIdentity(user.UserId, "github", "12345"));
        Assert.Equal(user, Store.FindUserByIdentity("github", "12345"));
    }

    [Fact]
    public void An_identity_is_matched_by_provider_and_subject_together()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.LinkIdentity(new UserIdentity(user.UserId, "github", "12345"));
        Assert.Null(Store.FindUserByIdentity("oidc:https://issuer", "12345"));
        Assert.Null(Store.FindUserByIdentity("github", "54321"));
    }

    [Fact]
    public void Linking_the_same_identity_to_the_same_user_again_changes_nothing()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.LinkIdentity(new UserIdentity(user.UserId, "github", "12345"));
        Store.LinkIdentity(new UserIdentity(user.UserId, "github", "12345"));
        Assert.Equal(user, Store.FindUserByIdentity("github", "12345"));
    }

    [Fact]
    public void Linking_an_identity_of_another_user_is_refused_and_keeps_its_user()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var grace = Store.CreateUser(new NewUser("grace@example.org"));
        Store.LinkIdentity(new UserIdentity(ada.UserId, "github", "12345"));
        var e = Assert.Throws<StoreException>(() => Store.LinkIdentity(new UserIdentity(grace.UserId, "github", "12345")));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Contains("12345", e.Message);
        Assert.Equal(ada, Store.FindUserByIdentity("github", "12345"));
    }

    [Fact]
    public void Linking_an_identity_to_an_unknown_user_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.LinkIdentity(new UserIdentity("nosuchuser", "github", "12345")));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
    }

    [Fact]
    public void An_identity_with_an_empty_subject_is_refused()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.LinkIdentity(new UserIdentity(user.UserId, "github", "")));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("subject", e.Message);
    }

    // Access tokens

    [Fact]
    public void A_created_token_is_found_by_its_hash_with_its_user()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var token = Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, 5000));
        Assert.Matches("^[0-9a-f]{32}$", token.TokenId);
        Assert.Equal((token, user), Store.FindAccessToken("hash-1"));
        Assert.Equal((user.UserId, "laptop", TokenKind.Personal, 1000L, (long?)5000, (long?)null), (token.UserId, token.Name, token.Kind, token.CreatedAt, token.ExpiresAt, token.RevokedAt));
    }

    [Fact]
    public void An_unknown_hash_finds_no_token()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, null));
        Assert.Null(Store.FindAccessToken("hash-2"));
    }

    [Fact]
    public void A_token_is_read_back_by_id_with_its_run()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var token = Store.CreateAccessToken(new NewAccessToken(user.UserId, "run", TokenKind.Run, "hash-1", 1000, 2000, "run-1"));
        Assert.Equal(token, Store.GetAccessToken(token.TokenId));
        Assert.Equal((TokenKind.Run, "run-1"), (token.Kind, token.RunId));
    }

    [Fact]
    public void An_unknown_token_id_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.GetAccessToken("nosuchtoken"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchtoken", e.Message);
    }

    [Fact]
    public void A_token_for_an_unknown_user_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateAccessToken(new NewAccessToken("nosuchuser", "laptop", TokenKind.Personal, "hash-1", 1000, null)));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
    }

    [Fact]
    public void A_second_token_with_the_same_hash_is_refused()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, null));
        var e = Assert.Throws<StoreException>(() => Store.CreateAccessToken(new NewAccessToken(user.UserId, "desk", TokenKind.Personal, "hash-1", 2000, null)));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Equal(["laptop"], Store.ListAccessTokens().Select(t => t.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lap\ntop")]
    public void A_token_name_that_is_empty_or_holds_a_control_character_is_refused(string name)
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.CreateAccessToken(new NewAccessToken(user.UserId, name, TokenKind.Personal, "hash-1", 1000, null)));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("oken name", e.Message);
    }

    [Fact]
    public void A_token_expiring_before_it_is_created_is_refused()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, 999)));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("expire", e.Message);
    }

    [Fact]
    public void Tokens_are_listed_newest_first()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "old", TokenKind.Personal, "h1", 1000, null));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "new", TokenKind.Personal, "h2", 3000, null));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "mid", TokenKind.Personal, "h3", 2000, null));
        Assert.Equal(["new", "mid", "old"], Store.ListAccessTokens().Select(t => t.Name));
    }

    [Fact]
    public void Listing_the_tokens_of_one_user_leaves_out_the_others()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var grace = Store.CreateUser(new NewUser("grace@example.org"));
        Store.CreateAccessToken(new NewAccessToken(ada.UserId, "ada's", TokenKind.Personal, "h1", 1000, null));
        Store.CreateAccessToken(new NewAccessToken(grace.UserId, "grace's", TokenKind.Personal, "h2", 2000, null));
        Assert.Equal(["ada's"], Store.ListAccessTokens(ada.UserId).Select(t => t.Name));
    }

    [Fact]
    public void Listing_the_tokens_of_an_unknown_user_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.ListAccessTokens("nosuchuser"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
    }

    [Fact]
    public void Run_tokens_are_listed_only_when_asked()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "h1", 1000, null));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "run", TokenKind.Run, "h2", 2000, 3000, "run-1"));
        Assert.Equal(["laptop"], Store.ListAccessTokens().Select(t => t.Name));
        Assert.Equal(["run", "laptop"], Store.ListAccessTokens(includeRunTokens: true).Select(t => t.Name));
        Assert.Equal(["run", "laptop"], Store.ListAccessTokens(user.UserId, includeRunTokens: true).Select(t => t.Name));
    }

    [Fact]
    public void A_revoked_token_is_still_found_by_its_hash_and_is_inactive()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var token = Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, null));
        Assert.True(Store.RevokeAccessToken(token.TokenId, 1500));
        var (found, _) = Store.FindAccessToken("hash-1")!.Value;
        Assert.Equal(1500, found.RevokedAt);
        Assert.False(found.IsActive(1600));
    }

    [Fact]
    public void An_expired_token_is_still_found_by_its_hash_and_is_inactive()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, 2000));
        var (found, _) = Store.FindAccessToken("hash-1")!.Value;
        Assert.True(found.IsActive(1999));
        Assert.False(found.IsActive(2000));
    }

    [Fact]
    public void Revoking_a_revoked_token_again_returns_false_and_keeps_the_first_time()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        var token = Store.CreateAccessToken(new NewAccessToken(user.UserId, "laptop", TokenKind.Personal, "hash-1", 1000, null));
        Store.RevokeAccessToken(token.TokenId, 1500);
        Assert.False(Store.RevokeAccessToken(token.TokenId, 1700));
        Assert.Equal(1500, Store.GetAccessToken(token.TokenId).RevokedAt);
    }

    [Fact]
    public void Revoking_an_unknown_token_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.RevokeAccessToken("nosuchtoken", 1000));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchtoken", e.Message);
    }

    // Teams

    [Fact]
    public void A_created_team_is_read_back_by_id_and_found_by_name()
    {
        var team = Store.CreateTeam("Vision");
        Assert.Matches("^[0-9a-f]{32}$", team.TeamId);
        Assert.Equal(team, Store.GetTeam(team.TeamId));
        Assert.Equal(team, Store.FindTeamByName("Vision"));
    }

    [Fact]
    public void A_team_name_is_found_only_as_given()
    {
        Store.CreateTeam("Vision");
        Assert.Null(Store.FindTeamByName("vision"));
    }

    [Fact]
    public void A_second_team_with_the_same_name_is_refused()
    {
        Store.CreateTeam("Vision");
        var e = Assert.Throws<StoreException>(() => Store.CreateTeam("Vision"));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Contains("Vision", e.Message);
        Assert.Single(Store.ListTeams());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Vi\nsion")]
    [InlineData("Vi\u202Esion")]
    public void A_team_name_that_is_empty_or_holds_a_control_or_invisible_character_is_refused(string name)
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateTeam(name));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("eam name", e.Message);
        Assert.Empty(Store.ListTeams());
    }

    [Fact]
    public void A_team_name_longer_than_100_characters_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateTeam(new string('v', 101)));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("at most 100", e.Message);
        Assert.Equal(100, Store.CreateTeam(new string('v', 100)).Name.Length);
    }

    [Fact]
    public void An_unknown_team_id_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.GetTeam("nosuchteam"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchteam", e.Message);
    }

    [Fact]
    public void Teams_are_listed_by_name()
    {
        Store.CreateTeam("Vision");
        Store.CreateTeam("Audio");
        Store.CreateTeam("Text");
        Assert.Equal(["Audio", "Text", "Vision"], Store.ListTeams().Select(t => t.Name));
    }

    [Fact]
    public void A_member_is_added_with_a_role()
    {
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetTeamMember(team.TeamId, ada.UserId, TeamRole.Editor);
        Assert.Equal([new TeamMember(team.TeamId, ada.UserId, TeamRole.Editor)], Store.ListTeamMembers(team.TeamId));
    }

    [Fact]
    public void Setting_a_member_again_changes_their_role()
    {
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetTeamMember(team.TeamId, ada.UserId, TeamRole.Viewer);
        Store.SetTeamMember(team.TeamId, ada.UserId, TeamRole.Admin);
        Assert.Equal([new TeamMember(team.TeamId, ada.UserId, TeamRole.Admin)], Store.ListTeamMembers(team.TeamId));
    }

    [Fact]
    public void Setting_a_member_of_an_unknown_team_is_refused_naming_it()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.SetTeamMember("nosuchteam", ada.UserId, TeamRole.Viewer));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchteam", e.Message);
    }

    [Fact]
    public void Setting_an_unknown_user_as_member_is_refused_naming_it()
    {
        var team = Store.CreateTeam("Vision");
        var e = Assert.Throws<StoreException>(() => Store.SetTeamMember(team.TeamId, "nosuchuser", TeamRole.Viewer));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
        Assert.Empty(Store.ListTeamMembers(team.TeamId));
    }

    [Fact]
    public void A_role_outside_viewer_editor_admin_is_refused()
    {
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.SetTeamMember(team.TeamId, ada.UserId, (TeamRole)7));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("role 7", e.Message);
    }

    [Fact]
    public void Removing_a_member_returns_true_then_false_when_they_are_no_longer_one()
    {
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetTeamMember(team.TeamId, ada.UserId, TeamRole.Editor);
        Assert.True(Store.RemoveTeamMember(team.TeamId, ada.UserId));
        Assert.False(Store.RemoveTeamMember(team.TeamId, ada.UserId));
        Assert.Empty(Store.ListTeamMembers(team.TeamId));
    }

    [Fact]
    public void Removing_a_member_of_an_unknown_team_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.RemoveTeamMember("nosuchteam", "someone"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchteam", e.Message);
    }

    [Fact]
    public void Members_are_listed_by_user_id_and_only_the_team_s_own()
    {
        var vision = Store.CreateTeam("Vision");
        var audio = Store.CreateTeam("Audio");
        var users = Enumerable.Range(0, 3).Select(i => Store.CreateUser(new NewUser($"u{i}@example.org"))).ToList();
        foreach (var u in users) Store.SetTeamMember(vision.TeamId, u.UserId, TeamRole.Viewer);
        Store.SetTeamMember(audio.TeamId, users[0].UserId, TeamRole.Admin);
        Assert.Equal(users.Select(u => u.UserId).Order(StringComparer.Ordinal), Store.ListTeamMembers(vision.TeamId).Select(m => m.UserId));
    }

    [Fact]
    public void Listing_the_members_of_an_unknown_team_is_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.ListTeamMembers("nosuchteam"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchteam", e.Message);
    }

    [Fact]
    public void The_team_roles_of_a_user_give_each_of_their_teams_with_the_role()
    {
        var vision = Store.CreateTeam("Vision");
        var audio = Store.CreateTeam("Audio");
        Store.CreateTeam("Text");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetTeamMember(vision.TeamId, ada.UserId, TeamRole.Editor);
        Store.SetTeamMember(audio.TeamId, ada.UserId, TeamRole.Viewer);
        var roles = Store.TeamRolesOf(ada.UserId);
        Assert.Equal(2, roles.Count);
        Assert.Equal((TeamRole.Editor, TeamRole.Viewer), (roles[vision.TeamId], roles[audio.TeamId]));
    }

    [Fact]
    public void A_user_in_no_team_has_no_team_roles()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Assert.Empty(Store.TeamRolesOf(ada.UserId));
    }

    [Fact]
    public void The_team_roles_of_an_unknown_user_are_refused_naming_it()
    {
        var e = Assert.Throws<StoreException>(() => Store.TeamRolesOf("nosuchuser"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
    }

    // Experiment ownership

    [Fact]
    public void An_experiment_owner_is_recorded_and_found()
    {
        var experiment = Store.CreateExperiment("cats");
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, team.TeamId, ada.UserId));
        Assert.Equal(new ExperimentOwner(experiment.ExperimentId, team.TeamId, ada.UserId), Store.FindExperimentOwner(experiment.ExperimentId));
    }

    [Fact]
    public void Setting_an_owner_again_replaces_the_record()
    {
        var experiment = Store.CreateExperiment("cats");
        var team = Store.CreateTeam("Vision");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var grace = Store.CreateUser(new NewUser("grace@example.org"));
        Store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, team.TeamId, ada.UserId));
        Store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, null, grace.UserId));
        Assert.Equal(new ExperimentOwner(experiment.ExperimentId, null, grace.UserId), Store.FindExperimentOwner(experiment.ExperimentId));
    }

    [Fact]
    public void An_experiment_without_an_owner_record_has_no_owner()
    {
        Assert.Null(Store.FindExperimentOwner("0"));
    }

    [Fact]
    public void Every_ownership_record_is_listed_by_experiment_id()
    {
        var cats = Store.CreateExperiment("cats");
        var dogs = Store.CreateExperiment("dogs");
        Store.CreateExperiment("birds");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        Store.SetExperimentOwner(new ExperimentOwner(cats.ExperimentId, null, ada.UserId));
        Store.SetExperimentOwner(new ExperimentOwner(dogs.ExperimentId, null, ada.UserId));
        var owners = Store.ListExperimentOwners();
        Assert.Equal([cats.ExperimentId, dogs.ExperimentId], owners.Keys.Order());
        Assert.Equal(ada.UserId, owners[dogs.ExperimentId].OwnerUserId);
    }

    [Fact]
    public void An_owner_for_an_unknown_experiment_is_refused_naming_it()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.SetExperimentOwner(new ExperimentOwner("424242", null, ada.UserId)));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("424242", e.Message);
    }

    [Fact]
    public void An_owner_naming_an_unknown_team_is_refused_naming_it()
    {
        var experiment = Store.CreateExperiment("cats");
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var e = Assert.Throws<StoreException>(() => Store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, "nosuchteam", ada.UserId)));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchteam", e.Message);
        Assert.Null(Store.FindExperimentOwner(experiment.ExperimentId));
    }

    [Fact]
    public void An_owner_naming_an_unknown_user_is_refused_naming_it()
    {
        var experiment = Store.CreateExperiment("cats");
        var e = Assert.Throws<StoreException>(() => Store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, null, "nosuchuser")));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nosuchuser", e.Message);
    }

    // Audit log

    [Fact]
    public void Appended_audit_entries_are_returned_with_increasing_positions()
    {
        var first = Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunCreated));
        var second = Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunDeleted));
        Assert.True(first.Seq > 0);
        Assert.True(second.Seq > first.Seq);
        Assert.Equal(Audit(1000, "u1", "ada@example.org", AuditActions.RunCreated) with { Seq = first.Seq }, first);
    }

    [Fact]
    public void The_audit_log_is_listed_newest_first_with_every_field()
    {
        Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunCreated));
        Store.AppendAudit(new AuditEntry(3000, "u2", "grace@example.org", AuditActions.TokenRevoked, "token-1", "by admin", "10.0.0.7"));
        Store.AppendAudit(Audit(2000, "u1", "ada@example.org", AuditActions.RunDeleted));
        var entries = Store.ListAudit(new AuditQuery());
        Assert.Equal([3000L, 2000, 1000], entries.Select(e => e.At));
        Assert.Equal(("u2", "grace@example.org", AuditActions.TokenRevoked, "token-1", "by admin", "10.0.0.7"),
            (entries[0].ActorId, entries[0].ActorEmail, entries[0].Action, entries[0].Subject, entries[0].Detail, entries[0].Address));
    }

    [Fact]
    public void Audit_entries_at_the_same_time_are_listed_last_appended_first()
    {
        var first = Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunCreated));
        var second = Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunDeleted));
        Assert.Equal([second.Seq, first.Seq], Store.ListAudit(new AuditQuery()).Select(e => e.Seq));
    }

    [Fact]
    public void The_audit_log_of_one_actor_matches_their_id_or_their_email_in_any_case()
    {
        Store.AppendAudit(Audit(1000, "u1", "ada@example.org", AuditActions.RunCreated));
        Store.AppendAudit(Audit(2000, "u2", "grace@example.org", AuditActions.RunCreated));
        Assert.Equal(["u1"], Store.ListAudit(new AuditQuery { Actor = "u1" }).Select(e => e.ActorId));
        Assert.Equal(["u2"], Store.ListAudit(new AuditQuery { Actor = "Grace@Example.org" }).Select(e => e.ActorId));
    }

    [Fact]
    public void The_audit_log_since_a_time_keeps_the_entries_at_or_after_it()
    {
        foreach (var at in new long[] { 1000, 2000, 3000 }) Store.AppendAudit(Audit(at, "u1", "ada@example.org", AuditActions.RunCreated));
        Assert.Equal([3000L, 2000], Store.ListAudit(new AuditQuery { Since = 2000 }).Select(e => e.At));
    }

    [Fact]
    public void The_audit_log_is_capped_at_max_results_keeping_the_newest()
    {
        foreach (var at in new long[] { 1000, 2000, 3000 }) Store.AppendAudit(Audit(at, "u1", "ada@example.org", AuditActions.RunCreated));
        Assert.Equal([3000L, 2000], Store.ListAudit(new AuditQuery { MaxResults = 2 }).Select(e => e.At));
    }

    [Fact]
    public void An_audit_query_for_no_results_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => Store.ListAudit(new AuditQuery { MaxResults = 0 }));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("max_results", e.Message);
    }

    [Fact]
    public void An_audit_entry_without_an_action_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => Store.AppendAudit(Audit(1000, "u1", "ada@example.org", "")));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("action", e.Message);
        Assert.Empty(Store.ListAudit(new AuditQuery()));
    }

    // Browser sessions

    [Fact]
    public void A_session_is_found_by_its_hash_with_its_user()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateSession("hash-1", user.UserId, 1000, 5000);
        var found = Store.FindSession("hash-1");
        Assert.Equal((new BrowserSession(user.UserId, 1000, 5000, null), user), found);
        Assert.Null(Store.FindSession("hash-2"));
    }

    [Fact]
    public void A_session_for_an_unknown_user_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => Store.CreateSession("hash-1", "0123456789abcdef0123456789abcdef", 1000, 5000));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void A_second_session_with_the_same_hash_is_refused()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateSession("hash-1", user.UserId, 1000, 5000);
        var e = Assert.Throws<StoreException>(() => Store.CreateSession("hash-1", user.UserId, 2000, 6000));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
    }

    [Fact]
    public void Revoking_one_session_ends_only_that_one_and_only_once()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateSession("hash-1", user.UserId, 1000, 5000);
        Store.CreateSession("hash-2", user.UserId, 1000, 5000);
        Assert.True(Store.RevokeSession("hash-1", 2000));
        Assert.False(Store.RevokeSession("hash-1", 3000));
        Assert.Equal(2000, Store.FindSession("hash-1")!.Value.Session.RevokedAt);
        Assert.Null(Store.FindSession("hash-2")!.Value.Session.RevokedAt);
    }

    [Fact]
    public void Revoking_a_users_sessions_ends_every_active_one_of_that_user_only_and_counts_them()
    {
        var ada = Store.CreateUser(new NewUser("ada@example.org"));
        var grace = Store.CreateUser(new NewUser("grace@example.org"));
        Store.CreateSession("a1", ada.UserId, 1000, 5000);
        Store.CreateSession("a2", ada.UserId, 1000, 5000);
        Store.CreateSession("a3", ada.UserId, 1000, 5000);
        Store.CreateSession("g1", grace.UserId, 1000, 5000);
        Store.RevokeSession("a3", 1500);
        Assert.Equal(2, Store.RevokeSessions(ada.UserId, 2000));
        Assert.All(new[] { "a1", "a2" }, h => Assert.Equal(2000, Store.FindSession(h)!.Value.Session.RevokedAt));
        Assert.Equal(1500, Store.FindSession("a3")!.Value.Session.RevokedAt);
        Assert.Null(Store.FindSession("g1")!.Value.Session.RevokedAt);
    }

    [Fact]
    public void A_session_seen_from_another_replica_is_revoked_there_at_once()
    {
        var user = Store.CreateUser(new NewUser("ada@example.org"));
        Store.CreateSession("hash-1", user.UserId, 1000, 5000);
        using var replica = CreateStore();
        Assert.NotNull(replica.FindSession("hash-1"));
        Store.RevokeSessions(user.UserId, 2000);
        Assert.Equal(2000, replica.FindSession("hash-1")!.Value.Session.RevokedAt);
    }

    // One-time sign-in codes

    [Fact]
    public void A_sign_in_code_redeems_to_its_lowercase_email_once()
    {
        Store.CreateSignInCode("code-1", "Ada@Example.org", 1000, 5000);
        Assert.Equal(new SignInCodeRedemption(SignInCodeStatus.Redeemed, "ada@example.org"), Store.RedeemSignInCode("code-1", 2000));
        Assert.Equal(SignInCodeStatus.Used, Store.RedeemSignInCode("code-1", 2001).Status);
    }

    [Fact]
    public void An_unknown_sign_in_code_is_unknown()
    {
        Assert.Equal(new SignInCodeRedemption(SignInCodeStatus.Unknown), Store.RedeemSignInCode("code-1", 2000));
    }

    [Fact]
    public void A_sign_in_code_at_or_after_its_expiry_is_expired_and_stays_unused()
    {
        Store.CreateSignInCode("code-1", "ada@example.org", 1000, 5000);
        Assert.Equal(new SignInCodeRedemption(SignInCodeStatus.Expired), Store.RedeemSignInCode("code-1", 5000));
        Assert.Equal(SignInCodeStatus.Expired, Store.RedeemSignInCode("code-1", 6000).Status);
    }

    [Fact]
    public void Of_two_concurrent_redeems_on_two_replicas_exactly_one_gets_the_email()
    {
        using var replica = CreateStore();
        for (int i = 0; i < 20; i++)
        {
            Store.CreateSignInCode($"code-{i}", "ada@example.org", 1000, 5000);
            var results = new[] { Store, replica }.AsParallel().WithDegreeOfParallelism(2).Select(s => s.RedeemSignInCode($"code-{i}", 2000).Status).ToList();
            Assert.Equal([SignInCodeStatus.Redeemed, SignInCodeStatus.Used], results.Order());
        }
    }

    private static AuditEntry Audit(long at, string actorId, string email, string action) =>
        new(at, actorId, email, action, "run-1", null, null);
}
