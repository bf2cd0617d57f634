using MLTrack.Core.Git;

namespace MLTrack.Core.Tests.Git;

public sealed class RemoteUrlTests
{
    [Theory]
    [InlineData("https://alice:ghp_token@github.com/alice/exp.git", "https://github.com/alice/exp.git")]
    [InlineData("https://ghp_token@github.com/alice/exp.git", "https://github.com/alice/exp.git")]
    [InlineData("http://user:pw@git.local:8080/r.git", "http://git.local:8080/r.git")]
    [InlineData("HTTPS://user:pw@Example.com/Repo.git", "HTTPS://Example.com/Repo.git")]
    [InlineData("https://user:p@ss@host.com/x.git", "https://host.com/x.git")]
    public void HttpUrls_LoseUserAndPassword(string url, string expected) =>
        Assert.Equal(expected, RemoteUrl.StripCredentials(url));

    [Theory]
    [InlineData("ssh://git:secret@host.com/x.git", "ssh://git@host.com/x.git")]
    [InlineData("ssh://git:secret@host.com:2222/x.git", "ssh://git@host.com:2222/x.git")]
    [InlineData("git+ssh://bob:pw@host.com/x.git", "git+ssh://bob@host.com/x.git")]
    [InlineData("ssh://:pw@host.com/x.git", "ssh://host.com/x.git")]
    public void OtherUrls_KeepTheUserButLoseThePassword(string url, string expected) =>
        Assert.Equal(expected, RemoteUrl.StripCredentials(url));

    [Theory]
    [InlineData("https://github.com/alice/exp.git")]
    [InlineData("ssh://git@host.com:2222/x.git")]
    [InlineData("git@github.com:alice/exp.git")]
    [InlineData("/srv/git/exp.git")]
    [InlineData("file:///srv/git/exp.git")]
    [InlineData("https://host.com/path/with@at.git")]
    [InlineData("")]
    public void UrlsWithoutCredentials_AreUnchanged(string url) =>
        Assert.Equal(url, RemoteUrl.StripCredentials(url));

    [Fact]
    public void NullUrl_StaysNull() => Assert.Null(RemoteUrl.StripCredentials(null));
}
