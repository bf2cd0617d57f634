using System.CommandLine;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack rpc --stdio</c>: the editor's backend, JSON-RPC with LSP framing on standard input/output.</summary>
public static class RpcCommand
{
    public static Command Create(CliOutput output)
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak JSON-RPC (LSP framing) on standard input/output (the only transport)." };
        var cmd = new Command("rpc", "Serve the editor protocol (JSON-RPC) for the VS Code extension.");
        cmd.Options.Add(stdio);
        cmd.SetAction(async (parse, cancel) =>
        {
            if (!parse.GetValue(stdio))
            {
                output.Error.WriteLine("error: give --stdio (JSON-RPC on standard input/output).");
                return ExitCodes.Usage;
            }
            return await RpcStdioHost.RunAsync(cancel, GlobalOptions.ArtifactsUri(parse));
        });
        return cmd;
    }
}
