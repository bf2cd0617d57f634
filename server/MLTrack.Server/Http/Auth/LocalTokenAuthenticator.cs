using System.Security.Cryptography;
using System.Text;
using MLTrack.Core.Accounts;

namespace MLTrack.Server.Http.Auth;

/// <summary>Local mode: the store's one token, compared in constant time, is <see cref="Principal.Local"/>.</summary>
public sealed class LocalTokenAuthenticator(string token)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    public Principal? Authenticate(string secret) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), _expected) ? Principal.Local : null;
}
