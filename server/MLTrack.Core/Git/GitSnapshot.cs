using MLTrack.Core.Runs;

namespace MLTrack.Core.Git;

/// <summary>
/// What was captured about the git repository a run was launched from.
/// <see cref="Diff"/> is a unified patch (applicable with <c>git apply</c> on top of
/// <see cref="GitInfo.Commit"/>) of every uncommitted change, or null for a clean tree.
/// </summary>
public sealed record GitSnapshot(GitInfo Info, string? Diff, string? RepositoryRoot)
{
    /// <summary>No repository (or an unreadable one).</summary>
    public static readonly GitSnapshot None = new(GitInfo.None, null, null);

    /// <summary>git's <c>user.name</c> for the repository (local, global or system config); null when unset.</summary>
    public string? Author { get; init; }
}
