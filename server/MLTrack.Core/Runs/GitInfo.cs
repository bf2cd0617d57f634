namespace MLTrack.Core.Runs;

/// <summary>Where the run's code came from. All fields are null when the run was not launched inside a git repository.</summary>
public sealed record GitInfo(string? Commit, string? Branch, string? Remote, bool? Dirty)
{
    public static readonly GitInfo None = new(null, null, null, null);
}
