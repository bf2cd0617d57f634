using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Tests.Artifacts;

/// <summary>
/// Temporary files of writes cut off by a crash are removed at server start — only those no live process holds open,
/// only files with the temporary prefix, never anything reached through a link.
/// </summary>
public sealed class AbandonedUploadTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-abandoned-" + Guid.NewGuid().ToString("N"));
    private string ArtifactRoot => Path.Combine(_root, "artifacts");

    public AbandonedUploadTests() => Directory.CreateDirectory(ArtifactRoot);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string Leftover(string runId, string folder = "")
    {
        var dir = Path.Combine(ArtifactRoot, runId, folder);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, ArtifactFolder.TempPrefix + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, new byte[4096]); // written and closed: its writer is gone
        return path;
    }

    [Fact]
    public void A_temporary_file_no_process_holds_is_removed_from_every_run_folder_at_any_depth()
    {
        var a = Leftover("run1");
        var b = Leftover("run2", Path.Combine("model", "weights"));

        var removed = ArtifactFolder.RemoveAbandonedUploads(ArtifactRoot);

        Assert.Equal(2, removed);
        Assert.False(File.Exists(a));
        Assert.False(File.Exists(b));
    }

    [Fact]
    public void A_temporary_file_a_live_writer_holds_is_kept_and_its_write_still_completes()
    {
        var folder = ArtifactFolder.ForRun(ArtifactRoot, "run1");
        using var pending = folder.Create("big.bin");
        pending.Stream.Write(new byte[100_000]);
        pending.Stream.Flush();

        var removed = ArtifactFolder.RemoveAbandonedUploads(ArtifactRoot);
        pending.Commit();

        Assert.Equal(0, removed);
        Assert.Equal(100_000, folder.ReadAllBytes("big.bin").Length);
    }

    [Fact]
    public void Files_without_the_temporary_prefix_are_never_touched()
    {
        var run = Path.Combine(ArtifactRoot, "run1");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "model.bin"), "m");
        File.WriteAllText(Path.Combine(run, "mltrack-upload-lookalike"), "m");

        ArtifactFolder.RemoveAbandonedUploads(ArtifactRoot);

        Assert.Equal(["mltrack-upload-lookalike", "model.bin"], Directory.GetFiles(run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Temporary_files_reached_through_a_link_are_left_alone()
    {
        var outside = Path.Combine(_root, "outside");
        Directory.CreateDirectory(outside);
        var theirs = Path.Combine(outside, ArtifactFolder.TempPrefix + "theirs");
        File.WriteAllText(theirs, "not ours");
        Directory.CreateDirectory(Path.Combine(ArtifactRoot, "run1"));
        Directory.CreateSymbolicLink(Path.Combine(ArtifactRoot, "run1", "link_out"), outside);
        Directory.CreateSymbolicLink(Path.Combine(ArtifactRoot, "run2"), outside);

        var removed = ArtifactFolder.RemoveAbandonedUploads(ArtifactRoot);

        Assert.Equal(0, removed);
        Assert.True(File.Exists(theirs));
    }

    [Fact]
    public void An_empty_temporary_file_created_an_instant_ago_is_kept_as_its_writer_may_not_hold_it_yet()
    {
        var dir = Path.Combine(ArtifactRoot, "run1");
        Directory.CreateDirectory(dir);
        var fresh = Path.Combine(dir, ArtifactFolder.TempPrefix + "fresh");
        File.WriteAllBytes(fresh, []);

        ArtifactFolder.RemoveAbandonedUploads(ArtifactRoot);

        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void A_missing_artifact_root_is_nothing_to_clean()
    {
        Assert.Equal(0, ArtifactFolder.RemoveAbandonedUploads(Path.Combine(_root, "none")));
    }
}
