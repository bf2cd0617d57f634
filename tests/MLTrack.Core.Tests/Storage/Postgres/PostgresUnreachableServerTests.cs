using System.Net;
using System.Net.Sockets;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

public sealed class PostgresUnreachableServerTests
{
    [Fact]
    public void A_server_that_is_not_listening_is_store_unavailable_naming_host_and_port()
    {
        var port = ClosedPort();

        var e = Assert.Throws<StoreException>(() => PostgresTrackingStore.Open($"postgresql://postgres@127.0.0.1:{port}/mltrack", Path.GetTempPath()));

        Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", e.ClientMessage, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
