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
