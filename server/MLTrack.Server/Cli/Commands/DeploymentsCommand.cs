using System.CommandLine;
using MLTrack.Core.Deploy;
using MLTrack.Server.Cli.Output;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack deployments [--json]</c>: the store's deployments; <c>mltrack undeploy ID</c>: stop and delete one.</summary>
public static class DeploymentsCommand
{
    public static Command Create(CliOutput output)
    {
        var cmd = new Command("deployments", "List model deployments.");
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var list = store.ListDeployments();
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new { deployments = list.Select(d => DeploymentsRpc.ToInfo(d, null)).ToList() });
                return ExitCodes.Ok;
            }
            var table = new TableWriter(["ID", "RUN", "TARGET", "NAME", "STATUS", "ENDPOINT", "CREATED"], 5);
            foreach (var d in list)
                table.AddRow(d.DeploymentId[..8], d.RunId[..Math.Min(8, d.RunId.Length)], d.Target, d.Name, d.Status.ToString(), d.EndpointUrl ?? "", Format.Time(d.CreatedAt));
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static Command CreateUndeploy(CliOutput output)
    {
        var id = new Argument<string>("id") { Description = "Deployment id (or unique prefix)." };
        var cmd = new Command("undeploy", "Stop a deployment and delete its record.") { id };
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var prefix = parse.GetValue(id)!;
            var matches = store.ListDeployments().Where(d => d.DeploymentId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
            {
                output.Error.WriteLine(matches.Count == 0 ? $"error: no deployment '{prefix}'" : $"error: '{prefix}' matches {matches.Count} deployments");
                return ExitCodes.Error;
            }
            var service = root.Deployments;
            try
            {
                service.DeleteAsync(matches[0].DeploymentId).GetAwaiter().GetResult();
            }
            catch (DeploymentException e)
            {
                output.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Error;
            }
            output.Out.WriteLine($"undeployed {matches[0].DeploymentId}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
