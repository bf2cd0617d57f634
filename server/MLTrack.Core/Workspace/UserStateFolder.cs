namespace MLTrack.Core.Workspace;

/// <summary>
/// The per-user folder for MLTrack's own files (token, reports, deployments, artifact cache) when the store is not a
/// file that they could sit beside (a postgresql:// store): <c>$XDG_STATE_HOME/mltrack</c>, else
/// <c>~/.local/state/mltrack</c> (the XDG base directory default); on Windows <c>%LOCALAPPDATA%\mltrack</c>.
/// </summary>
public static class UserStateFolder
{
    public const string EnvironmentVariable = "XDG_STATE_HOME";
    public const string FolderName = "mltrack";

    /// <param name="environment">Reads environment variables; default the process's.</param>
    public static string Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), FolderName);
        // The XDG spec: a relative value is invalid and is ignored.
        if (environment(EnvironmentVariable) is { Length: > 0 } state && Path.IsPathRooted(state)) return Path.Combine(state, FolderName);
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", FolderName);
    }
}
