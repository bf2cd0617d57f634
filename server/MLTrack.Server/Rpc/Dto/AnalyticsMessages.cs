namespace MLTrack.Server.Rpc.Dto;

/// <summary>The window and grouping of an analytics query (see <c>AnalyticsRangeParams</c> in protocol.ts).</summary>
public record AnalyticsRangeParams
{
    public string? Preset { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }
    public string? TimeZone { get; init; }
    public string? Granularity { get; init; }
    public IReadOnlyList<string>? ExperimentIds { get; init; }
    public string? User { get; init; }
}

/// <summary>Params of <c>analytics/timeSeries</c>.</summary>
public sealed record TimeSeriesParams : AnalyticsRangeParams
{
    public string? MetricKey { get; init; }
    /// <summary>"min" | "max" | null (by the key's name).</summary>
    public string? MetricGoal { get; init; }
}

/// <summary>Params of <c>analytics/heatmap</c>.</summary>
public sealed record HeatmapParams : AnalyticsRangeParams;

/// <summary>Params of <c>analytics/production</c>.</summary>
public sealed record ProductionParams : AnalyticsRangeParams
{
    public IReadOnlyList<string>? DeploymentIds { get; init; }
    public double? CpuHourUsd { get; init; }
    public double? GpuHourUsd { get; init; }
}

public sealed record TimeSeriesBucketDto(long Start, long End, string Label, int RunsStarted, int RunsFinished, int RunsFailed,
    double ComputeHours, int Experiments, int Users, double? MetricBest, string? MetricBestRunId);

public sealed record ActivityTotalsDto(int RunsStarted, int RunsFinished, int RunsFailed, double ComputeHours, int Experiments, int Users);

/// <summary>Result of <c>analytics/timeSeries</c>.</summary>
public sealed record TimeSeriesResult(long From, long To, string TimeZone, string Granularity, string? Note,
    IReadOnlyList<TimeSeriesBucketDto> Buckets, string? MetricKey, string? MetricGoal, ActivityTotalsDto Totals, bool Empty);

public sealed record HeatmapDayDto(string Date, int Weekday, long Start, long End, int Runs, int Failed, int Experiments);

/// <summary>Result of <c>analytics/heatmap</c>.</summary>
public sealed record HeatmapResult(long From, long To, string TimeZone, string Granularity, string? Note, IReadOnlyList<HeatmapDayDto> Days,
    int TotalRuns, int ActiveDays, double Coverage, int LongestStreak, int CurrentStreak, int MaxRuns, int MaxExperiments, bool Empty);

/// <summary>Result of <c>analytics/facets</c>.</summary>
public sealed record AnalyticsFacetsResult(IReadOnlyList<string> Users, IReadOnlyList<string> MetricKeys);

public sealed record ProductionBucketDto(long Start, long End, string Label, int Requests, int Errors, double? ErrorRate,
    double? P50Ms, double? P95Ms, double? P99Ms, double CostUsd);

public sealed record ProductionTotalsDto(int Requests, int Errors, double? ErrorRate, double? P50Ms, double? P95Ms, double? P99Ms, double CostUsd);

public sealed record ProductionDeploymentDto(string DeploymentId, string Name, string Target, string RunId, string Status, string? EndpointUrl,
    bool? Healthy, string? HealthMessage, bool TrafficAvailable, double HourlyCostUsd, ProductionTotalsDto Totals, IReadOnlyList<ProductionBucketDto> Buckets);

/// <summary>Result of <c>analytics/production</c>.</summary>
public sealed record ProductionResult(long From, long To, string TimeZone, string Granularity, string? Note, IReadOnlyList<ProductionDeploymentDto> Deployments);
