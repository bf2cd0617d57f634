using MLTrack.Core.Preferences;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Reports;

/// <summary>The prices a report multiplies by, and where each came from ("given" or "preferences").</summary>
public sealed record ReportPrices(double CpuHourUsd, double GpuHourUsd, string CpuSource, string GpuSource)
{
    /// <summary>The request's prices, else the user's preferences (which default to 0.047 and 1.10 USD).</summary>
    /// <exception cref="ArgumentException">A negative or non-finite price.</exception>
    public static ReportPrices Resolve(ReportRequest request, ITrackingStore store)
    {
        Check(request.CpuHourUsd, "cpuHourUsd");
        Check(request.GpuHourUsd, "gpuHourUsd");
        var preferences = request.CpuHourUsd is null || request.GpuHourUsd is null ? new PreferencesService(store).Get(request.User) : null;
        return new ReportPrices(
            request.CpuHourUsd ?? preferences!.CpuHourUsd,
            request.GpuHourUsd ?? preferences!.GpuHourUsd,
            request.CpuHourUsd is null ? "preferences" : "given",
            request.GpuHourUsd is null ? "preferences" : "given");
    }

    private static void Check(double? price, string name)
    {
        if (price is { } p && !(double.IsFinite(p) && p >= 0))
            throw new ArgumentException($"'{name}' must be a price in USD, 0 or more; got {p}.");
    }
}
