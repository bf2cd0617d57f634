namespace MLTrack.Core.Deploy;

/// <summary>The status, history, logs and event shared by the deployment targets; thread-safe.</summary>
public abstract class DeploymentStatusTracker
{
    private const int MaxLogLines = 2000;
    private readonly Lock _gate = new();
    private readonly List<DeploymentStatusChange> _history = [];
    private readonly List<string> _logs = [];

    public DeploymentStatus Status { get; private set; } = DeploymentStatus.PENDING;
    public string? EndpointUrl { get; private set; }
    public string? Message { get; private set; }

    public IReadOnlyList<DeploymentStatusChange> History
    {
        get { lock (_gate) return [.. _history]; }
    }

    public IReadOnlyList<string> Logs
    {
        get { lock (_gate) return [.. _logs]; }
    }

    public event Action<DeploymentStatusChange>? StatusChanged;

    protected DeploymentStatusTracker()
    {
        _history.Add(new DeploymentStatusChange(DeploymentStatus.PENDING, null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    /// <summary>Moves to <paramref name="status"/> and raises <see cref="StatusChanged"/> (outside the lock).</summary>
    protected void SetStatus(DeploymentStatus status, string? message = null, string? endpointUrl = null)
    {
        DeploymentStatusChange change;
        lock (_gate)
        {
            Status = status;
            Message = message;
            if (endpointUrl is not null) EndpointUrl = endpointUrl;
            change = new DeploymentStatusChange(status, message, EndpointUrl, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            _history.Add(change);
        }
        StatusChanged?.Invoke(change);
    }

    protected void AddLog(string line)
    {
        lock (_gate)
        {
            _logs.Add(line);
            if (_logs.Count > MaxLogLines) _logs.RemoveRange(0, _logs.Count - MaxLogLines);
        }
    }
}
