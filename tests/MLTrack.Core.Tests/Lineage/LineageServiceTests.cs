using MLTrack.Core.Lineage;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Lineage;

public sealed class LineageServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-lineage-").FullName;
    private readonly SqliteTrackingStore _store;
    private readonly string _prepare, _train, _evaluate, _unrelated;

    public LineageServiceTests()
    {
        _store = SqliteTrackingStore.Open(Path.Combine(_dir, "s.db"));
        _prepare = Run("prepare", [], [("data.csv", "aaa")]);
        _train = Run("train", [("data.csv", "aaa")], [("model.pkl", "bbb")]);
        _evaluate = Run("evaluate", [("/elsewhere/model-copy.pkl", "bbb")], [("report.json", "ccc")]);
        _unrelated = Run("other", [("other.csv", "zzz")], []);
    }

    private string Run(string name, (string Path, string Sha)[] inputs, (string Path, string Sha)[] outputs)
    {
        var run = _store.CreateRun(new NewRun { Name = name });
        _store.RecordRunFiles(run.RunId, [
            .. inputs.Select(f => new RunFile(FileDirection.Input, f.Path, 1, f.Sha)),
            .. outputs.Select(f => new RunFile(FileDirection.Output, f.Path, 1, f.Sha))]);
        return run.RunId;
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static List<string?> RunIds(LineageGraph g) => g.Nodes.Where(n => n.Kind == LineageNodeKind.Run).Select(n => n.RunId).ToList();

    [Fact]
    public void Upstream_of_a_run_is_the_run_that_wrote_its_input()
    {
        var g = new LineageService(_store).ForRun(_train, LineageDirection.Up);
        Assert.Equal([_train, _prepare], RunIds(g));
        Assert.Contains(new LineageEdge(LineageService.RunNode(_prepare), LineageService.FileNode("aaa"), LineageEdgeKind.Writes, "data.csv"), g.Edges);
        Assert.Contains(new LineageEdge(LineageService.FileNode("aaa"), LineageService.RunNode(_train), LineageEdgeKind.Reads, "data.csv"), g.Edges);
    }

    [Fact]
    public void Downstream_follows_content_even_when_the_file_was_copied_elsewhere()
    {
        var g = new LineageService(_store).ForRun(_train, LineageDirection.Down);
        Assert.Equal([_train, _evaluate], RunIds(g));
    }

    [Fact]
    public void Impact_of_a_file_reaches_every_run_downstream()
    {
        var g = new LineageService(_store).Impact("aaa", "/data/data.csv");
        Assert.Equal([_train, _evaluate], RunIds(g));
        Assert.DoesNotContain(_unrelated, RunIds(g));
        Assert.DoesNotContain(_prepare, RunIds(g));
    }

    [Fact]
    public void Depth_limits_how_far_the_walk_goes()
    {
        var g = new LineageService(_store).ForRun(_prepare, LineageDirection.Down, depth: 2);
        Assert.Equal([_prepare, _train], RunIds(g));
    }

    [Fact]
    public void Nested_runs_link_parent_and_child()
    {
        var parent = _store.CreateRun(new NewRun { Name = "sweep" });
        var child = _store.CreateRun(new NewRun { Name = "trial", ParentRunId = parent.RunId });
        var down = new LineageService(_store).ForRun(parent.RunId, LineageDirection.Down);
        Assert.Contains(new LineageEdge(LineageService.RunNode(parent.RunId), LineageService.RunNode(child.RunId), LineageEdgeKind.Parent, null), down.Edges);
        var up = new LineageService(_store).ForRun(child.RunId, LineageDirection.Up);
        Assert.Contains(parent.RunId, RunIds(up));
    }
}
