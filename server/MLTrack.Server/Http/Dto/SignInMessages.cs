namespace MLTrack.Server.Http.Dto;

/// <summary>POST /api/2.0/mltrack/auth/email/start.</summary>
internal sealed class EmailSignInStartRequest
{
    public string? Email { get; set; }
    /// <summary>Where the link leads after sign-in: a path on this server only (anything else is ignored).</summary>
    public string? ReturnTo { get; set; }
}

internal sealed record EmailSignInStartResponse(bool Sent);

internal sealed record SignOutResponse(int SessionsEnded);

/// <summary>POST /api/2.0/mltrack/auth/github/token: a GitHub token (VS Code's GitHub provider gives one) to trade.</summary>
internal sealed class GitHubTokenRequest
{
    public string? AccessToken { get; set; }
}

/// <summary>The personal access token the GitHub token was traded for (shown once), and whose it is.</summary>
internal sealed record GitHubTokenResponse(string Token, string TokenId, long? ExpiresAt, string Email, string DisplayName);
