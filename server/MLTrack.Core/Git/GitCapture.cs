using LibGit2Sharp;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Git;

/// <summary>Captures the git state (commit, branch, remote, dirty flag, uncommitted diff) of a run's code.</summary>
public static class GitCapture
{
    /// <summary>
    /// Captures the repository containing <paramref name="directory"/> (searched upward).
    /// Never throws: no repository, or one that cannot be read, gives <see cref="GitSnapshot.None"/>.
    /// If the repository opens but the diff cannot be computed, <see cref="GitSnapshot.Diff"/> holds a
    /// single <c>#</c> comment line saying so (never null, which would claim a clean tree).
    /// </summary>
    public static GitSnapshot Capture(string directory)
    {
        Repository repo;
        try
        {
            if (string.IsNullOrWhiteSpace(directory))
                return GitSnapshot.None;
            string? gitDir = Repository.Discover(Path.GetFullPath(directory));
            if (gitDir is null)
                return GitSnapshot.None;
            repo = new Repository(gitDir);
        }
        catch (Exception)
        {
            return GitSnapshot.None; // corrupt, unreadable, not owned by this user, ...
        }

        using (repo)
        {
            GitInfo info;
            string? root;
            try
            {
                root = RootOf(repo);
                var tip = repo.Head.Tip; // null for an unborn branch
                string? branch = repo.Info.IsHeadDetached ? null : repo.Head.FriendlyName;
                info = new GitInfo(tip?.Sha, branch, RemoteOf(repo), DirtyOf(repo));
            }
            catch (Exception)
            {
                return GitSnapshot.None;
            }

            string? diff;
            try
            {
                diff = WorkingTreeDiff.Build(repo);
            }
            catch (Exception e)
            {
                diff = $"# MLTrack: the diff could not be computed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}\n";
            }
            return new GitSnapshot(info, diff, root) { Author = AuthorOf(repo) };
        }
    }

    private static string RootOf(Repository repo)
    {
        string root = repo.Info.WorkingDirectory ?? repo.Info.Path; // bare repository: its own folder
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    private static string? RemoteOf(Repository repo)
    {
        try
        {
            var remote = repo.Network.Remotes["origin"] ?? repo.Network.Remotes.FirstOrDefault();
            return RemoteUrl.StripCredentials(remote?.Url);
        }
        catch (Exception)
        {
            return null; // e.g. a malformed remote section in .git/config
        }
    }

    private static bool? DirtyOf(Repository repo)
    {
        if (repo.Info.IsBare)
            return null;
        try
        {
            var status = repo.RetrieveStatus(new StatusOptions
            {
                IncludeUntracked = true,
                RecurseUntrackedDirs = false, // one untracked entry is enough to be dirty
                IncludeIgnored = false,
            });
            return status.Any(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored);
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string? AuthorOf(Repository repo)
    {
        try
        {
            return repo.Config.Get<string>("user.name")?.Value is { Length: > 0 } name ? name.Trim() : null;
        }
        catch (Exception)
        {
            return null; // an unreadable config names nobody
        }
    }
}
