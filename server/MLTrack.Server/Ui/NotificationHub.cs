using System.Threading.Channels;

namespace MLTrack.Server.Ui;

/// <summary>
/// Fans the RPC session's notifications out to every <c>GET /rpc/events</c> subscriber as ready-made Server-Sent
/// Events lines. A subscriber that falls far behind loses its oldest events rather than holding memory.
/// </summary>
public sealed class NotificationHub
{
    private const int MaxQueued = 10_000;
    private readonly Lock _lock = new();
    private readonly List<Channel<string>> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public ChannelReader<string> Subscribe(out IDisposable subscription)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxQueued)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock) _subscribers.Add(channel);
        subscription = new Unsubscriber(this, channel);
        return channel.Reader;
    }

    /// <summary>Queues <c>data: {"method":…,"params":…}</c> for every subscriber.</summary>
    public void Publish(string method, string paramsJson)
    {
        var line = $"data: {{\"method\":{System.Text.Json.JsonSerializer.Serialize(method)},\"params\":{paramsJson}}}\n\n";
        lock (_lock)
        {
            foreach (var s in _subscribers) s.Writer.TryWrite(line);
        }
    }

    private sealed class Unsubscriber(NotificationHub hub, Channel<string> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (hub._lock) hub._subscribers.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
