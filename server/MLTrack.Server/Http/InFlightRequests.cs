using Microsoft.AspNetCore.Http;

namespace MLTrack.Server.Http;

/// <summary>Counts the requests being served, so a stop that runs out of drain time can say how many it cuts off.</summary>
internal sealed class InFlightRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        Interlocked.Increment(ref _count);
        try
        {
            await next(ctx);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
