using Microsoft.Data.Sqlite;
using MLTrack.Core.Accounts;
using static MLTrack.Core.Storage.AccountRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    private const string UserColumns = "user_id, email, display_name, avatar_url, is_admin, created_at";
    private const string TokenColumns = "token_id, user_id, name, kind, created_at, expires_at, revoked_at, run_id";
    private const string TeamColumns = "team_id, name, created_at";
    private const string AuditColumns = "seq, at, actor_id, actor_email, action, subject, detail, address";

    public User CreateUser(NewUser user)
    {
        var email = NormalizeEmail(user.Email);
        var created = new User(NewId(), email, DisplayName(user, email), user.AvatarUrl, user.IsAdmin, Now());
        return Write((c, tx) =>
        {
            var added = c.Exec($"INSERT INTO users ({UserColumns}) VALUES (@id, @e, @n, @a, @adm, @t) ON CONFLICT (email) DO NOTHING", tx,
                ("@id", created.UserId), ("@e", email), ("@n", created.DisplayName), ("@a", created.AvatarUrl), ("@adm", created.IsAdmin ? 1 : 0),
                ("@t", created.CreatedAt));
            return added == 1 ? created : throw EmailExists(email);
        });
    }

    public User GetUser(string userId) => Read(c => QueryUser(c, null, "user_id = @v", userId)) ?? throw UserNotFound(userId);

    public User? FindUserByEmail(string email) => Read(c => QueryUser(c, null, "email = @v", email.ToLowerInvariant()));

    public IReadOnlyList<User> ListUsers() => Read(c =>
    {
        using var cmd = c.Command($"SELECT {UserColumns} FROM users ORDER BY email", null);
        return (IReadOnlyList<User>)ReadAll(cmd, ReadUser);
    });

    public void LinkIdentity(UserIdentity identity)
    {
        CheckIdentity(identity);
        Write((c, tx) =>
        {
            RequireUser(c, tx, identity.UserId);
            c.Exec("INSERT INTO user_identities (provider, subject, user_id) VALUES (@p, @s, @u) ON CONFLICT (provider, subject) DO NOTHING", tx,
                ("@p", identity.Provider), ("@s", identity.Subject), ("@u", identity.UserId));
            var owner = (string)c.Scalar("SELECT user_id FROM user_identities WHERE provider = @p AND subject = @s", tx,
                ("@p", identity.Provider), ("@s", identity.Subject))!;
            if (owner != identity.UserId) throw IdentityTaken(identity);
        });
    }

    public User? FindUserByIdentity(string provider, string subject) => Read(c => QueryUser(c, null,
        "user_id = (SELECT user_id FROM user_identities WHERE provider = @p AND subject = @v)", subject, ("@p", provider)));

    public AccessToken CreateAccessToken(NewAccessToken token)
    {
        CheckToken(token);
        var created = new AccessToken(NewId(), token.UserId, token.Name, token.Kind, token.CreatedAt, token.ExpiresAt, null, token.RunId);
        return Write((c, tx) =>
        {
            RequireUser(c, tx, token.UserId);
            var added = c.Exec("""
                INSERT INTO access_tokens (token_id, user_id, name, kind, hash, created_at, expires_at, revoked_at, run_id)
                VALUES (@id, @u, @n, @k, @h, @c, @x, NULL, @r) ON CONFLICT (hash) DO NOTHING
                """, tx, ("@id", created.TokenId), ("@u", token.UserId), ("@n", token.Name), ("@k", KindText(token.Kind)), ("@h", token.Hash),
                ("@c", token.CreatedAt), ("@x", token.ExpiresAt), ("@r", token.RunId));
            return added == 1 ? created : throw TokenHashExists();
        });
    }

    public (AccessToken Token, User User)? FindAccessToken(string hash) => Read<(AccessToken, User)?>(c =>
    {
        using var cmd = c.Command($"""
            SELECT {Prefixed("t", TokenColumns)}, {Prefixed("u", UserColumns)}
            FROM access_tokens t JOIN users u ON u.user_id = t.user_id WHERE t.hash = @h
            """, null, ("@h", hash));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (ReadToken(r), ReadUser(r, 8)) : null;
    });

    public AccessToken GetAccessToken(string tokenId) => Read(c => QueryToken(c, null, tokenId)) ?? throw TokenNotFound(tokenId);

    public IReadOnlyList<AccessToken> ListAccessTokens(string? userId = null, bool includeRunTokens = false) => Read(c =>
    {
        if (userId is not null) RequireUser(c, null, userId);
        using var cmd = c.Command($"""
            SELECT {TokenColumns} FROM access_tokens
            WHERE (@u IS NULL OR user_id = @u) AND (@runs OR kind <> 'run')
            ORDER BY created_at DESC, token_id
            """, null, ("@u", userId), ("@runs", includeRunTokens));
        return (IReadOnlyList<AccessToken>)ReadAll(cmd, r => ReadToken(r));
    });

    public bool RevokeAccessToken(string tokenId, long at) => Write((c, tx) =>
    {
        if (QueryToken(c, tx, tokenId) is null) throw TokenNotFound(tokenId);
        return c.Exec("UPDATE access_tokens SET revoked_at = @at WHERE token_id = @id AND revoked_at IS NULL", tx, ("@at", at), ("@id", tokenId)) == 1;
    });

    public Team CreateTeam(string name)
    {
        CheckTeamName(name);
        var team = new Team(NewId(), name, Now());
        return Write((c, tx) =>
        {
            var added = c.Exec("INSERT INTO teams (team_id, name, created_at) VALUES (@id, @n, @t) ON CONFLICT (name) DO NOTHING", tx,
                ("@id", team.TeamId), ("@n", name), ("@t", team.CreatedAt));
            return added == 1 ? team : throw TeamExists(name);
        });
    }

    public Team GetTeam(string teamId) => Read(c => QueryTeam(c, null, "team_id = @v", teamId)) ?? throw TeamNotFound(teamId);

    public Team? FindTeamByName(string name) => Read(c => QueryTeam(c, null, "name = @v", name));

    public IReadOnlyList<Team> ListTeams() => Read(c =>
    {
        using var cmd = c.Command($"SELECT {TeamColumns} FROM teams ORDER BY name", null);
        return (IReadOnlyList<Team>)ReadAll(cmd, ReadTeam);
    });

    public void SetTeamMember(string teamId, string userId, TeamRole role)
    {
        CheckRole(role);
        Write((c, tx) =>
        {
            RequireTeam(c, tx, teamId);
            RequireUser(c, tx, userId);
            c.Exec("INSERT INTO team_members (team_id, user_id, role) VALUES (@t, @u, @r) ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
                tx, ("@t", teamId), ("@u", userId), ("@r", RoleText(role)));
        });
    }

    public bool RemoveTeamMember(string teamId, string userId) => Write((c, tx) =>
    {
        RequireTeam(c, tx, teamId);
        return c.Exec("DELETE FROM team_members WHERE team_id = @t AND user_id = @u", tx, ("@t", teamId), ("@u", userId)) == 1;
    });

    public IReadOnlyList<TeamMember> ListTeamMembers(string teamId) => Read(c =>
    {
        RequireTeam(c, null, teamId);
        using var cmd = c.Command("SELECT team_id, user_id, role FROM team_members WHERE team_id = @t ORDER BY user_id", null, ("@t", teamId));
        return (IReadOnlyList<TeamMember>)ReadAll(cmd, r => new TeamMember(r.GetString(0), r.GetString(1), ParseRole(r.GetString(2))));
    });

    public IReadOnlyDictionary<string, TeamRole> TeamRolesOf(string userId) => Read(c =>
    {
        RequireUser(c, null, userId);
        using var cmd = c.Command("SELECT team_id, role FROM team_members WHERE user_id = @u", null, ("@u", userId));
        using var r = cmd.ExecuteReader();
        var roles = new Dictionary<string, TeamRole>();
        while (r.Read()) roles[r.GetString(0)] = ParseRole(r.GetString(1));
        return (IReadOnlyDictionary<string, TeamRole>)roles;
    });

    public void SetExperimentOwner(ExperimentOwner owner) => Write((c, tx) =>
    {
        var experimentId = StoreRules.ExperimentIdText(RequireExperiment(c, tx, owner.ExperimentId));
        RequireUser(c, tx, owner.OwnerUserId);
        if (owner.TeamId is not null) RequireTeam(c, tx, owner.TeamId);
        c.Exec("""
            INSERT INTO experiment_owners (experiment_id, team_id, owner_user_id) VALUES (@e, @t, @u)
            ON CONFLICT (experiment_id) DO UPDATE SET team_id = excluded.team_id, owner_user_id = excluded.owner_user_id
            """, tx, ("@e", experimentId), ("@t", owner.TeamId), ("@u", owner.OwnerUserId));
    });

    public ExperimentOwner? FindExperimentOwner(string experimentId) => Read(c =>
    {
        using var cmd = c.Command("SELECT experiment_id, team_id, owner_user_id FROM experiment_owners WHERE experiment_id = @e", null, ("@e", experimentId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadOwner(r) : null;
    });

    public IReadOnlyDictionary<string, ExperimentOwner> ListExperimentOwners() => Read(c =>
    {
        using var cmd = c.Command("SELECT experiment_id, team_id, owner_user_id FROM experiment_owners ORDER BY experiment_id", null);
        return (IReadOnlyDictionary<string, ExperimentOwner>)ReadAll(cmd, ReadOwner).ToDictionary(o => o.ExperimentId);
    });

    public AuditEntry AppendAudit(AuditEntry entry)
    {
        CheckAudit(entry);
        return Write((c, tx) =>
        {
            var seq = (long)c.Scalar("""
                INSERT INTO audit_log (at, actor_id, actor_email, action, subject, detail, address)
                VALUES (@at, @id, @e, @a, @s, @d, @ad) RETURNING seq
                """, tx, ("@at", entry.At), ("@id", entry.ActorId), ("@e", entry.ActorEmail.ToLowerInvariant()), ("@a", entry.Action),
                ("@s", entry.Subject), ("@d", entry.Detail), ("@ad", entry.Address))!;
            return entry with { ActorEmail = entry.ActorEmail.ToLowerInvariant(), Seq = seq };
        });
    }

    public IReadOnlyList<AuditEntry> ListAudit(AuditQuery query)
    {
        CheckAuditQuery(query);
        return Read(c =>
        {
            using var cmd = c.Command($"""
                SELECT {AuditColumns} FROM audit_log
                WHERE (@actor IS NULL OR actor_id = @actor OR actor_email = @email) AND (@since IS NULL OR at >= @since)
                ORDER BY at DESC, seq DESC LIMIT @max
                """, null, ("@actor", query.Actor), ("@email", ActorEmail(query.Actor)), ("@since", query.Since), ("@max", query.MaxResults));
            return (IReadOnlyList<AuditEntry>)ReadAll(cmd, r => new AuditEntry(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetNullableString(6), r.GetNullableString(7))
            { Seq = r.GetInt64(0) });
        });
    }

    private static void RequireUser(SqliteConnection c, SqliteTransaction? tx, string userId)
    {
        if (c.Scalar("SELECT 1 FROM users WHERE user_id = @id", tx, ("@id", userId)) is null) throw UserNotFound(userId);
    }

    private static void RequireTeam(SqliteConnection c, SqliteTransaction? tx, string teamId)
    {
        if (c.Scalar("SELECT 1 FROM teams WHERE team_id = @id", tx, ("@id", teamId)) is null) throw TeamNotFound(teamId);
    }

    private static User? QueryUser(SqliteConnection c, SqliteTransaction? tx, string where, string value, params (string, object?)[] more)
    {
        using var cmd = c.Command($"SELECT {UserColumns} FROM users WHERE {where}", tx, [("@v", value), .. more]);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadUser(r) : null;
    }

    private static AccessToken? QueryToken(SqliteConnection c, SqliteTransaction? tx, string tokenId)
    {
        using var cmd = c.Command($"SELECT {TokenColumns} FROM access_tokens WHERE token_id = @id", tx, ("@id", tokenId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadToken(r) : null;
    }

    private static Team? QueryTeam(SqliteConnection c, SqliteTransaction? tx, string where, string value)
    {
        using var cmd = c.Command($"SELECT {TeamColumns} FROM teams WHERE {where}", tx, ("@v", value));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadTeam(r) : null;
    }

    private static List<T> ReadAll<T>(SqliteCommand cmd, Func<SqliteDataReader, T> read)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }

    private static string Prefixed(string table, string columns) => string.Join(", ", columns.Split(", ").Select(col => $"{table}.{col}"));

    private static User ReadUser(SqliteDataReader r) => ReadUser(r, 0);

    private static User ReadUser(SqliteDataReader r, int at) => new(r.GetString(at), r.GetString(at + 1), r.GetString(at + 2),
        r.GetNullableString(at + 3), r.GetInt64(at + 4) != 0, r.GetInt64(at + 5));

    private static AccessToken ReadToken(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), ParseKind(r.GetString(3)),
        r.GetInt64(4), r.GetNullableInt64(5), r.GetNullableInt64(6), r.GetNullableString(7));

    private static Team ReadTeam(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2));

    private static ExperimentOwner ReadOwner(SqliteDataReader r) => new(r.GetString(0), r.GetNullableString(1), r.GetString(2));
}
