using MLTrack.Core.Preferences;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>preferences/*, over <see cref="PreferencesService"/>; changes are announced with <c>preferences/changed</c>.</summary>
public sealed class PreferencesRpc(RpcSession session, Func<string, object, Task> notify) : IPreferencesRpc
{
    public Task<PreferencesResult> GetAsync(PreferencesGetParams? request = null, CancellationToken cancellationToken = default)
    {
        var user = UserOf(request?.User);
        return Task.FromResult(new PreferencesResult(user, session.Root.Preferences().Get(user)));
    }

    public async Task<PreferencesResult> SetAsync(PreferencesSetParams request, CancellationToken cancellationToken)
    {
        var values = request?.Values ?? throw new ArgumentException("Missing 'values': an object of the preferences to change.");
        var user = UserOf(request.User);
        var result = new PreferencesResult(user, session.Root.Preferences().Set(user, values));
        await notify(RpcMethods.PreferencesChanged, result).ConfigureAwait(false);
        return result;
    }

    private static string UserOf(string? user) => string.IsNullOrWhiteSpace(user) ? PreferencesService.DefaultUser : user.Trim();
}
