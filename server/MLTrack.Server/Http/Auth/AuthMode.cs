namespace MLTrack.Server.Http.Auth;

/// <summary>Who may use a tracking server (<c>mltrack server --auth</c>).</summary>
public enum AuthMode
{
    /// <summary>One person: the store's one bearer token, loopback, no sign-in (the default).</summary>
    Local,
    /// <summary>A team: each request as a signed-in user (a personal access token); teams and roles decide what it may see and change.</summary>
    Users,
}
