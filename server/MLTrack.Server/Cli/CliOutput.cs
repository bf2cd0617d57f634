namespace MLTrack.Server.Cli;

/// <summary>Where a command writes; tests pass string writers.</summary>
public sealed record CliOutput(TextWriter Out, TextWriter Error)
{
    /// <summary>Width for tables: the terminal's when there is one, else $COLUMNS, else 120.</summary>
    public int Width
    {
        get
        {
            if (ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected)
            {
                try { if (Console.WindowWidth > 20) return Console.WindowWidth; } catch (IOException) { }
            }
            return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var c) && c > 20 ? c : 120;
        }
    }
}
