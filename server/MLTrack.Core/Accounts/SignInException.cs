namespace MLTrack.Core.Accounts;

/// <summary>Why a sign-in step was refused.</summary>
public enum SignInFailure
{
    /// <summary>Too many starts for the email or from the address (REQUEST_LIMIT_EXCEEDED, 429).</summary>
    LimitExceeded,
    /// <summary>The code is unknown, used or expired, or its user is gone (UNAUTHENTICATED, 401).</summary>
    Refused,
}

/// <summary>A refused sign-in step; the message says why, and never contains a code or secret.</summary>
public sealed class SignInException(SignInFailure failure, string message) : Exception(message)
{
    public SignInFailure Failure { get; } = failure;
}
