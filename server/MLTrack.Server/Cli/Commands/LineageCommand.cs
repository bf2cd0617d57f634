using System.CommandLine;
using System.Security.Cryptography;
using MLTrack.Core.Lineage;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack lineage RUN</c> and <c>mltrack impact FILE</c>: which runs and files feed a run, and what a file feeds.</summary>
public static class LineageCommand
{
    public static Command Create(CliOutput output)
    {
        var id = new Argument<string>("run") { Description = "Run id or unique prefix." };
        var up = new Option<bool>("--up") { Description = "Only upstream: the runs and files this run came from." };
        var down = new Option<bool>("--down") { Description = "Only downstream: what was made from this run's outputs." };
        var depth = new Option<int>("--depth") { Description = "How many hops to follow.", DefaultValueFactory = _ => LineageService.DefaultDepth };
        var cmd = new Command("lineage", "Show where a run's inputs came from and what used its outputs.");
        cmd.Arguments.Add(id);
        cmd.Options.Add(up);
        cmd.Options.Add(down);
        cmd.Options.Add(depth);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var runId = store.ResolveRunId(parse.GetValue(id)!);
            var direction = (parse.GetValue(up), parse.GetValue(down)) switch
            {
                (true, false) => LineageDirection.Up,
                (false, true) => LineageDirection.Down,
                _ => LineageDirection.Both,
            };
            var graph = root.Lineage().ForRun(runId, direction, parse.GetValue(depth));
            Print(output, graph, parse.GetValue(GlobalOptions.Json), LineageService.RunNode(runId));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static Command CreateImpact(CliOutput output)
    {
        var file = new Argument<string>("file") { Description = "A data or model file; its content (sha256) is looked up, so renamed copies count." };
        var cmd = new Command("impact", "List every run downstream of a file: the runs that read it, what they wrote, and so on.");
        cmd.Arguments.Add(file);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(path)) throw new UsageException($"File '{path}' does not exist.");
            string sha;
            using (var s = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(s));
            var graph = root.Lineage().Impact(sha, path);
            Print(output, graph, parse.GetValue(GlobalOptions.Json), LineageService.FileNode(sha));
            if (!parse.GetValue(GlobalOptions.Json) && graph.Edges.Count == 0)
                output.Error.WriteLine("No recorded run read this file's content.");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private static void Print(CliOutput output, LineageGraph graph, bool json, string root)
    {
        if (json)
        {
            JsonOutput.Write(output.Out, graph);
            return;
        }
        var nodes = graph.Nodes.ToDictionary(n => n.Id);
        string Name(string nodeId) => nodes[nodeId] switch
        {
            { Kind: LineageNodeKind.Run } n => $"run {n.Label} ({n.RunId![..8]}, {n.Status})",
            var n => $"file {n.Label} ({n.Sha256![..12]})",
        };
        output.Out.WriteLine(Name(root));
        foreach (var e in graph.Edges)
        {
            var verb = e.Kind switch
            {
                LineageEdgeKind.Reads => "is read by",
                LineageEdgeKind.Writes => "wrote",
                _ => "is the parent of",
            };
            output.Out.WriteLine($"  {Name(e.From)} {verb} {Name(e.To)}{(e.Label is { } l && e.Kind != LineageEdgeKind.Parent ? $"  [{l}]" : "")}");
        }
    }
}
