using System.Text.Json;

namespace MLTrack.Core.Deploy;

/// <summary>The settings a user gives for a deployment (form, CLI flags, RPC/REST config); unset fields take
/// <see cref="DeploymentConfig"/>'s defaults. Stored with the record as JSON; holds no credentials.</summary>
public sealed record DeploymentSettings
{
    public string? AppName { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    public double? Cpu { get; init; }
    public int? MemoryMb { get; init; }
    public string? Gpu { get; init; }
    public int? MinContainers { get; init; }
    public int? TimeoutSeconds { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public static DeploymentSettings FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new DeploymentSettings() : JsonSerializer.Deserialize<DeploymentSettings>(json, s_json) ?? new DeploymentSettings();

    /// <summary>CPUs the deployment asked for (the default when unset), for cost estimates.</summary>
    public double CpuCount => Cpu ?? new DeploymentConfig { AppName = "x" }.Cpu;

    /// <summary>GPUs the deployment asked for: "A10G" is one, "A100:4" four, none or blank zero.</summary>
    public int GpuCount
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Gpu)) return 0;
            var colon = Gpu.LastIndexOf(':');
            return colon >= 0 && int.TryParse(Gpu.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        }
    }

    /// <summary>USD per serving hour at these prices: CPUs × CPU-hour price plus GPUs × GPU-hour price.</summary>
    public double HourlyCost(double cpuHourUsd, double gpuHourUsd) => CpuCount * cpuHourUsd + GpuCount * gpuHourUsd;

    /// <summary>The app name: the given one, else <c>mltrack-</c> and the run id's first 8 characters.</summary>
    public string AppNameFor(string runId) =>
        string.IsNullOrWhiteSpace(AppName) ? "mltrack-" + runId[..Math.Min(8, runId.Length)].ToLowerInvariant() : AppName.Trim();

    /// <summary>The target's config (validate it with <see cref="DeploymentConfig.EnsureValid"/>).</summary>
    public DeploymentConfig ToConfig(string runId, string? modalExecutable = null, string? modelUrl = null)
    {
        var defaults = new DeploymentConfig { AppName = "x" };
        return new DeploymentConfig
        {
            AppName = AppNameFor(runId),
            ModelName = ModelName,
            ModelVersion = ModelVersion,
            Cpu = Cpu ?? defaults.Cpu,
            MemoryMb = MemoryMb ?? defaults.MemoryMb,
            Gpu = string.IsNullOrWhiteSpace(Gpu) ? null : Gpu.Trim(),
            MinContainers = MinContainers ?? defaults.MinContainers,
            TimeoutSeconds = TimeoutSeconds ?? defaults.TimeoutSeconds,
            EnvironmentVariables = Env ?? new Dictionary<string, string>(),
            ModalExecutable = modalExecutable,
            ModelUrl = modelUrl,
        };
    }
}
