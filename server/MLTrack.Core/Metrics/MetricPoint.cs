namespace MLTrack.Core.Metrics;

/// <summary>One logged value. Timestamp is milliseconds since the Unix epoch, as in MLflow. NaN and ±∞ are legal values.</summary>
public readonly record struct MetricPoint(string Key, double Value, long Timestamp, long Step);
