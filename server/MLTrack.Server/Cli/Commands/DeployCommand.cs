using System.CommandLine;
using System.Globalization;
using MLTrack.Core.Deploy;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack deploy RUN --target modal|local [--name] [--cpu] [--memory] [--gpu]</c>: local serves in the
/// foreground until Ctrl+C (printing the endpoint and OpenAPI URLs); modal prints the final status and URL.</summary>
public static class DeployCommand
{
    public static Command Create(CliOutput output)
    {
        var run = new Argument<string>("run") { Description = "Run id (or unique prefix) whose model to deploy." };
        var target = new Option<string>("--target") { Description = "local or modal.", DefaultValueFactory = _ => "local" };
        target.AcceptOnlyFromAmong("local", "modal");
        var name = new Option<string?>("--name") { Description = "App name: lowercase letters, digits and dashes." };
        var cpu = new Option<double?>("--cpu") { Description = "CPU cores (0.125–64)." };
        var memory = new Option<int?>("--memory") { Description = "Memory in MB (128–262144)." };
        var gpu = new Option<string?>("--gpu") { Description = "GPU type, e.g. T4 or A100:2 (Modal)." };
        var cmd = new Command("deploy", "Deploy a run's model locally or to Modal.") { run };
        cmd.Options.Add(target);
        cmd.Options.Add(name);
        cmd.Options.Add(cpu);
        cmd.Options.Add(memory);
        cmd.Options.Add(gpu);
        cmd.SetAction((parse, cancel) => Task.Run(() => StoreSession.Run(parse, output, store =>
        {
            var settings = new DeploymentSettings { AppName = parse.GetValue(name), Cpu = parse.GetValue(cpu), MemoryMb = parse.GetValue(memory), Gpu = parse.GetValue(gpu) };
            using var artifacts = GlobalOptions.OpenArtifacts(parse, store);
            return DeployAsync(store, artifacts, parse.GetValue(run)!, parse.GetValue(target)!, settings, output, cancel).GetAwaiter().GetResult();
        }), CancellationToken.None));
        return cmd;
    }

    private static async Task<int> DeployAsync(ITrackingStore store, MLTrack.Core.Artifacts.IArtifactStore artifacts, string runId, string target,
        DeploymentSettings settings, CliOutput output, CancellationToken cancel)
    {
        await using var service = new DeploymentService(store, artifacts: artifacts);
        service.Changed += r => output.Error.WriteLine($"{r.Status}: {r.Message}");
        DeploymentRecord record;
        try
        {
            record = service.Create(runId, target, settings);
        }
        catch (DeploymentException e)
        {
            output.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        try
        {
            record = await service.WaitAsync(record.DeploymentId, TimeSpan.FromMinutes(30), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await service.StopAsync(record.DeploymentId).ConfigureAwait(false);
            return ExitCodes.Error;
        }
        output.Out.WriteLine($"deployment {record.DeploymentId}: {record.Status}");
        if (record.Status != DeploymentStatus.READY)
        {
            output.Error.WriteLine("error: " + record.Message);
            return ExitCodes.Error;
        }
        output.Out.WriteLine("endpoint: " + record.EndpointUrl);
        if (record.Target != "local")
        {
            output.Out.WriteLine($"stop it with: mltrack undeploy {record.DeploymentId}");
            return ExitCodes.Ok;
        }
        output.Out.WriteLine($"openapi:  {record.EndpointUrl}/openapi.json");
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"try:      curl -X POST {record.EndpointUrl}/predict -H 'Content-Type: application/json' -d '{{\"instances\": [...]}}'"));
        output.Out.WriteLine("serving until Ctrl+C");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Changed += r => { if (r.DeploymentId == record.DeploymentId && r.Status is DeploymentStatus.FAILED or DeploymentStatus.STOPPED) stopped.TrySetResult(); };
        try
        {
            await stopped.Task.WaitAsync(cancel).ConfigureAwait(false);
            output.Error.WriteLine("error: " + service.Get(record.DeploymentId).Message);
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            await service.StopAsync(record.DeploymentId).ConfigureAwait(false);
            output.Out.WriteLine("stopped");
            return ExitCodes.Ok;
        }
    }
}
