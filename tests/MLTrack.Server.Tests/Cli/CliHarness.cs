using System.Diagnostics;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Cli;

namespace MLTrack.Server.Tests.Cli;

/// <summary>Runs the CLI against a temporary store: in-process for speed, or as the real executable when a test kills it.</summary>
public sealed class CliHarness : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mltrack-cli-").FullName;
    public string StorePath => Path.Combine(Dir, ".mltrack", "mltrack.db");

    public async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = await CliApp.RunAsync(["--store", StorePath, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public SqliteTrackingStore OpenStore() => SqliteTrackingStore.Open(StorePath);

    /// <summary>The built mltrack executable (copied beside the tests by the project reference), started as a real process.</summary>
    public Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/>, with these environment variables set.</summary>
    public Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mltrack.dll"));
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(StorePath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public void Dispose()
    {
        SqliteTrackingStoreExtensions.ClearPools();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

internal static class SqliteTrackingStoreExtensions
{
    public static void ClearPools() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
