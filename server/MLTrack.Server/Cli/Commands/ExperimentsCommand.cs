using System.CommandLine;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack experiments [--json]</c>: experiments with their run counts.</summary>
public static class ExperimentsCommand
{
    public static Command Create(CliOutput output)
    {
        var cmd = new Command("experiments", "List experiments and how many runs each has.");
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var counts = store.CountRunsByExperiment();
            var rows = store.ListExperiments().Select(e => new ExperimentJson(e.ExperimentId, e.Name, counts.GetValueOrDefault(e.ExperimentId), e.CreationTime)).ToList();
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new { experiments = rows });
                return ExitCodes.Ok;
            }
            var table = new TableWriter(["ID", "NAME", "RUNS", "CREATED"], 4);
            foreach (var e in rows) table.AddRow(e.ExperimentId, e.Name, e.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.Time(e.CreationTime));
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    private sealed record ExperimentJson(string ExperimentId, string Name, int Runs, long CreationTime);
}
