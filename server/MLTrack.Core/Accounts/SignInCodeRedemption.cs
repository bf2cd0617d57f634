namespace MLTrack.Core.Accounts;

/// <summary>What redeeming a one-time sign-in code found.</summary>
public enum SignInCodeStatus
{
    /// <summary>The code was valid and is now used: <see cref="SignInCodeRedemption.Email"/> is whose it was.</summary>
    Redeemed,
    /// <summary>No such code.</summary>
    Unknown,
    /// <summary>The code was redeemed before (by this or another replica).</summary>
    Used,
    /// <summary>The code's time ran out.</summary>
    Expired,
}

/// <summary>The outcome of <see cref="Storage.IAccountStore.RedeemSignInCode"/>: the email only when <see cref="Status"/> is Redeemed.</summary>
public sealed record SignInCodeRedemption(SignInCodeStatus Status, string? Email = null);
