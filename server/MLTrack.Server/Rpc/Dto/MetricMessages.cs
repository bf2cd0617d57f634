namespace MLTrack.Server.Rpc.Dto;

/// <summary>Digest of one metric of one run. Doubles may be the strings "NaN", "Infinity", "-Infinity" on the wire.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Latest">Value at the highest step (then newest timestamp).</param>
/// <param name="LatestStep">Step of <paramref name="Latest"/>.</param>
/// <param name="LatestTimestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Min">Smallest non-NaN value (NaN when none).</param>
/// <param name="Max">Largest non-NaN value (NaN when none).</param>
/// <param name="Count">Number of points.</param>
/// <param name="LowerIsBetter">Judged from the name (loss, error, ...).</param>
public sealed record MetricSummaryDto(string Key, double Latest, long LatestStep, long LatestTimestamp, double Min, double Max, long Count, bool LowerIsBetter);

/// <summary>Params of <c>metrics/history</c>.</summary>
/// <param name="RunId">Run id or unique prefix.</param>
/// <param name="Key">Metric name.</param>
/// <param name="FromStep">First step of the range (inclusive); default: the series' first.</param>
/// <param name="ToStep">Last step (inclusive); default: the series' last.</param>
/// <param name="Buckets">When set: at most this many buckets over the range instead of raw points.</param>
/// <param name="MaxPoints">Raw mode only: at most this many points (default 100,000); <c>truncated</c> tells when cut.</param>
public sealed record MetricHistoryParams(string RunId, string Key, long? FromStep = null, long? ToStep = null, int? Buckets = null, int? MaxPoints = null);

/// <summary>Result of <c>metrics/history</c>: either <see cref="Points"/> (raw) or <see cref="Buckets"/> (bucketed), the other null.</summary>
public sealed record MetricHistoryResult(
    string RunId,
    string Key,
    IReadOnlyList<MetricPointDto>? Points,
    IReadOnlyList<MetricBucketDto>? Buckets,
    bool Truncated);

/// <summary>Params of <c>metrics/historyMany</c>: <c>metrics/history</c>'s for every run in <paramref name="RunIds"/> at once.</summary>
/// <param name="RunIds">Run ids or unique prefixes (at most 500).</param>
/// <param name="Key">Metric name.</param>
/// <param name="FromStep">First step of the range (inclusive); default: each series' first.</param>
/// <param name="ToStep">Last step (inclusive); default: each series' last.</param>
/// <param name="Buckets">When set: at most this many buckets per run instead of raw points.</param>
/// <param name="MaxPoints">Raw mode only: at most this many points per run (default 100,000).</param>
public sealed record MetricHistoryManyParams(IReadOnlyList<string> RunIds, string Key, long? FromStep = null, long? ToStep = null, int? Buckets = null, int? MaxPoints = null);

/// <summary>Result of <c>metrics/historyMany</c>: one entry per requested id, in the order of <c>runIds</c>.</summary>
public sealed record MetricHistoryManyResult(IReadOnlyList<MetricSeriesResult> Series);

/// <summary>
/// One run's entry of <c>metrics/historyMany</c>: what <c>metrics/history</c> answers for it (points or buckets), or,
/// when the run could not be read, <see cref="Error"/> with both lists null.
/// </summary>
/// <param name="RunId">The full run id (the requested text when it did not resolve).</param>
public sealed record MetricSeriesResult(
    string RunId,
    IReadOnlyList<MetricPointDto>? Points,
    IReadOnlyList<MetricBucketDto>? Buckets,
    bool Truncated,
    MetricSeriesError? Error);

/// <summary>Why one run of <c>metrics/historyMany</c> has no data: the error <c>metrics/history</c> would have failed with.</summary>
public sealed record MetricSeriesError(int Code, string Message, RpcErrorData Data);

/// <summary>One raw point.</summary>
public sealed record MetricPointDto(long Step, long Timestamp, double Value);

/// <summary>One bucket over [FromStep, ToStep]: min/max of non-NaN values, and the point with the highest step. Empty buckets are omitted.</summary>
public sealed record MetricBucketDto(long FromStep, long ToStep, long Count, double Min, double Max, long LastStep, double Last);

/// <summary>Params of <c>metrics/latest</c>.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Limit">How many of the most recent runs that logged the key to consider (default 20, at most 1,000).</param>
/// <param name="ExperimentIds">Only runs of these experiments; null: all.</param>
public sealed record MetricLatestParams(string Key, int? Limit = null, IReadOnlyList<string>? ExperimentIds = null);

/// <summary>Result of <c>metrics/latest</c> (for hovers). All null/empty when no run logged the key.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="LowerIsBetter">Direction used for <see cref="Best"/>.</param>
/// <param name="Latest">The latest value in the most recent run that logged the key.</param>
/// <param name="Best">The best value (min or max over each run's whole series) among the considered runs.</param>
/// <param name="Recent">Latest value per considered run, newest run first.</param>
/// <param name="Sparkline">The last points (up to 20) of <see cref="Latest"/>'s run, in step order.</param>
public sealed record MetricLatestResult(
    string Key,
    bool LowerIsBetter,
    MetricRunValue? Latest,
    MetricRunValue? Best,
    IReadOnlyList<MetricRunValue> Recent,
    IReadOnlyList<MetricPointDto> Sparkline);

/// <summary>A metric value and the run it came from.</summary>
public sealed record MetricRunValue(string RunId, string? RunName, string ExperimentId, string Status, long StartTime, double Value, long Step, long Count);
