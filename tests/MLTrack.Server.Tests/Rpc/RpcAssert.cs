namespace MLTrack.Server.Tests.Rpc;

/// <summary>Checks shared by the RPC error tests.</summary>
public static class RpcAssert
{
    /// <summary>What a client must never see: .NET type names (System.String, MLTrack.Server.Rpc.Dto.…, Nullable`1).</summary>
    public static void NoDotNetNames(string text)
    {
        foreach (var leak in new[] { "System.", "MLTrack.", "Nullable", "`1", "Dto" }) Assert.DoesNotContain(leak, text);
    }
}
