using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Tests.Artifacts;

/// <summary>
/// The one gate to per-id folders: real files and real symbolic links in a temp dir. The rule under test: no symbolic
/// link at or below the folder is ever followed — for reads, lists, writes and deletes — whether it points outside or
/// back inside.
/// </summary>
public sealed class ArtifactFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-folder-" + Guid.NewGuid().ToString("N"));
    private readonly string _outside;
    private readonly ArtifactFolder _folder;

    public ArtifactFolderTests()
    {
        _outside = Path.Combine(_root, "outside");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        Directory.CreateDirectory(Path.Combine(_root, "artifacts", "run1"));
        _folder = ArtifactFolder.ForRun(Path.Combine(_root, "artifacts"), "run1");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string InFolder(string relative) => Path.Combine(_folder.FullPath, relative);

    private string[] OutsideFiles() => Directory.GetFileSystemEntries(_outside, "*", SearchOption.AllDirectories).Order().ToArray();

    [Fact]
    public void A_path_through_a_folder_link_to_outside_is_refused_on_read_naming_the_path()
    {
        Directory.CreateSymbolicLink(InFolder("link_out"), _outside);

        var e = Assert.Throws<ArtifactPathException>(() => _folder.OpenRead("link_out/secret.txt"));

        Assert.Contains("'link_out/secret.txt'", e.Message);
        Assert.Contains("leaves the run's artifact folder through a symbolic link", e.Message);
        Assert.DoesNotContain(_outside, e.Message);
    }

    [Fact]
    public void A_file_link_to_outside_is_refused_on_read()
    {
        File.CreateSymbolicLink(InFolder("passwd"), "/etc/passwd");

        Assert.Throws<ArtifactPathException>(() => _folder.ReadAllText("passwd"));
        Assert.False(_folder.IsFile("passwd"));
    }

    [Fact]
    public void A_link_to_a_file_inside_the_folder_is_refused_too_and_said_to_stay_inside()
    {
        File.WriteAllText(InFolder("real.txt"), "inside");
        File.CreateSymbolicLink(InFolder("alias.txt"), InFolder("real.txt"));

        var e = Assert.Throws<ArtifactPathException>(() => _folder.ReadAllText("alias.txt"));

        Assert.Contains("goes through a symbolic link", e.Message);
        Assert.Contains("never followed, even to files inside it", e.Message);
        Assert.Equal("inside", _folder.ReadAllText("real.txt"));
    }

    [Fact]
    public void A_dangling_link_is_refused_not_reported_missing()
    {
        File.CreateSymbolicLink(InFolder("gone.txt"), Path.Combine(_outside, "nothing-here"));

        Assert.Throws<ArtifactPathException>(() => _folder.OpenRead("gone.txt"));
    }

    [Fact]
    public void A_folder_that_is_itself_a_link_is_refused()
    {
        var folder = new ArtifactFolder(Path.Combine(_root, "artifacts"), "run2", "the run's artifact folder");
        Directory.CreateSymbolicLink(folder.FullPath, _outside);

        var e = Assert.Throws<ArtifactPathException>(() => folder.OpenRead("secret.txt"));

        Assert.Contains("the run's artifact folder itself is one", e.Message);
        Assert.Throws<ArtifactPathException>(() => folder.List(""));
        Assert.Throws<ArtifactPathException>(() => folder.WriteAllText("x.txt", "x"));
        Assert.Equal([Path.Combine(_outside, "secret.txt")], OutsideFiles());
    }

    [Fact]
    public void A_parent_that_is_a_link_is_configuration_and_is_followed()
    {
        var realArtifacts = Path.Combine(_root, "bigdisk");
        Directory.CreateDirectory(realArtifacts);
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked-artifacts"), realArtifacts);
        var folder = ArtifactFolder.ForRun(Path.Combine(_root, "linked-artifacts"), "run3");

        folder.WriteAllText("a/b.txt", "hello");

        Assert.Equal("hello", folder.ReadAllText("a/b.txt"));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(realArtifacts, "run3", "a", "b.txt")));
        Assert.Equal(Path.Combine(realArtifacts, "run3"), folder.FullPath);
    }

    [Fact]
    public void A_listing_leaves_out_every_link_and_every_file_being_written()
    {
        File.WriteAllText(InFolder("a.txt"), "a");
        Directory.CreateDirectory(InFolder("sub"));
        Directory.CreateSymbolicLink(InFolder("link_out"), _outside);
        File.CreateSymbolicLink(InFolder("alias.txt"), InFolder("a.txt"));
        File.WriteAllText(InFolder(ArtifactFolder.TempPrefix + "0123"), "partial");

        var names = _folder.List("").Select(e => e.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["a.txt", "sub"], names);
    }

    [Fact]
    public void Listing_a_folder_link_is_refused()
    {
        Directory.CreateSymbolicLink(InFolder("link_out"), _outside);

        Assert.Throws<ArtifactPathException>(() => _folder.List("link_out"));
    }

    [Fact]
    public void Files_does_not_descend_into_links_and_can_refuse_a_tree_holding_one()
    {
        File.WriteAllText(InFolder("m.bin"), "m");
        Directory.CreateDirectory(InFolder("model"));
        File.WriteAllText(InFolder("model/w.bin"), "w");
        Directory.CreateSymbolicLink(InFolder("model/link_out"), _outside);

        Assert.Equal(["m.bin", "model/w.bin"], _folder.Files(""));
        Assert.Equal(["model/w.bin"], _folder.Files("model"));
        var e = Assert.Throws<ArtifactPathException>(() => _folder.Files("model", refuseLinks: true));
        Assert.Contains("model/link_out", e.Message);
    }

    [Fact]
    public void Writing_through_a_folder_link_is_refused_and_creates_nothing_outside()
    {
        Directory.CreateSymbolicLink(InFolder("link_out"), _outside);
        var before = OutsideFiles();

        Assert.Throws<ArtifactPathException>(() => _folder.WriteAllText("link_out/x.txt", "evil"));
        Assert.Throws<ArtifactPathException>(() => _folder.WriteAllText("link_out/new/x.txt", "evil"));
        Assert.Throws<ArtifactPathException>(() => _folder.PrepareFile("link_out/x.txt"));

        Assert.Equal(before, OutsideFiles());
    }

    [Fact]
    public void Writing_onto_an_existing_file_link_is_refused_and_its_target_keeps_its_content()
    {
        var target = Path.Combine(_outside, "secret.txt");
        File.CreateSymbolicLink(InFolder("out.txt"), target);

        Assert.Throws<ArtifactPathException>(() => _folder.WriteAllText("out.txt", "overwritten"));

        Assert.Equal("secret", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(InFolder("out.txt")).LinkTarget);
    }

    [Fact]
    public void A_file_being_written_is_invisible_until_committed_and_then_replaces_the_old_one_whole()
    {
        _folder.WriteAllText("model.bin", "old");

        using (var pending = _folder.Create("model.bin"))
        {
            pending.Stream.Write("new-"u8);
            Assert.Equal("old", _folder.ReadAllText("model.bin"));
            Assert.Equal(["model.bin"], _folder.List("").Select(e => e.Name));
            pending.Stream.Write("content"u8);
            pending.Commit();
        }

        Assert.Equal("new-content", _folder.ReadAllText("model.bin"));
        Assert.Equal(["model.bin"], Directory.GetFiles(_folder.FullPath).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_abandoned_before_its_commit_leaves_nothing_behind()
    {
        using (var pending = _folder.Create("sub/model.bin"))
            pending.Stream.Write("partial"u8);

        Assert.False(_folder.IsFile("sub/model.bin"));
        Assert.Empty(Directory.GetFiles(_folder.FullPath, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a/./b")]
    [InlineData("")]
    [InlineData("a\0b")]
    [InlineData(".mltrack-upload-0123")]
    [InlineData("sub/.mltrack-upload-0123")]
    public void Paths_that_are_not_plain_relative_names_are_refused(string path)
    {
        Assert.Throws<ArtifactPathException>(() => _folder.Resolve(path));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void A_folder_id_must_be_one_plain_name(string id)
    {
        Assert.Throws<ArtifactPathException>(() => new ArtifactFolder(_root, id, "the deployment's folder"));
    }
}
