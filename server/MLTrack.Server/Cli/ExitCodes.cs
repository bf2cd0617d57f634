namespace MLTrack.Server.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The store refused or failed (unknown run, unwritable file, ...).</summary>
    public const int Error = 1;
    /// <summary>The command line itself was wrong: bad filter, malformed --param.</summary>
    public const int Usage = 2;
}
