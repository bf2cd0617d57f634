using MLTrack.Core.Accounts;

namespace MLTrack.Core.Storage;

/// <summary>
/// The checks and refusals of <see cref="IAccountStore"/>, worded once so that SQLite and PostgreSQL accept and refuse
/// the same input with the same words.
/// </summary>
internal static class AccountRules
{
    /// <summary>RFC 5321's limit on a forward path.</summary>
    public const int MaxEmailLength = 254;
    public const int MaxTeamNameLength = 100;
    public const int MaxTokenNameLength = 100;
    public const int MaxAuditResults = 100_000;

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>The email as stored (lowercase), refused unless it is one '@' with text on both sides.</summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.IndexOf('@');
        if (email.Length > MaxEmailLength)
            throw Invalid($"Email '{Printable(email)}' is {email.Length} characters long; at most {MaxEmailLength} are allowed.");
        if (at <= 0 || at == email.Length - 1 || email.IndexOf('@', at + 1) >= 0)
            throw Invalid($"Email '{Printable(email)}' must contain exactly one '@' with text on both sides.");
        if (email.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)))
            throw Invalid($"Email '{Printable(email)}' must not contain spaces or control characters.");
        return email.ToLowerInvariant();
    }

    /// <summary>The display name as stored: the one given, or the email's local part.</summary>
    public static string DisplayName(NewUser user, string email)
    {
        if (string.IsNullOrWhiteSpace(user.DisplayName)) return email[..email.IndexOf('@')];
        StoreRules.CheckName(user.DisplayName, "display name");
        return user.DisplayName;
    }

    public static void CheckTeamName(string name) => CheckLabel(name, "Team name", "team name", MaxTeamNameLength);

    public static void CheckToken(NewAccessToken token)
    {
        CheckLabel(token.Name, "Token name", "token name", MaxTokenNameLength);
        if (string.IsNullOrWhiteSpace(token.Hash))
            throw Invalid("Token hash must be a non-empty string.");
        if (!Enum.IsDefined(token.Kind))
            throw Invalid($"Token kind {(int)token.Kind} is not one of {string.Join(", ", Enum.GetNames<TokenKind>())}.");
        if (token.ExpiresAt is { } expires && expires <= token.CreatedAt)
            throw Invalid($"Token '{Printable(token.Name)}' would expire ({expires}) before it is created ({token.CreatedAt}).");
    }

    public static void CheckIdentity(UserIdentity identity)
    {
        if (string.IsNullOrWhiteSpace(identity.Provider)) throw Invalid("Identity provider must be a non-empty string.");
        if (string.IsNullOrWhiteSpace(identity.Subject)) throw Invalid($"Identity subject at '{Printable(identity.Provider)}' must be a non-empty string.");
    }

    public static void CheckRole(TeamRole role)
    {
        if (!Enum.IsDefined(role))
            throw Invalid($"Team role {(int)role} is not one of {string.Join(", ", Enum.GetNames<TeamRole>())}.");
    }

    public static void CheckAudit(AuditEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Action)) throw Invalid("Audit action must be a non-empty string.");
        if (string.IsNullOrWhiteSpace(entry.ActorId)) throw Invalid($"Audit entry '{entry.Action}' must name its actor.");
    }

    public static void CheckAuditQuery(AuditQuery query)
    {
        if (query.MaxResults is < 1 or > MaxAuditResults)
            throw Invalid($"max_results must be between 1 and {MaxAuditResults}, got {query.MaxResults}.");
    }

    /// <summary>The actor as matched: ids as given, emails lowercase (as stored).</summary>
    public static string? ActorEmail(string? actor) => actor?.ToLowerInvariant();

    // Kinds and roles as stored: lowercase words, readable in the database.
    public static string KindText(TokenKind kind) => kind == TokenKind.Run ? "run" : "personal";
    public static TokenKind ParseKind(string text) => text == "run" ? TokenKind.Run : TokenKind.Personal;
    public static string RoleText(TeamRole role) => role.ToString().ToLowerInvariant();
    public static TeamRole ParseRole(string text) => Enum.Parse<TeamRole>(text, ignoreCase: true);

    public static StoreException UserNotFound(string userId) => new(StoreErrorCode.ResourceDoesNotExist, $"No user with id '{userId}'.");
    public static StoreException EmailExists(string email) => new(StoreErrorCode.ResourceAlreadyExists, $"A user with email '{email}' already exists.");
    public static StoreException IdentityTaken(UserIdentity identity) => new(StoreErrorCode.ResourceAlreadyExists,
        $"The {identity.Provider} identity '{identity.Subject}' is already linked to another user than '{identity.UserId}'.");
    public static StoreException TokenNotFound(string tokenId) => new(StoreErrorCode.ResourceDoesNotExist, $"No access token with id '{tokenId}'.");
    public static StoreException TokenHashExists() => new(StoreErrorCode.ResourceAlreadyExists, "An access token with this hash already exists.");
    public static StoreException TeamNotFound(string teamId) => new(StoreErrorCode.ResourceDoesNotExist, $"No team with id '{teamId}'.");
    public static StoreException SessionHashExists() => new(StoreErrorCode.ResourceAlreadyExists, "A session with this hash already exists.");
    public static StoreException SignInCodeHashExists() => new(StoreErrorCode.ResourceAlreadyExists, "A sign-in code with this hash already exists.");

    /// <summary>How long a sign-in code's row is kept past its expiry (so "expired" can still be told from "unknown").</summary>
    public const long CodeRetentionMs = 24L * 60 * 60 * 1000;

    public static StoreException TeamExists(string name) => new(StoreErrorCode.ResourceAlreadyExists, $"Team '{name}' already exists.");

    private static void CheckLabel(string? text, string capitalized, string what, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Invalid($"{capitalized} must be a non-empty string.");
        if (text.Length > max) throw Invalid($"{capitalized} '{Printable(text)}' is {text.Length} characters long; at most {max} are allowed.");
        StoreRules.CheckName(text, what);
    }

    private static string Printable(string text) => Names.NameRules.Printable(text);

    private static StoreException Invalid(string message) => new(StoreErrorCode.InvalidParameterValue, message);
}
