using System.Text.Json.Serialization;

namespace MLTrack.Server.Rpc;

/// <summary>The <c>data</c> of an application error: the MLflow-style code name and, for filter errors, the 0-based position.</summary>
public sealed record RpcErrorData(string ErrorCode, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Position = null);
