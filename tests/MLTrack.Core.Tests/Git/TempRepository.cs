using LibGit2Sharp;
using MLTrack.Core.Git;

namespace MLTrack.Core.Tests.Git;

/// <summary>A temporary folder, outside any repository, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } =
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mltrack-git-tests-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        if (!Directory.Exists(Path))
            return;
        // git makes object files read-only; clear that so the delete also works on Windows.
        foreach (var file in new DirectoryInfo(Path).EnumerateFiles("*", SearchOption.AllDirectories))
            file.Attributes = FileAttributes.Normal;
        Directory.Delete(Path, recursive: true);
    }
}

/// <summary>A real git repository in a temporary folder, built with LibGit2Sharp.</summary>
internal sealed class TempRepository : IDisposable
{
    private static readonly Signature Author = new("MLTrack Test", "test@example.com", DateTimeOffset.UnixEpoch);

    private readonly TempDirectory _dir = new();

    public TempRepository()
    {
        Repository.Init(_dir.Path);
        Repo = new Repository(_dir.Path);
    }

    public string Root => _dir.Path;
    public Repository Repo { get; }

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

    public void Write(string relativePath, string content) => WriteBytes(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public void WriteBytes(string relativePath, byte[] content)
    {
        string full = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    public void Delete(string relativePath) => File.Delete(FullPath(relativePath));

    public void Stage(params string[] relativePaths) => Commands.Stage(Repo, relativePaths);

    public Commit CommitAll(string message = "commit")
    {
        Commands.Stage(Repo, "*");
        return Repo.Commit(message, Author, Author);
    }

    public GitSnapshot Capture() => GitCapture.Capture(Root);

    public void Dispose()
    {
        Repo.Dispose();
        _dir.Dispose();
    }
}
