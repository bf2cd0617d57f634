using System.Diagnostics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>artifacts/read and runs/codeDiff: what the run page and the compare view show of files and code.</summary>
public sealed class RpcArtifactAndCodeDiffTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public async Task InitializeAsync() => await _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string RunWithArtifact(string path, byte[] content, GitInfo? git = null, string? cwd = null)
    {
        var run = _h.Store.CreateRun(new NewRun { Name = "r", Git = git ?? GitInfo.None, Cwd = cwd });
        var artifacts = new RunArtifacts(_h.Store, run.RunId);
        File.WriteAllBytes(artifacts.PrepareFile(path), content);
        artifacts.Record(path);
        return run.RunId;
    }

    [Fact]
    public async Task Reading_a_text_artifact_returns_its_text()
    {
        var id = RunWithArtifact("logs/output.log", "epoch 1 loss=0.5\nünïcode\n"u8.ToArray());
        var c = await _h.Call<ArtifactContent>(RpcMethods.ArtifactsRead, new { runId = id[..8], path = "logs/output.log" });
        Assert.Equal(("utf8", "epoch 1 loss=0.5\nünïcode\n", false), (c.Encoding, c.Data, c.Truncated));
    }

    [Fact]
    public async Task Reading_pages_through_a_large_artifact_with_offset_and_max_bytes()
    {
        var id = RunWithArtifact("big.txt", System.Text.Encoding.ASCII.GetBytes(new string('a', 100) + new string('b', 100)));
        var c = await _h.Call<ArtifactContent>(RpcMethods.ArtifactsRead, new { runId = id, path = "big.txt", offset = 90, maxBytes = 20 });
        Assert.Equal((200L, 90L, new string('a', 10) + new string('b', 10), true), (c.Size, c.Offset, c.Data, c.Truncated));
    }

    [Fact]
    public async Task A_binary_artifact_comes_back_as_base64()
    {
        var bytes = new byte[] { 0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff };
        var id = RunWithArtifact("plot.png", bytes);
        var c = await _h.Call<ArtifactContent>(RpcMethods.ArtifactsRead, new { runId = id, path = "plot.png" });
        Assert.Equal("base64", c.Encoding);
        Assert.Equal(bytes, Convert.FromBase64String(c.Data));
    }

    [Fact]
    public async Task A_path_that_climbs_out_of_the_run_is_refused()
    {
        var id = RunWithArtifact("a.txt", "x"u8.ToArray());
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ArtifactsRead, new { runId = id, path = "../../mltrack.db" });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("..", message);
    }

    [Fact]
    public async Task A_missing_artifact_is_resource_does_not_exist()
    {
        var id = RunWithArtifact("a.txt", "x"u8.ToArray());
        var (code, _, message) = await _h.ErrorOf(RpcMethods.ArtifactsRead, new { runId = id, path = "nope.txt" });
        Assert.Equal(RpcErrorCodes.ResourceDoesNotExist, code);
        Assert.Contains("nope.txt", message);
    }

    [Fact]
    public async Task Code_diff_between_two_commits_of_a_real_repository_and_each_runs_uncommitted_changes()
    {
        var repo = Path.Combine(_h.Dir, "repo");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "train.py"), "lr = 0.1\n");
        Git(repo, "add", ".");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
        var first = Git(repo, "rev-parse", "HEAD");
        File.WriteAllText(Path.Combine(repo, "train.py"), "lr = 0.01\n");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "two");
        var second = Git(repo, "rev-parse", "HEAD");
        var a = RunWithArtifact("code.diff", "+uncommitted in A\n"u8.ToArray(), new GitInfo(first, "main", null, true), repo);
        var b = _h.Store.CreateRun(new NewRun { Git = new GitInfo(second, "main", null, false), Cwd = repo }).RunId;

        var d = await _h.Call<CodeDiffResult>(RpcMethods.RunsCodeDiff, new { runA = a, runB = b });

        Assert.Null(d.Reason);
        Assert.Contains("-lr = 0.1", d.Diff);
        Assert.Contains("+lr = 0.01", d.Diff);
        Assert.Equal("+uncommitted in A\n", d.UncommittedA);
        Assert.Null(d.UncommittedB);
    }

    [Fact]
    public async Task Reading_through_a_symbolic_link_out_of_the_run_folder_is_invalid_params()
    {
        var id = RunWithArtifact("a.txt", "x"u8.ToArray());
        Directory.CreateSymbolicLink(Path.Combine(new RunArtifacts(_h.Store, id).Folder.FullPath, "link_out"), "/etc");

        var (code, _, message) = await _h.ErrorOf(RpcMethods.ArtifactsRead, new { runId = id, path = "link_out/passwd" });

        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("'link_out/passwd' leaves the run's artifact folder through a symbolic link", message);
    }

    [Fact]
    public async Task A_code_diff_artifact_replaced_by_a_link_shows_no_uncommitted_changes_rather_than_the_linked_file()
    {
        var a = RunWithArtifact("code.diff", "+uncommitted in A\n"u8.ToArray());
        var b = _h.Store.CreateRun(new NewRun()).RunId;
        var diff = Path.Combine(new RunArtifacts(_h.Store, a).Folder.FullPath, "code.diff");
        File.Delete(diff);
        File.CreateSymbolicLink(diff, "/etc/passwd");

        var d = await _h.Call<CodeDiffResult>(RpcMethods.RunsCodeDiff, new { runA = a, runB = b });

        Assert.Null(d.UncommittedA);
    }

    [Fact]
    public async Task Code_diff_without_git_data_says_why()
    {
        var a = _h.Store.CreateRun(new NewRun()).RunId;
        var b = _h.Store.CreateRun(new NewRun()).RunId;
        var d = await _h.Call<CodeDiffResult>(RpcMethods.RunsCodeDiff, new { runA = a, runB = b });
        Assert.Null(d.Diff);
        Assert.Contains("no git commit", d.Reason);
    }

    private static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
