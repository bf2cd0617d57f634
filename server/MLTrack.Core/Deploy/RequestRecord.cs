namespace MLTrack.Core.Deploy;

/// <summary>One <c>/predict</c> request from a local predictor server's request log (<see cref="RequestLog"/>): when (Unix ms), status, latency.</summary>
public readonly record struct RequestRecord(long Timestamp, int Status, double LatencyMs)
{
    public bool IsError => Status >= 400;
}
