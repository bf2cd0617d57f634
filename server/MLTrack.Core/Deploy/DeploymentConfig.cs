using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>
/// What the user chose in the deployment form (or <c>mltrack deploy</c> flags). <see cref="Validate"/> lists every
/// problem as a sentence naming the field; <see cref="EnsureValid"/> throws them all at once.
/// </summary>
public sealed partial record DeploymentConfig
{
    /// <summary>Modal's GPU types; a count may follow as <c>T4:2</c>. <c>any</c> lets Modal pick.</summary>
    public static readonly IReadOnlyList<string> GpuTypes = ["T4", "L4", "A10G", "A100", "A100-40GB", "A100-80GB", "L40S", "H100", "H200", "B200", "any"];

    /// <summary>Names that hold credentials: these belong in a Modal secret or the environment, never in the app file.</summary>
    private static readonly string[] s_secretNames = ["MODAL_TOKEN_ID", "MODAL_TOKEN_SECRET", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MLTRACK_TOKEN", "MLFLOW_TRACKING_TOKEN"];

    /// <summary>App (and endpoint) name: lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters.</summary>
    public required string AppName { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>CPU cores (fractions allowed), 0.125–64.</summary>
    public double Cpu { get; init; } = 1.0;
    /// <summary>Memory in MB, 128–262144.</summary>
    public int MemoryMb { get; init; } = 512;
    /// <summary>GPU type (see <see cref="GpuTypes"/>), optionally <c>:count</c>; null for CPU only.</summary>
    public string? Gpu { get; init; }
    /// <summary>Containers kept warm, 0–100.</summary>
    public int MinContainers { get; init; }
    /// <summary>Per-request time limit in seconds, 1–86400.</summary>
    public int TimeoutSeconds { get; init; } = 300;
    /// <summary>Environment variables for the serving container (not for credentials).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>Modal: an HTTPS URL (a presigned S3 GET) the container downloads the model from.</summary>
    public string? ModelUrl { get; init; }
    /// <summary>Modal: a Modal volume holding the model (the alternative to <see cref="ModelUrl"/>).</summary>
    public string? ModalVolume { get; init; }
    /// <summary>Modal: the model's path inside <see cref="ModalVolume"/>; default: the model's file name at its root.</summary>
    public string? ModalVolumePath { get; init; }
    /// <summary>The <c>modal</c> executable; null: <c>modal</c> on PATH.</summary>
    public string? ModalExecutable { get; init; }

    public string Title => string.IsNullOrWhiteSpace(ModelName) ? AppName : ModelName!;
    public string Version => string.IsNullOrWhiteSpace(ModelVersion) ? "1.0.0" : ModelVersion!;

    /// <summary>Every problem with the config, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AppName)) problems.Add("App name is required.");
        else if (!AppNamePattern().IsMatch(AppName))
            problems.Add($"App name '{AppName}' must be 1–63 lowercase letters, digits or dashes, starting with a letter or digit.");
        if (ModelName is { Length: > 200 }) problems.Add("Model name must be at most 200 characters.");
        if (ModelVersion is { } v && (v.Length > 64 || v.Any(char.IsControl))) problems.Add("Model version must be at most 64 printable characters.");
        if (!(Cpu >= 0.125 && Cpu <= 64)) problems.Add($"CPU must be between 0.125 and 64 cores (got {Cpu}).");
        if (MemoryMb is < 128 or > 262144) problems.Add($"Memory must be between 128 and 262144 MB (got {MemoryMb}).");
        if (Gpu is { } gpu && !string.IsNullOrWhiteSpace(gpu))
        {
            var parts = gpu.Split(':');
            if (!GpuTypes.Contains(parts[0], StringComparer.OrdinalIgnoreCase) || parts.Length > 2
                || (parts.Length == 2 && !(int.TryParse(parts[1], out var count) && count is >= 1 and <= 8)))
                problems.Add($"GPU '{gpu}' is not one of {string.Join(", ", GpuTypes)} (optionally with :1–8 for the count).");
        }
        if (MinContainers is < 0 or > 100) problems.Add($"Min containers must be between 0 and 100 (got {MinContainers}).");
        if (TimeoutSeconds is < 1 or > 86400) problems.Add($"Timeout must be between 1 and 86400 seconds (got {TimeoutSeconds}).");
        foreach (var (name, _) in EnvironmentVariables)
        {
            if (!EnvNamePattern().IsMatch(name)) problems.Add($"Environment variable name '{name}' must be letters, digits and underscores, not starting with a digit.");
            else if (s_secretNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                problems.Add($"Environment variable '{name}' is a credential: pass it as a secret, not as a deployment setting.");
        }
        if (ModelUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)))
            problems.Add("Model URL must be an absolute http(s) URL.");
        if (ModelUrl is not null && ModalVolume is not null) problems.Add("Give either a model URL or a Modal volume, not both.");
        if (ModalVolume is { } vol && !VolumeNamePattern().IsMatch(vol)) problems.Add($"Modal volume name '{vol}' must be letters, digits, dashes, dots or underscores.");
        if (ModalVolumePath is { } vp && (vp.Split('/').Contains("..") || vp.Contains('\\')))
            problems.Add("Modal volume path must stay inside the volume (no '..').");
        return problems;
    }

    /// <exception cref="DeploymentException">With every problem, one per line.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new DeploymentException("Invalid deployment settings:\n" + string.Join("\n", problems));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex AppNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex VolumeNamePattern();
}
