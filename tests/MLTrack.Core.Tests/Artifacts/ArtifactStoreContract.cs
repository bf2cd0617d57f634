using System.Security.Cryptography;
using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Tests.Artifacts;

/// <summary>
/// What every <see cref="IArtifactStore"/> does, run on each implementation (local folder, S3): the bytes written are
/// the bytes read, writes are atomic, MLflow's list semantics, paths stay inside the run, deletion.
/// </summary>
public abstract class ArtifactStoreContract : IAsyncLifetime
{
    /// <summary>A temporary folder for the store (its root or its cache), deleted afterwards.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("mltrack-artifact-store-").FullName;

    protected IArtifactStore Store { get; private set; } = null!;

    /// <summary>Opens the store under test, its local folder in <see cref="Folder"/>.</summary>
    protected abstract Task<IArtifactStore> OpenAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public Task DisposeAsync()
    {
        Store?.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    protected static string NewRunId() => Guid.NewGuid().ToString("N");

    protected async Task<byte[]> ReadAllAsync(string runId, string path, ArtifactReadOptions? options = null)
    {
        await using var opened = await Store.OpenReadAsync(runId, path, options);
        using var copy = new MemoryStream();
        await opened.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected Task<ArtifactInfo> WriteAsync(string runId, string path, byte[] bytes) => Store.WriteAsync(runId, path, new MemoryStream(bytes));

    [Fact]
    public async Task Bytes_written_are_read_back_equal_with_their_size_and_sha256()
    {
        var run = NewRunId();
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var info = await WriteAsync(run, "model/weights.bin", bytes);

        Assert.Equal(new ArtifactInfo("model/weights.bin", bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))), info);
        Assert.Equal(bytes, await ReadAllAsync(run, "model/weights.bin"));
    }

    [Fact]
    public async Task An_empty_file_round_trips()
    {
        var run = NewRunId();

        var info = await WriteAsync(run, "empty.txt", []);

        Assert.Equal(0, info.Size);
        Assert.Empty(await ReadAllAsync(run, "empty.txt"));
    }

    [Fact]
    public async Task A_written_path_is_returned_in_its_normal_form()
    {
        var run = NewRunId();

        var info = await WriteAsync(run, "a//b\\c.txt", [1]);

        Assert.Equal("a/b/c.txt", info.Path);
        Assert.Equal([1], await ReadAllAsync(run, "a/b/c.txt"));
    }

    [Fact]
    public async Task Writing_a_path_again_replaces_the_whole_file()
    {
        var run = NewRunId();
        await WriteAsync(run, "notes.txt", RandomNumberGenerator.GetBytes(5000));

        await WriteAsync(run, "notes.txt", "short"u8.ToArray());

        Assert.Equal("short"u8.ToArray(), await ReadAllAsync(run, "notes.txt"));
    }

    [Fact]
    public async Task A_range_read_gives_the_bytes_from_the_offset_and_tells_what_follows()
    {
        var run = NewRunId();
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        await WriteAsync(run, "log.txt", bytes);

        await using var opened = await Store.OpenReadAsync(run, "log.txt", new ArtifactReadOptions { Offset = 1000, MaxBytes = 500 });
        using var copy = new MemoryStream();
        await opened.Content.CopyToAsync(copy);

        Assert.Equal(bytes[1000..1500], copy.ToArray());
        Assert.Equal((10_000L, 1000L, 500L, true), (opened.Size, opened.Offset, opened.Length, opened.Truncated));
    }

    [Fact]
    public async Task A_range_past_the_end_is_empty()
    {
        var run = NewRunId();
        await WriteAsync(run, "log.txt", new byte[10]);

        await using var opened = await Store.OpenReadAsync(run, "log.txt", new ArtifactReadOptions { Offset = 50 });

        Assert.Equal((10L, 10L, 0L, false), (opened.Size, opened.Offset, opened.Length, opened.Truncated));
    }

    [Fact]
    public async Task A_reader_never_sees_a_file_whose_first_write_is_in_progress()
    {
        var run = NewRunId();
        var first = RandomNumberGenerator.GetBytes(256 * 1024);
        var rest = RandomNumberGenerator.GetBytes(256 * 1024);
        var content = new PausedStream(first, rest);

        var writing = Store.WriteAsync(run, "model.bin", content);
        await content.FirstPartRead.WaitAsync(TimeSpan.FromSeconds(30));
        var during = await Record.ExceptionAsync(() => Store.OpenReadAsync(run, "model.bin"));
        var existsDuring = await Store.ExistsAsync(run, "model.bin");
        var listedDuring = await Store.ListAsync(run, "");
        content.Release();
        await writing;

        Assert.IsType<FileNotFoundException>(during);
        Assert.False(existsDuring);
        Assert.Empty(listedDuring);
        Assert.Equal(first.Concat(rest).ToArray(), await ReadAllAsync(run, "model.bin"));
    }

    [Fact]
    public async Task A_reader_sees_the_previous_complete_file_while_a_replacement_is_written()
    {
        var run = NewRunId();
        var previous = RandomNumberGenerator.GetBytes(100_000);
        await WriteAsync(run, "model.bin", previous);
        var content = new PausedStream(RandomNumberGenerator.GetBytes(256 * 1024), RandomNumberGenerator.GetBytes(1024));

        var writing = Store.WriteAsync(run, "model.bin", content);
        await content.FirstPartRead.WaitAsync(TimeSpan.FromSeconds(30));
        var during = await ReadAllAsync(run, "model.bin");
        content.Release();
        await writing;

        Assert.Equal(previous, during);
        Assert.Equal(256 * 1024 + 1024, (await ReadAllAsync(run, "model.bin")).Length);
    }

    [Fact]
    public async Task Concurrent_readers_see_one_whole_version_or_the_other_never_a_mix()
    {
        var run = NewRunId();
        byte[] Version(byte b, int size) => Enumerable.Repeat(b, size).ToArray();
        await WriteAsync(run, "x.bin", Version(1, 200_000));
        using var stop = new CancellationTokenSource();
        var seen = new List<(int Length, bool Uniform)>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var bytes = await ReadAllAsync(run, "x.bin");
                lock (seen) seen.Add((bytes.Length, bytes.All(b => b == bytes[0]) && (bytes[0] == 1 ? bytes.Length == 200_000 : bytes.Length == 300_000)));
            }
        });

        for (int i = 0; i < 6; i++) await WriteAsync(run, "x.bin", i % 2 == 0 ? Version(2, 300_000) : Version(1, 200_000));
        await stop.CancelAsync();
        await reader;

        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.True(s.Uniform, $"a read of {s.Length} bytes mixed two versions"));
    }

    [Fact]
    public async Task Listing_gives_the_direct_children_with_is_dir_and_file_size_ordered_by_path()
    {
        var run = NewRunId();
        await WriteAsync(run, "b.txt", new byte[3]);
        await WriteAsync(run, "a/x.txt", new byte[5]);
        await WriteAsync(run, "a/deeper/y.txt", new byte[7]);
        await WriteAsync(run, "c/z.txt", new byte[1]);

        var root = await Store.ListAsync(run, "");

        Assert.Equal([new ArtifactEntry("a", true, null), new ArtifactEntry("b.txt", false, 3), new ArtifactEntry("c", true, null)], root);
    }

    [Fact]
    public async Task Listing_a_nested_folder_gives_paths_from_the_run_root()
    {
        var run = NewRunId();
        await WriteAsync(run, "a/x.txt", new byte[5]);
        await WriteAsync(run, "a/deeper/y.txt", new byte[7]);

        var a = await Store.ListAsync(run, "a");
        var deeper = await Store.ListAsync(run, "a/deeper/");

        Assert.Equal([new ArtifactEntry("a/deeper", true, null), new ArtifactEntry("a/x.txt", false, 5)], a);
        Assert.Equal([new ArtifactEntry("a/deeper/y.txt", false, 7)], deeper);
        Assert.Equal("y.txt", deeper[0].Name);
    }

    [Fact]
    public async Task Listing_a_missing_folder_or_a_file_is_empty()
    {
        var run = NewRunId();
        await WriteAsync(run, "a.txt", [1]);

        Assert.Empty(await Store.ListAsync(run, "nothing"));
        Assert.Empty(await Store.ListAsync(run, "a.txt"));
        Assert.Empty(await Store.ListAsync(NewRunId(), ""));
    }

    [Fact]
    public async Task A_listing_does_not_mix_runs_or_sibling_prefixes()
    {
        var run = NewRunId();
        await WriteAsync(run, "ab/x.txt", [1]);
        await WriteAsync(run, "a/y.txt", [1]);
        await WriteAsync(NewRunId(), "a/other.txt", [1]);

        Assert.Equal([new ArtifactEntry("a/y.txt", false, 1)], await Store.ListAsync(run, "a"));
    }

    [Fact]
    public async Task Reading_a_missing_file_is_not_found_naming_run_and_path()
    {
        var run = NewRunId();

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(run, "missing.txt"));

        Assert.Contains(run, e.Message);
        Assert.Contains("'missing.txt'", e.Message);
    }

    [Fact]
    public async Task A_folder_is_not_a_file()
    {
        var run = NewRunId();
        await WriteAsync(run, "a/x.txt", [1]);

        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(run, "a"));
        Assert.False(await Store.ExistsAsync(run, "a"));
        Assert.True(await Store.ExistsAsync(run, "a/x.txt"));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\..\\x.txt")]
    [InlineData("a\0b")]
    [InlineData("")]
    [InlineData(".mltrack-upload-x")]
    public async Task A_path_leaving_the_run_or_reserved_is_refused_everywhere_and_writes_nothing(string path)
    {
        var run = NewRunId();

        await Assert.ThrowsAsync<ArtifactPathException>(() => WriteAsync(run, path, [1]));
        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.OpenReadAsync(run, path));
        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.ExistsAsync(run, path));
        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.MaterializeAsync(run, path));
        if (path.Length > 0) await Assert.ThrowsAsync<ArtifactPathException>(() => Store.ListAsync(run, path));

        Assert.Empty(await Store.ListAsync(run, ""));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Folder)!, "escape.txt"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task A_run_id_that_is_not_one_plain_name_is_refused(string runId)
    {
        await Assert.ThrowsAsync<ArtifactPathException>(() => WriteAsync(runId, "x.txt", [1]));
        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.ListAsync(runId, ""));
    }

    [Fact]
    public async Task Deleting_a_run_removes_all_its_artifacts_and_no_other_runs()
    {
        var run = NewRunId();
        var other = NewRunId();
        await WriteAsync(run, "a.txt", [1]);
        await WriteAsync(run, "sub/b.txt", [2]);
        await WriteAsync(other, "a.txt", [3]);

        await Store.DeleteRunAsync(run);

        Assert.Empty(await Store.ListAsync(run, ""));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(run, "a.txt"));
        Assert.Equal([3], await ReadAllAsync(other, "a.txt"));
    }

    [Fact]
    public async Task Deleting_a_run_without_artifacts_is_no_error()
    {
        await Store.DeleteRunAsync(NewRunId());
    }

    [Fact]
    public async Task A_materialized_file_is_a_local_file_with_the_bytes_and_the_file_name()
    {
        var run = NewRunId();
        var bytes = RandomNumberGenerator.GetBytes(20_000);
        await WriteAsync(run, "model/model.keras", bytes);

        var local = await Store.MaterializeAsync(run, "model/model.keras");

        Assert.Equal("model.keras", Path.GetFileName(local));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local));
    }

    [Fact]
    public async Task A_materialized_folder_holds_every_file_below_it()
    {
        var run = NewRunId();
        await WriteAsync(run, "saved/saved_model.pb", [1, 2]);
        await WriteAsync(run, "saved/variables/v.data", [3]);
        await WriteAsync(run, "elsewhere.txt", [4]);

        var local = await Store.MaterializeAsync(run, "saved");

        Assert.Equal([1, 2], await File.ReadAllBytesAsync(Path.Combine(local, "saved_model.pb")));
        Assert.Equal([3], await File.ReadAllBytesAsync(Path.Combine(local, "variables", "v.data")));
        Assert.Equal(2, Directory.GetFiles(local, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Materializing_what_the_run_does_not_have_is_not_found()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.MaterializeAsync(NewRunId(), "model"));
    }

    [Fact]
    public async Task A_file_written_in_place_is_readable_and_listed_while_it_grows_and_stored_when_complete()
    {
        var run = NewRunId();
        var local = Store.LocalFolder(run).PrepareFile("logs/output.log");
        await File.WriteAllTextAsync(local, "epoch 1\n");

        var live = await ReadAllAsync(run, "logs/output.log");
        var listed = await Store.ListAsync(run, "logs");
        await File.AppendAllTextAsync(local, "epoch 2\n");
        var info = await Store.StoreLocalFileAsync(run, "logs/output.log");

        Assert.Equal("epoch 1\n"u8.ToArray(), live);
        Assert.Equal([new ArtifactEntry("logs/output.log", false, 8)], listed);
        Assert.Equal(new ArtifactInfo("logs/output.log", 16, Convert.ToHexStringLower(SHA256.HashData("epoch 1\nepoch 2\n"u8))), info);
        Assert.Equal("epoch 1\nepoch 2\n"u8.ToArray(), await ReadAllAsync(run, "logs/output.log"));
    }

    [Fact]
    public async Task Storing_a_local_file_that_is_not_there_is_not_found()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.StoreLocalFileAsync(NewRunId(), "logs/output.log"));
    }

    [Fact]
    public void A_runs_uri_is_the_store_location_then_the_run_id()
    {
        var run = NewRunId();

        Assert.Equal(Store.Location + "/" + run, Store.RunUri(run));
    }

    [Fact]
    public async Task The_store_can_be_reached()
    {
        await Store.CheckAsync();
    }
}
