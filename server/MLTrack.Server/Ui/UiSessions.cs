using System.Security.Cryptography;
using System.Text;

namespace MLTrack.Server.Ui;

/// <summary>
/// How a browser signs in to <c>mltrack ui</c> without ever holding the store's token: a one-time code (random,
/// single use, valid <see cref="CodeLifetime"/>) in the URL that <c>mltrack ui</c> prints and opens, exchanged on
/// first use for a session id that travels only in an HttpOnly cookie.
/// <para>The session rule: a session id is 256 random bits, known only to this server process (kept in memory, never
/// derived from the token), so it ends when the process stops, when the browser drops its session cookie, or
/// <see cref="SessionLifetime"/> after sign-in, whichever comes first. Codes and sessions are looked up by their
/// SHA-256 (no timing depends on the secret), and both tables are bounded.</para>
/// </summary>
public sealed class UiSessions(TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>Spent and expired codes are remembered this long, so a reused link is told "already used", not "not valid".</summary>
    private static readonly TimeSpan CodeMemory = TimeSpan.FromHours(1);
    private const int MaxCodes = 1024;
    private const int MaxSessions = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CodeEntry> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal); // → signed in at

    private sealed class CodeEntry(DateTimeOffset issued)
    {
        public DateTimeOffset Issued { get; } = issued;
        public bool Used { get; set; }
    }

    public enum Redeemed
    {
        SignedIn,
        NotValid,
        AlreadyUsed,
        Expired,
    }

    /// <summary>A fresh one-time code (URL-safe).</summary>
    public string MintCode()
    {
        var code = NewSecret();
        lock (_gate)
        {
            var now = time.GetUtcNow();
            RemoveWhere(_codes, e => now - e.Issued >= CodeMemory);
            if (_codes.Count >= MaxCodes) _codes.Remove(_codes.MinBy(kv => kv.Value.Issued).Key);
            _codes[Hash(code)] = new CodeEntry(now);
        }
        return code;
    }

    /// <summary>Spends <paramref name="code"/>: on success a new session id, else why not.</summary>
    public Redeemed Redeem(string? code, out string sessionId)
    {
        sessionId = "";
        if (string.IsNullOrEmpty(code)) return Redeemed.NotValid;
        var key = Hash(code);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_codes.TryGetValue(key, out var entry) || now - entry.Issued >= CodeMemory) return Redeemed.NotValid;
            if (entry.Used) return Redeemed.AlreadyUsed;
            if (now - entry.Issued >= CodeLifetime) return Redeemed.Expired;
            entry.Used = true;
            RemoveWhere(_sessions, signedIn => now - signedIn >= SessionLifetime);
            if (_sessions.Count >= MaxSessions) _sessions.Remove(_sessions.MinBy(kv => kv.Value).Key);
            sessionId = NewSecret();
            _sessions[Hash(sessionId)] = now;
            return Redeemed.SignedIn;
        }
    }

    /// <summary>Whether <paramref name="sessionId"/> is a live session of this process.</summary>
    public bool IsSession(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId)) return false;
        var key = Hash(sessionId);
        lock (_gate)
            return _sessions.TryGetValue(key, out var signedIn) && time.GetUtcNow() - signedIn < SessionLifetime;
    }

    private static void RemoveWhere<TValue>(Dictionary<string, TValue> d, Func<TValue, bool> stale)
    {
        foreach (var kv in d)
            if (stale(kv.Value)) d.Remove(kv.Key); // Dictionary allows Remove while enumerating
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
