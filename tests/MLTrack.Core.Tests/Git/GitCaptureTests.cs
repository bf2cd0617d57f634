using LibGit2Sharp;
using MLTrack.Core.Git;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Git;

public sealed class GitCaptureTests
{
    [Fact]
    public void CleanRepository_ReportsCommitBranchAndRoot_NotDirty_WithoutDiff()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "print('hi')\n");
        var commit = repo.CommitAll();
        Commands.Checkout(repo.Repo, repo.Repo.CreateBranch("experiment"));

        var snapshot = repo.Capture();

        Assert.Equal(new GitInfo(commit.Sha, "experiment", null, false), snapshot.Info);
        Assert.Null(snapshot.Diff);
        Assert.Equal(Path.GetFullPath(repo.Root), snapshot.RepositoryRoot);
    }

    [Fact]
    public void RepositoryUserName_IsCapturedAsTheAuthor()
    {
        using var repo = new TempRepository();
        repo.Repo.Config.Set("user.name", "Ada Lovelace", ConfigurationLevel.Local);

        Assert.Equal("Ada Lovelace", repo.Capture().Author);
    }

    [Fact]
    public void ModifiedTrackedFile_MakesTreeDirty_AndDiffContainsTheChange()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "lr = 0.1\n");
        repo.CommitAll();
        repo.Write("train.py", "lr = 0.5\n");

        var snapshot = repo.Capture();

        Assert.True(snapshot.Info.Dirty);
        Assert.NotNull(snapshot.Diff);
        Assert.Contains("--- a/train.py\n+++ b/train.py\n", snapshot.Diff);
        Assert.Contains("-lr = 0.1\n+lr = 0.5\n", snapshot.Diff);
    }

    [Fact]
    public void DeletedTrackedFile_MakesTreeDirty_AndDiffDeletesIt()
    {
        using var repo = new TempRepository();
        repo.Write("keep.py", "keep\n");
        repo.Write("old.py", "obsolete\n");
        repo.CommitAll();
        repo.Delete("old.py");

        var snapshot = repo.Capture();

        Assert.True(snapshot.Info.Dirty);
        Assert.Contains("deleted file mode 100644", snapshot.Diff);
        Assert.Contains("--- a/old.py\n+++ /dev/null\n", snapshot.Diff);
    }

    [Fact]
    public void Diff_AppliedWithGitApplyToACheckoutOfTheCommit_ReproducesTheWorkingTree()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "import torch\nlr = 0.1\nepochs = 10\n");
        repo.Write("data/prep.py", "def prep():\n    return 1\n");
        repo.Write("old.txt", "remove me\n");
        repo.Write("no-eol.txt", "a\nb");
        var commit = repo.CommitAll();

        repo.Write("train.py", "import torch\nlr = 0.5\nepochs = 10\nseed = 1\n"); // unstaged modification
        repo.Delete("old.txt");                                                    // deletion
        repo.Write("data/prep.py", "def prep():\n    return 2\n");                 // staged ...
        repo.Stage("data/prep.py");
        repo.Write("data/prep.py", "def prep():\n    return 3\n");                 // ... then modified again
        repo.Write("configs/a b.yaml", "batch: 32\n");                             // staged new file, space in name
        repo.Stage("configs/a b.yaml");
        repo.Write("notes/new dir/idea.md", "# try mixup\n");                      // untracked, in untracked dirs
        repo.Write("empty.txt", "");                                               // untracked empty file
        repo.Write("no-eol.txt", "a\nc");                                          // no final newline
        repo.Write("unicode-é.txt", "naïve\n");                                    // non-ASCII name and content

        var snapshot = repo.Capture();

        using var copy = new TempDirectory();
        string checkout = Path.Combine(copy.Path, "checkout");
        GitCli.CheckoutCopy(repo.Root, commit.Sha, checkout);
        var (exitCode, output) = GitCli.Apply(checkout, snapshot.Diff!);
        Assert.True(exitCode == 0, $"git apply failed: {output}\n{snapshot.Diff}");
        Assert.Equal(WorkingTreeFiles(repo.Root), WorkingTreeFiles(checkout));
    }

    [Fact]
    public void UntrackedFile_AppearsInDiffAsNewFile()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "x = 1\n");
        repo.CommitAll();
        repo.Write("model.py", "class Net: pass\n");

        var snapshot = repo.Capture();

        Assert.True(snapshot.Info.Dirty);
        Assert.Contains("diff --git a/model.py b/model.py\nnew file mode 100644\n", snapshot.Diff);
        Assert.Contains("+class Net: pass\n", snapshot.Diff);
    }

    [Fact]
    public void IgnoredFile_IsNotInDiff_AndDoesNotMakeTreeDirty()
    {
        using var repo = new TempRepository();
        repo.Write(".gitignore", "*.log\n");
        repo.CommitAll();
        repo.Write("train.log", "epoch 1 loss 0.3\n");

        var snapshot = repo.Capture();

        Assert.False(snapshot.Info.Dirty);
        Assert.Null(snapshot.Diff);
    }

    [Fact]
    public void StagedOnlyChange_AppearsInDiff()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "lr = 0.1\n");
        repo.CommitAll();
        repo.Write("train.py", "lr = 0.2\n");
        repo.Stage("train.py"); // working tree now equals the index

        var snapshot = repo.Capture();

        Assert.True(snapshot.Info.Dirty);
        Assert.Contains("-lr = 0.1\n+lr = 0.2\n", snapshot.Diff);
    }

    [Fact]
    public void DetachedHead_HasNoBranch_ButHasTheCommit()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "v1\n");
        var first = repo.CommitAll("first");
        repo.Write("train.py", "v2\n");
        repo.CommitAll("second");
        Commands.Checkout(repo.Repo, first);

        var snapshot = repo.Capture();

        Assert.Null(snapshot.Info.Branch);
        Assert.Equal(first.Sha, snapshot.Info.Commit);
        Assert.False(snapshot.Info.Dirty);
    }

    [Fact]
    public void SubdirectoryOfRepository_IsCapturedAsTheWholeRepository()
    {
        using var repo = new TempRepository();
        repo.Write("src/models/net.py", "class Net: pass\n");
        var commit = repo.CommitAll();
        repo.Write("README.md", "outside the subdirectory\n");

        var snapshot = GitCapture.Capture(repo.FullPath("src/models"));

        Assert.Equal(commit.Sha, snapshot.Info.Commit);
        Assert.Equal(Path.GetFullPath(repo.Root), snapshot.RepositoryRoot);
        Assert.Contains("+++ b/README.md", snapshot.Diff); // the diff covers the whole repository
    }

    [Fact]
    public void DirectoryOutsideAnyRepository_GivesGitInfoNone()
    {
        using var dir = new TempDirectory();
        Assert.True(Repository.Discover(dir.Path) is null, $"precondition: {dir.Path} must not be inside a git repository");
        File.WriteAllText(Path.Combine(dir.Path, "train.py"), "x = 1\n");

        var snapshot = GitCapture.Capture(dir.Path);

        Assert.Equal(new GitSnapshot(GitInfo.None, null, null), snapshot);
    }

    [Fact]
    public void MissingDirectory_GivesGitInfoNone()
    {
        using var dir = new TempDirectory();

        var snapshot = GitCapture.Capture(Path.Combine(dir.Path, "does", "not", "exist"));

        Assert.Equal(GitSnapshot.None, snapshot);
    }

    [Fact]
    public void CorruptRepository_GivesGitInfoNone_WithoutThrowing()
    {
        using var dir = new TempDirectory();
        string gitDir = Path.Combine(dir.Path, ".git");
        Directory.CreateDirectory(Path.Combine(gitDir, "objects"));
        Directory.CreateDirectory(Path.Combine(gitDir, "refs"));
        File.WriteAllText(Path.Combine(gitDir, "HEAD"), "this is not a ref\n");
        File.WriteAllText(Path.Combine(gitDir, "config"), "[[[ not a config\n");

        var snapshot = GitCapture.Capture(dir.Path);

        Assert.Equal(GitSnapshot.None, snapshot);
    }

    [Fact]
    public void RepositoryWithNoCommits_HasNoCommit_AndDiffsAgainstTheEmptyTree()
    {
        using var repo = new TempRepository();
        repo.Write("staged.py", "a = 1\n");
        repo.Stage("staged.py");
        repo.Write("untracked.py", "b = 2\n");

        var snapshot = repo.Capture();

        Assert.Null(snapshot.Info.Commit);
        Assert.Equal(repo.Repo.Head.FriendlyName, snapshot.Info.Branch); // the unborn branch
        Assert.True(snapshot.Info.Dirty);
        Assert.Contains("--- /dev/null\n+++ b/staged.py\n@@ -0,0 +1 @@\n+a = 1\n", snapshot.Diff);
        Assert.Contains("--- /dev/null\n+++ b/untracked.py\n@@ -0,0 +1 @@\n+b = 2\n", snapshot.Diff);
    }

    [Fact]
    public void Remote_IsOriginUrlWithCredentialsStripped()
    {
        using var repo = new TempRepository();
        repo.Write("a.txt", "a\n");
        repo.CommitAll();
        repo.Repo.Network.Remotes.Add("backup", "https://backup.example.com/x.git");
        repo.Repo.Network.Remotes.Add("origin", "https://alice:ghp_secret@github.com/alice/exp.git");

        var snapshot = repo.Capture();

        Assert.Equal("https://github.com/alice/exp.git", snapshot.Info.Remote);
    }

    [Fact]
    public void Remote_FallsBackToTheFirstRemoteWithoutOrigin()
    {
        using var repo = new TempRepository();
        repo.Write("a.txt", "a\n");
        repo.CommitAll();
        repo.Repo.Network.Remotes.Add("upstream", "git@github.com:org/exp.git");

        var snapshot = repo.Capture();

        Assert.Equal("git@github.com:org/exp.git", snapshot.Info.Remote);
    }

    [Fact]
    public void BinaryFile_IsLeftOutOfDiff_AndNamedInACommentLine()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "x = 1\n");
        repo.CommitAll();
        repo.WriteBytes("weights.bin", [1, 0, 2, 0, 3]);

        var snapshot = repo.Capture();

        Assert.True(snapshot.Info.Dirty);
        Assert.StartsWith("# MLTrack: not included (binary): weights.bin\n", snapshot.Diff);
        Assert.DoesNotContain("diff --git a/weights.bin", snapshot.Diff);
    }

    [Fact]
    public void FileOver1MiB_IsLeftOutOfDiff_AndNamedInACommentLine()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "x = 1\n");
        repo.CommitAll();
        repo.Write("data.csv", new string('1', 1024 * 1024) + "\n"); // 1 MiB + 1 byte of text

        var snapshot = repo.Capture();

        Assert.StartsWith("# MLTrack: not included (larger than 1 MiB): data.csv\n", snapshot.Diff);
        Assert.DoesNotContain("diff --git a/data.csv", snapshot.Diff);
    }

    [Fact]
    public void TextFileThatIsNotUtf8_IsLeftOutOfDiff_AndNamedInACommentLine()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "x = 1\n");
        repo.CommitAll();
        repo.WriteBytes("latin1.txt", [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n']); // "café" in Latin-1

        var snapshot = repo.Capture();

        Assert.StartsWith("# MLTrack: not included (not UTF-8 text): latin1.txt\n", snapshot.Diff);
        Assert.DoesNotContain("diff --git a/latin1.txt", snapshot.Diff);
    }

    [Fact]
    public void DiffWithSkippedFiles_StillAppliesWithGitApply()
    {
        using var repo = new TempRepository();
        repo.Write("train.py", "lr = 0.1\n");
        var commit = repo.CommitAll();
        repo.Write("train.py", "lr = 0.3\n");
        repo.WriteBytes("weights.bin", [1, 0, 2, 0, 3]);
        repo.Write("data.csv", new string('1', 1024 * 1024 + 10));

        var snapshot = repo.Capture();

        using var copy = new TempDirectory();
        string checkout = Path.Combine(copy.Path, "checkout");
        GitCli.CheckoutCopy(repo.Root, commit.Sha, checkout);
        var (exitCode, output) = GitCli.Apply(checkout, snapshot.Diff!);
        Assert.True(exitCode == 0, $"git apply failed: {output}\n{snapshot.Diff}");
        Assert.Equal("lr = 0.3\n", File.ReadAllText(Path.Combine(checkout, "train.py")));
    }

    /// <summary>Every file under <paramref name="root"/> except .git, as (relative path, content) in path order.</summary>
    private static List<(string Path, string Content)> WorkingTreeFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => p != ".git" && !p.StartsWith(".git/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (p, Convert.ToHexString(File.ReadAllBytes(Path.Combine(root, p)))))
            .ToList();
}
