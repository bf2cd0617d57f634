using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Lineage;

/// <summary>
/// Walks lineage from the store: a run that read a file with the same content another run wrote descends from it;
/// nested runs descend from their parent. Breadth-first to a depth, so a graph of a busy store stays bounded.
/// </summary>
public sealed class LineageService(ITrackingStore store)
{
    public const int DefaultDepth = 10;

    public LineageGraph ForRun(string runId, LineageDirection direction = LineageDirection.Both, int depth = DefaultDepth)
    {
        var walk = new Walk(store);
        var run = store.GetRun(runId);
        walk.AddRun(run, 0);
        if (direction != LineageDirection.Down) walk.Expand(RunNode(run.RunId), up: true, depth);
        if (direction != LineageDirection.Up) walk.Expand(RunNode(run.RunId), up: false, depth);
        return walk.Result();
    }

    /// <summary>Everything downstream of a file's content: the runs that read it, what they wrote, and so on.</summary>
    public LineageGraph Impact(string sha256, string label, int depth = DefaultDepth)
    {
        var walk = new Walk(store);
        walk.AddFile(sha256, label, 0);
        walk.Expand(FileNode(sha256), up: false, depth);
        return walk.Result();
    }

    public static string RunNode(string runId) => "run:" + runId;
    public static string FileNode(string sha256) => "file:" + sha256;

    private sealed class Walk(ITrackingStore store)
    {
        private readonly Dictionary<string, LineageNode> _nodes = [];
        private readonly HashSet<LineageEdge> _edges = [];
        private readonly Dictionary<string, Run> _runs = [];

        public void AddRun(Run run, int depth)
        {
            _runs[run.RunId] = run;
            _nodes.TryAdd(RunNode(run.RunId), new LineageNode(RunNode(run.RunId), LineageNodeKind.Run, run.Name ?? run.RunId[..8], run.RunId, run.Status.ToString(), null, depth));
        }

        public void AddFile(string sha, string path, int depth) =>
            _nodes.TryAdd(FileNode(sha), new LineageNode(FileNode(sha), LineageNodeKind.File, Path.GetFileName(path), null, null, sha, depth));

        public void Expand(string start, bool up, int maxDepth)
        {
            var queue = new Queue<(string Node, int Depth)>([(start, 0)]);
            var seen = new HashSet<string> { start };
            while (queue.Count > 0)
            {
                var (node, d) = queue.Dequeue();
                if (d >= maxDepth) continue;
                foreach (var next in Neighbours(node, up, d + 1))
                    if (seen.Add(next)) queue.Enqueue((next, d + 1));
            }
        }

        private IEnumerable<string> Neighbours(string node, bool up, int depth)
        {
            var found = new List<string>();
            if (node.StartsWith("run:", StringComparison.Ordinal))
            {
                var run = GetRun(node[4..]);
                if (run is null) return found;
                foreach (var f in store.ListRunFiles(run.RunId).Where(f => f.Direction == (up ? FileDirection.Input : FileDirection.Output)))
                {
                    AddFile(f.Sha256, f.Path, depth);
                    _edges.Add(up ? new LineageEdge(FileNode(f.Sha256), node, LineageEdgeKind.Reads, f.Path)
                                  : new LineageEdge(node, FileNode(f.Sha256), LineageEdgeKind.Writes, f.Path));
                    found.Add(FileNode(f.Sha256));
                }
                if (up && run.ParentRunId is { } parentId && GetRun(parentId) is { } parent)
                {
                    AddRun(parent, depth);
                    _edges.Add(new LineageEdge(RunNode(parentId), node, LineageEdgeKind.Parent, null));
                    found.Add(RunNode(parentId));
                }
                if (!up)
                {
                    var children = store.SearchRuns(new RunQuery { Filter = $"attributes.parent_run_id = '{run.RunId}'", MaxResults = 1000, IncludeDetails = false }).Runs;
                    foreach (var child in children)
                    {
                        AddRun(child, depth);
                        _edges.Add(new LineageEdge(node, RunNode(child.RunId), LineageEdgeKind.Parent, null));
                        found.Add(RunNode(child.RunId));
                    }
                }
            }
            else
            {
                var sha = node[5..];
                foreach (var (runId, f) in store.FindRunsByFile(sha).Where(x => x.File.Direction == (up ? FileDirection.Output : FileDirection.Input)))
                {
                    if (GetRun(runId) is not { } run) continue;
                    AddRun(run, depth);
                    _edges.Add(up ? new LineageEdge(RunNode(runId), node, LineageEdgeKind.Writes, f.Path)
                                  : new LineageEdge(node, RunNode(runId), LineageEdgeKind.Reads, f.Path));
                    found.Add(RunNode(runId));
                }
            }
            return found;
        }

        private Run? GetRun(string runId)
        {
            if (_runs.TryGetValue(runId, out var r)) return r;
            try
            {
                return _runs[runId] = store.GetRun(runId);
            }
            catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
            {
                return null;
            }
        }

        public LineageGraph Result() => new(
            _nodes.Values.OrderBy(n => n.Depth).ThenBy(n => n.Id, StringComparer.Ordinal).ToList(),
            _edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ToList());
    }
}
