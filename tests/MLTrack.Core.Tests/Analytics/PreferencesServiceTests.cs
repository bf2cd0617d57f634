using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Preferences;

namespace MLTrack.Core.Tests.Analytics;

public sealed class PreferencesServiceTests : IDisposable
{
    private readonly AnalyticsStoreFixture _f = new();
    private PreferencesService Service => new(_f.Store);

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_user_who_never_chose_gets_the_defaults() => Assert.Equal(UserPreferences.Defaults, Service.Get("ada"));

    [Fact]
    public void Setting_some_fields_keeps_the_others_and_survives_a_new_service()
    {
        Service.Set("ada", new JsonObject { ["chartXAxis"] = "wall", ["chartSmoothing"] = 0.6 });
        Service.Set("ada", new JsonObject { ["tableDensity"] = "compact" });
        var p = Service.Get("ada");
        Assert.Equal(("wall", 0.6, "compact"), (p.ChartXAxis, p.ChartSmoothing, p.TableDensity));
        Assert.Equal(UserPreferences.Defaults.ReportType, p.ReportType);
    }

    [Fact]
    public void Each_user_has_their_own_preferences()
    {
        Service.Set("ada", new JsonObject { ["theme"] = "dark" });
        Assert.Equal("auto", Service.Get("bob").Theme);
    }

    [Theory]
    [InlineData("chartXAxis", "\"sideways\"", "must be one of step, wall, relative")]
    [InlineData("chartSmoothing", "1.5", "from 0 to 0.99")]
    [InlineData("cpuHourUsd", "-1", "0 or more")]
    [InlineData("runColors", "[\"red\", \"url(javascript:x)\"]", "CSS colours")]
    [InlineData("runColors", "[\"#12345\"]", "CSS colours")]
    [InlineData("fontSize", "12", "Unknown preference 'fontSize'")]
    public void A_bad_value_is_refused_by_name_and_nothing_is_written(string key, string json, string expected)
    {
        Service.Set("ada", new JsonObject { ["theme"] = "dark" });
        var e = Assert.Throws<ArgumentException>(() => Service.Set("ada", new JsonObject { ["tableDensity"] = "compact", [key] = JsonNode.Parse(json) }));
        Assert.Contains(expected, e.Message);
        Assert.Equal(("dark", "normal"), (Service.Get("ada").Theme, Service.Get("ada").TableDensity));
    }

    [Fact]
    public void Run_colours_take_css_colours_in_order()
    {
        Service.Set(null, new JsonObject { ["runColors"] = new JsonArray("#ff0000", "rgb(0, 128, 0)", "steelblue") });
        Assert.Equal(["#ff0000", "rgb(0, 128, 0)", "steelblue"], Service.Get(null).RunColors);
    }

    [Fact]
    public void The_defaults_are_the_vscode_settings_defaults()
    {
        // The browser UI (these defaults) and VS Code (package.json's) must start from the same choices.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Deploy.TestPython.RepoRoot, "extension", "package.json")));
        var settings = doc.RootElement.GetProperty("contributes").GetProperty("configuration").GetProperty("properties");
        string Text(string name) => settings.GetProperty(name).GetProperty("default").GetString()!;
        double Number(string name) => settings.GetProperty(name).GetProperty("default").GetDouble();
        var d = UserPreferences.Defaults;
        Assert.Equal(Text("mltrack.notifications"), d.Notifications);
        Assert.Equal(Text("mltrack.chart.xAxis"), d.ChartXAxis);
        Assert.Equal(Number("mltrack.chart.smoothing"), d.ChartSmoothing);
        Assert.Equal(0, settings.GetProperty("mltrack.chart.runColors").GetProperty("default").GetArrayLength());
        Assert.Empty(d.RunColors);
        Assert.Equal(Text("mltrack.table.density"), d.TableDensity);
        Assert.Equal(Text("mltrack.reports.defaultType"), d.ReportType);
        Assert.Equal(Number("mltrack.cost.cpuHourUsd"), d.CpuHourUsd);
        Assert.Equal(Number("mltrack.cost.gpuHourUsd"), d.GpuHourUsd);
    }
}
