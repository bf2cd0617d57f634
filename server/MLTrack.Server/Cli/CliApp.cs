using System.CommandLine;
using MLTrack.Server.Cli.Commands;

namespace MLTrack.Server.Cli;

/// <summary>The <c>mltrack</c> command line: one subcommand per file under Commands/.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = new CliOutput(stdout ?? Console.Out, stderr ?? Console.Error);
        var root = new RootCommand("MLTrack: track, find and compare ML training runs.");
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        root.Subcommands.Add(RunCommand.Create(output));
        root.Subcommands.Add(ExperimentsCommand.Create(output));
        root.Subcommands.Add(RunsCommand.Create(output));
        root.Subcommands.Add(ShowCommand.Create(output));
        root.Subcommands.Add(CompareCommand.Create(output));
        root.Subcommands.Add(ServerCommand.Create(output));
        root.Subcommands.Add(LineageCommand.Create(output));
        root.Subcommands.Add(LineageCommand.CreateImpact(output));
        root.Subcommands.Add(RpcCommand.Create(output));
        root.Subcommands.Add(UiCommand.Create(output));
        root.Subcommands.Add(DeployCommand.Create(output));
        root.Subcommands.Add(DeploymentsCommand.Create(output));
        root.Subcommands.Add(DeploymentsCommand.CreateUndeploy(output));
        root.Subcommands.Add(ReportCommand.Create(output));
        root.Subcommands.Add(UsersCommand.Create(output));
        root.Subcommands.Add(TokensCommand.Create(output));
        root.Subcommands.Add(TeamsCommand.Create(output));
        root.Subcommands.Add(AuditCommand.Create(output));
        var parse = root.Parse(args);
        var config = new InvocationConfiguration
        {
            Output = output.Out,
            Error = output.Error,
            // The run command needs time to stop the child's process tree and record the run as KILLED; the server
            // needs its drain timeout and a moment to close the store.
            ProcessTerminationTimeout = TerminationTimeout(parse),
        };
        return await parse.InvokeAsync(config);
    }

    private static TimeSpan TerminationTimeout(ParseResult parse)
    {
        var least = TimeSpan.FromSeconds(15);
        try
        {
            var drain = ServerCommand.DrainTimeout(parse) + TimeSpan.FromSeconds(10);
            return drain > least ? drain : least;
        }
        catch (UsageException)
        {
            return least; // the command reports it
        }
    }
}
