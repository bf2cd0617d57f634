namespace MLTrack.Core.Deploy;

/// <summary>A Modal token (from VS Code SecretStorage): handed to the <c>modal</c> process in its environment only,
/// never written to a file, a log or the store. Without it the backend's own MODAL_TOKEN_ID/MODAL_TOKEN_SECRET pass through.</summary>
public sealed record ModalCredentials(string TokenId, string TokenSecret)
{
    public override string ToString() => "ModalCredentials { TokenId = ***, TokenSecret = *** }";
}
