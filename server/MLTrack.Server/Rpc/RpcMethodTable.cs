using System.Reflection;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLTrack.Server.Rpc;

/// <summary>What one method takes: nothing, or one params object (required unless the C# parameter has a default).</summary>
internal sealed record RpcMethodShape(string Name, Type? ParamsType, bool ParamsRequired);

/// <summary>
/// Every method of the <c>[JsonRpcContract]</c> interfaces with the params it takes, read once from the interfaces
/// themselves. Lets the connection refuse a request whose params cannot fit before StreamJsonRpc does (its refusal
/// names .NET methods and types), and lets parameter errors be described in terms of the params' JSON.
/// </summary>
internal sealed class RpcMethodTable
{
    private readonly Dictionary<string, RpcMethodShape> _methods;

    private RpcMethodTable(Dictionary<string, RpcMethodShape> methods)
    {
        _methods = methods;
        ParamsTypes = methods.Values.Select(m => m.ParamsType).OfType<Type>().ToHashSet();
    }

    public static RpcMethodTable Instance { get; } = FromContracts(typeof(RpcMethodTable).Assembly);

    /// <summary>The types params deserialize to (each gets <see cref="RpcParamsConverterFactory"/>'s error messages).</summary>
    public IReadOnlySet<Type> ParamsTypes { get; }

    public RpcMethodShape? Find(string? method) => method is not null && _methods.TryGetValue(method, out var shape) ? shape : null;

    public static RpcMethodTable FromContracts(Assembly assembly)
    {
        var methods = new Dictionary<string, RpcMethodShape>(StringComparer.Ordinal);
        foreach (var contract in assembly.GetTypes().Where(t => t.IsInterface && t.IsDefined(typeof(JsonRpcContractAttribute), inherit: false)))
        {
            foreach (var m in contract.GetMethods())
            {
                var name = m.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name ?? CommonMethodNameTransforms.CamelCase(m.Name);
                var parameters = m.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToArray();
                if (parameters.Length > 1) throw new InvalidOperationException($"RPC method '{name}' must take at most one params object.");
                methods[name] = parameters.Length == 0
                    ? new RpcMethodShape(name, null, false)
                    : new RpcMethodShape(name, parameters[0].ParameterType, !parameters[0].HasDefaultValue);
            }
        }
        return new RpcMethodTable(methods);
    }

    /// <summary>
    /// Why <paramref name="request"/>'s params cannot fit its method, or null (unknown methods are left to the
    /// dispatcher's -32601). A wrong params kind inside an object is found later, while deserializing.
    /// </summary>
    /// <param name="body">The request's JSON, looked at only when its params seem absent.</param>
    public string? Refusal(JsonRpcRequest request, byte[] body)
    {
        if (Find(request.Method) is not { } shape) return null;
        if (shape.ParamsType is null)
            return request.ArgumentCount > 0 ? $"'{shape.Name}' takes no params." : null;
        // Absent or null params leave StreamJsonRpc no argument; an empty array or object goes on to deserialization.
        if (shape.ParamsRequired && !request.ArgumentsAreNamed && request.ArgumentCount == 0 && ParamsAbsentOrNull(body))
            return $"'{shape.Name}' needs params: an object{Members(shape.ParamsType)}.";
        return null;
    }

    private static bool ParamsAbsentOrNull(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return !doc.RootElement.TryGetProperty("params", out var p) || p.ValueKind == JsonValueKind.Null;
    }

    /// <summary>" with runId" / " with runId and key": the members without a default, as the params' JSON names them.</summary>
    private static string Members(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var required = ctor?.GetParameters().Where(p => !p.HasDefaultValue && p.Name is not null)
            .Select(p => char.ToLowerInvariant(p.Name![0]) + p.Name[1..]).ToList() ?? [];
        return required.Count switch
        {
            0 => "",
            1 => $" with {required[0]}",
            _ => $" with {string.Join(", ", required[..^1])} and {required[^1]}",
        };
    }
}
