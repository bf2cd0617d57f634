namespace MLTrack.Core.Launch;

/// <summary>One GPU's load as nvidia-smi reports it: utilization in percent and memory used in MiB.</summary>
public readonly record struct GpuReading(int Index, double UtilizationPercent, double MemoryUsedMb);
