using System.CommandLine;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack compare RUN RUN...</c>: the params that differ and the final metrics side by side, best marked.</summary>
public static class CompareCommand
{
    public static Command Create(CliOutput output)
    {
        var ids = new Argument<string[]>("runs") { Description = "Two or more run ids or unique prefixes.", Arity = new ArgumentArity(2, 100) };
        var all = new Option<bool>("--all-params") { Description = "Also list params that are the same in every run." };
        var cmd = new Command("compare", "Compare runs: differing params and final metrics side by side (* marks the best).");
        cmd.Arguments.Add(ids);
        cmd.Options.Add(all);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var runs = parse.GetValue(ids)!.Select(i => store.GetRun(store.ResolveRunId(i))).DistinctBy(r => r.RunId).ToList();
            if (runs.Count < 2) throw new UsageException("compare needs at least two different runs.");
            var comparison = Comparison.Of(runs, parse.GetValue(all));
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, comparison);
                return ExitCodes.Ok;
            }
            var headers = new List<string> { "" };
            headers.AddRange(runs.Select(r => $"{Format.ShortId(r.RunId)} {r.Name}".Trim()));
            var table = new TableWriter(headers, headers.Count);
            table.AddRow([.. new[] { "status" }.Concat(runs.Select(r => r.Status.ToString()))]);
            foreach (var p in comparison.Params)
                table.AddRow([.. new[] { $"params.{p.Key}" + (p.Differs ? "" : " (same)") }.Concat(runs.Select(r => p.Values.GetValueOrDefault(r.RunId) ?? "-"))]);
            foreach (var m in comparison.Metrics)
                table.AddRow([.. new[] { $"metrics.{m.Key}" }.Concat(runs.Select(r => m.Values.TryGetValue(r.RunId, out var v)
                    ? Format.Number(v) + (m.Best == r.RunId ? " *" : "") : "-"))]);
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    /// <summary>The JSON shape of <c>compare --json</c> (documented in the README).</summary>
    public sealed record Comparison(IReadOnlyList<RunRef> Runs, IReadOnlyList<ParamRow> Params, IReadOnlyList<MetricRow> Metrics)
    {
        public static Comparison Of(IReadOnlyList<Run> runs, bool includeSameParams)
        {
            var paramRows = runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal)
                .Select(k => new ParamRow(k, runs.Where(r => r.Params.ContainsKey(k)).ToDictionary(r => r.RunId, r => r.Params[k]),
                    runs.Select(r => r.Params.GetValueOrDefault(k)).Distinct().Count() > 1))
                .Where(p => p.Differs || includeSameParams).ToList();
            var metricRows = runs.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct().Order(StringComparer.Ordinal)
                .Select(k =>
                {
                    var values = runs.Where(r => r.Metrics.Any(m => m.Key == k)).ToDictionary(r => r.RunId, r => r.Metrics.First(m => m.Key == k).Latest);
                    string? best = null;
                    foreach (var (id, v) in values)
                        if (best is null ? !double.IsNaN(v) : MetricDirection.IsBetter(k, v, values[best])) best = id;
                    return new MetricRow(k, values, best, MetricDirection.LowerIsBetter(k) ? "min" : "max");
                }).ToList();
            return new Comparison(runs.Select(r => new RunRef(r.RunId, r.Name, r.Status.ToString())).ToList(), paramRows, metricRows);
        }
    }

    public sealed record RunRef(string RunId, string? Name, string Status);
    public sealed record ParamRow(string Key, IReadOnlyDictionary<string, string> Values, bool Differs);
    public sealed record MetricRow(string Key, IReadOnlyDictionary<string, double> Values, string? Best, string Goal);
}
