using System.CommandLine;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack runs</c>: find runs with MLflow's filter syntax, sorted by any attribute, param or metric.</summary>
public static class RunsCommand
{
    private const int MaxMetricColumns = 6;

    public static Command Create(CliOutput output)
    {
        var experiment = new Option<string?>("--experiment", "-e") { Description = "Only runs of this experiment (name or id)." };
        var filter = new Option<string?>("--filter", "-f") { Description = "MLflow filter, e.g. \"metrics.acc > 0.9 and params.lr = '0.01'\"." };
        var sort = new Option<string?>("--sort", "-s") { Description = "Sort key: metrics.NAME, params.NAME, tags.NAME or an attribute (start_time, run_name, status...)." };
        var desc = new Option<bool>("--desc") { Description = "Sort descending (highest first)." };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many runs.", DefaultValueFactory = _ => 50 };
        var cmd = new Command("runs", "List runs, newest first, or filtered and sorted: 'mltrack runs --sort metrics.acc --desc' shows the best.");
        cmd.Options.Add(experiment);
        cmd.Options.Add(filter);
        cmd.Options.Add(sort);
        cmd.Options.Add(desc);
        cmd.Options.Add(limit);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            int max = parse.GetValue(limit);
            if (max < 1) throw new UsageException($"--limit must be at least 1, got {max}.");
            var experiments = store.ListExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);
            var query = new RunQuery
            {
                ExperimentIds = parse.GetValue(experiment) is { } e ? [ResolveExperiment(store, e)] : [],
                Filter = parse.GetValue(filter),
                OrderBy = parse.GetValue(sort) is { } s ? [s + (parse.GetValue(desc) ? " DESC" : " ASC")] : [],
                MaxResults = max,
            };
            var page = store.SearchRuns(query);
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new { runs = page.Runs.Select(r => RunJson.From(r, experiments.GetValueOrDefault(r.ExperimentId))), next_page_token = page.NextPageToken });
                return ExitCodes.Ok;
            }
            if (page.Runs.Count == 0)
            {
                output.Error.WriteLine("No runs match.");
                return ExitCodes.Ok;
            }
            WriteTable(output, page.Runs, experiments, parse.GetValue(sort));
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static string ResolveExperiment(ITrackingStore store, string nameOrId) =>
        store.FindExperimentByName(nameOrId)?.ExperimentId
        ?? (long.TryParse(nameOrId, out _) ? store.GetExperiment(nameOrId).ExperimentId
            : throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No experiment named '{nameOrId}'."));

    private static void WriteTable(CliOutput output, IReadOnlyList<Run> runs, Dictionary<string, string> experiments, string? sortKey)
    {
        // Metric columns: the sort metric first, then the most common user metrics (system metrics are in `show`).
        var sortMetric = sortKey is { } k && k.StartsWith("metrics.", StringComparison.Ordinal) ? k["metrics.".Length..] : null;
        var metricKeys = runs.SelectMany(r => r.Metrics.Select(m => m.Key))
            .Where(key => !key.StartsWith("system/", StringComparison.Ordinal))
            .GroupBy(key => key).OrderByDescending(g => g.Key == sortMetric).ThenByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => g.Key).Take(MaxMetricColumns).ToList();
        var table = new TableWriter(["ID", "EXPERIMENT", "NAME", "STATUS", "STARTED", "DURATION", .. metricKeys], 4);
        foreach (var r in runs)
        {
            var metrics = r.Metrics.ToDictionary(m => m.Key, m => m.Latest);
            table.AddRow([Format.ShortId(r.RunId), experiments.GetValueOrDefault(r.ExperimentId, r.ExperimentId), r.Name ?? "", r.Status.ToString(),
                Format.Time(r.StartTime), Format.Duration(r.DurationMs),
                .. metricKeys.Select(key => metrics.TryGetValue(key, out var v) ? Format.Number(v) : "-")]);
        }
        table.Write(output.Out, output.Width);
    }
}
