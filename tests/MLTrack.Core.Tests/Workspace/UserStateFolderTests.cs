using MLTrack.Core.Workspace;

namespace MLTrack.Core.Tests.Workspace;

public sealed class UserStateFolderTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void It_is_mltrack_under_XDG_STATE_HOME_when_that_is_set()
    {
        if (OperatingSystem.IsWindows()) return; // LocalApplicationData there
        Assert.Equal("/srv/state/mltrack", UserStateFolder.Resolve(Env(("XDG_STATE_HOME", "/srv/state"), ("HOME", "/home/u"))));
    }

    [Fact]
    public void It_is_the_XDG_default_under_home_without_XDG_STATE_HOME()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal("/home/u/.local/state/mltrack", UserStateFolder.Resolve(Env(("HOME", "/home/u"))));
    }

    [Fact]
    public void A_relative_XDG_STATE_HOME_is_ignored_as_the_spec_says()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal("/home/u/.local/state/mltrack", UserStateFolder.Resolve(Env(("XDG_STATE_HOME", "state"), ("HOME", "/home/u"))));
    }
}
