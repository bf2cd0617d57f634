using System.CommandLine;
using MLTrack.Core.Runs;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack show RUN</c>: everything recorded about one run.</summary>
public static class ShowCommand
{
    public static Command Create(CliOutput output)
    {
        var id = new Argument<string>("run") { Description = "Run id, or a unique prefix of at least 6 characters." };
        var cmd = new Command("show", "Show a run: attributes, git, params, tags, metrics (latest/min/max) and artifacts.");
        cmd.Arguments.Add(id);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var run = store.GetRun(store.ResolveRunId(parse.GetValue(id)!));
            var experiment = store.GetExperiment(run.ExperimentId).Name;
            var artifacts = store.ListArtifacts(run.RunId);
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, RunJson.From(run, experiment, artifacts));
                return ExitCodes.Ok;
            }
            var w = output.Out;
            w.WriteLine($"Run {run.RunId}  {run.Name}");
            Field(w, "experiment", experiment);
            Field(w, "status", run.Status + (run.ExitCode is { } x ? $" (exit code {x})" : ""));
            Field(w, "started", Format.Time(run.StartTime));
            Field(w, "duration", Format.Duration(run.DurationMs));
            Field(w, "command", run.Command);
            Field(w, "cwd", run.Cwd);
            Field(w, "source", run.SourceFile);
            Field(w, "user", run.User);
            Field(w, "host", run.Host);
            if (run.Git.Commit is not null || run.Git.Branch is not null)
                Field(w, "git", $"{run.Git.Commit?[..Math.Min(12, run.Git.Commit.Length)] ?? "(no commit)"} on {run.Git.Branch ?? "(detached)"}{(run.Git.Dirty == true ? ", uncommitted changes in code.diff" : "")}{(run.Git.Remote is { } rem ? $" — {rem}" : "")}");
            Field(w, "parent", run.ParentRunId);
            Section(w, "Params", run.Params);
            Section(w, "Tags", run.Tags);
            if (run.Metrics.Count > 0)
            {
                w.WriteLine();
                var table = new TableWriter(["METRIC", "LATEST", "STEP", "MIN", "MAX", "POINTS"], 6);
                foreach (var m in run.Metrics)
                    table.AddRow(m.Key, Format.Number(m.Latest), m.LatestStep.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Format.Number(m.Min), Format.Number(m.Max), m.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                table.Write(w, output.Width);
            }
            if (artifacts.Count > 0)
            {
                w.WriteLine();
                w.WriteLine("Artifacts:");
                foreach (var a in artifacts) w.WriteLine($"  {a.Path}  ({a.Size:N0} bytes, sha256 {a.Sha256[..12]})");
            }
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private static void Field(TextWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) w.WriteLine($"  {name,-11}{value}");
    }

    private static void Section(TextWriter w, string title, IReadOnlyDictionary<string, string> items)
    {
        if (items.Count == 0) return;
        w.WriteLine();
        w.WriteLine($"{title}:");
        int width = items.Keys.Max(k => k.Length);
        foreach (var (k, v) in items.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteLine($"  {k.PadRight(width)}  {v}");
    }
}
