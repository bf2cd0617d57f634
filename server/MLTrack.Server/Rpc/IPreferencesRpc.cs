using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The browser UI's per-user preferences, kept in the store (VS Code keeps them as mltrack.* settings). A change is
/// sent to every client as <c>preferences/changed</c>.
/// </summary>
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IPreferencesRpc
{
    /// <summary>The user's preferences (defaults for what was never set); user defaults to the backend's OS user.</summary>
    [JsonRpcMethod(RpcMethods.PreferencesGet, UseSingleObjectParameterDeserialization = true)]
    Task<PreferencesResult> GetAsync(PreferencesGetParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>Changes the given fields; an unknown field or a bad value is refused by name and nothing is written.</summary>
    [JsonRpcMethod(RpcMethods.PreferencesSet, UseSingleObjectParameterDeserialization = true)]
    Task<PreferencesResult> SetAsync(PreferencesSetParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
