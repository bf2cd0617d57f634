using MLTrack.Server.Cli;

// The JSON-RPC server (issue 4) speaks on stdout; nothing else may write there by accident.
return await CliApp.RunAsync(args);
