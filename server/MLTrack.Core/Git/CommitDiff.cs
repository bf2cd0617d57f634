using LibGit2Sharp;

namespace MLTrack.Core.Git;

/// <summary>The unified diff between two commits of the repository that holds a folder (for comparing two runs' code).</summary>
public static class CommitDiff
{
    /// <summary>The patch from <paramref name="commitA"/> to <paramref name="commitB"/>, cut at <paramref name="maxChars"/>;
    /// null with a reason when there is no repository or a commit is unknown to it.</summary>
    public static (string? Patch, bool Truncated, string? Reason) Between(string directory, string commitA, string commitB, int maxChars = 1_000_000)
    {
        string? root;
        try
        {
            root = Repository.Discover(directory);
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException or ArgumentException)
        {
            root = null;
        }
        if (root is null) return (null, false, $"'{directory}' is not inside a git repository.");
        try
        {
            using var repo = new Repository(root);
            var a = repo.Lookup<Commit>(commitA);
            var b = repo.Lookup<Commit>(commitB);
            if (a is null || b is null)
                return (null, false, $"Commit {(a is null ? commitA : commitB)} is not in the repository at '{repo.Info.WorkingDirectory}'.");
            var patch = repo.Diff.Compare<Patch>(a.Tree, b.Tree).Content;
            return patch.Length > maxChars ? (patch[..maxChars], true, null) : (patch, false, null);
        }
        catch (LibGit2SharpException e)
        {
            return (null, false, $"git failed: {e.Message}");
        }
    }
}
