using MLTrack.Core.Names;

namespace MLTrack.Core.Tests.Names;

public sealed class NameRulesTests
{
    public static TheoryData<string, string> InvisibleCharacters => new()
    {
        { "\n", "U+000A LINE FEED (newline)" },
        { "\t", "U+0009 CHARACTER TABULATION (tab)" },
        { "\r", "U+000D CARRIAGE RETURN" },
        { "\0", "U+0000 NULL" },
        { "\u001B", "U+001B ESCAPE" },
        { "\u007F", "U+007F DELETE" },
        { "\u0085", "U+0085 NEXT LINE" },
        { "\u00AD", "U+00AD SOFT HYPHEN" },
        { "\u200B", "U+200B ZERO WIDTH SPACE" },
        { "\u200D", "U+200D ZERO WIDTH JOINER" },
        { "\u200F", "U+200F RIGHT-TO-LEFT MARK" },
        { "\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE" },
        { "\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE" },
        { "\u2028", "U+2028 LINE SEPARATOR" },
        { "\u2029", "U+2029 PARAGRAPH SEPARATOR" },
        { "\uFEFF", "U+FEFF ZERO WIDTH NO-BREAK SPACE" },
        { "\U000E0041", "U+E0041 TAG A (invisible)" },
    };

    [Theory]
    [MemberData(nameof(InvisibleCharacters))]
    public void A_key_with_a_control_or_invisible_character_is_refused_naming_it_and_its_position(string c, string name)
    {
        var problem = NameRules.KeyProblem("ab" + c + "cd");

        Assert.NotNull(problem);
        Assert.Contains($"{name} at position 2", problem);
    }

    [Theory]
    [MemberData(nameof(InvisibleCharacters))]
    public void A_name_with_a_control_or_invisible_character_is_refused_naming_it_and_its_position(string c, string name)
    {
        var problem = NameRules.NameProblem("run " + c);

        Assert.NotNull(problem);
        Assert.Contains($"{name} at position 4", problem);
    }

    [Theory]
    [InlineData("می\u200Cخواهم")]            // Persian: a zero-width non-joiner inside a word
    [InlineData("team \U0001F469\u200D\U0001F4BB")] // an emoji ZWJ sequence
    public void A_name_may_hold_a_joiner_between_two_visible_characters(string name) => Assert.Null(NameRules.NameProblem(name));

    [Fact]
    public void A_joiner_beside_a_space_is_refused_in_a_name() => Assert.NotNull(NameRules.NameProblem("run \u200D x"));

    // mlflow/utils/validation.py's own test lists, the colon MLflow allows since 2.16, and letters and digits of any script.
    [Theory]
    [InlineData("a")]
    [InlineData("Ab-5_")]
    [InlineData("a/b/c")]
    [InlineData("a.b.c")]
    [InlineData(".a")]
    [InlineData("b.")]
    [InlineData("a..a/._./o_O/.e.")]
    [InlineData("a b/c d")]
    [InlineData("n:estimators")]
    [InlineData("损失/训练")]
    [InlineData("café")]
    [InlineData("mlflow.runName")]
    public void Mlflows_valid_key_names_are_accepted(string key) => Assert.Null(NameRules.KeyProblem(key));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("..a")]
    [InlineData("//")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("\\")]
    [InlineData("a@b")]
    [InlineData("MAP@k")]
    [InlineData("loss(val)")]
    [InlineData("a\u00A0b")]
    [InlineData("cafe\u0301")]
    public void Mlflows_invalid_key_names_are_refused(string key) => Assert.NotNull(NameRules.KeyProblem(key));

    [Fact]
    public void A_path_like_key_that_resolves_elsewhere_names_what_it_resolves_to()
    {
        Assert.Contains("would resolve to 'a/b'", NameRules.KeyProblem("a/./b"));
    }

    [Fact]
    public void A_key_over_250_characters_is_refused_naming_the_limit()
    {
        Assert.Null(NameRules.KeyProblem(new string('k', 250)));
        Assert.Contains("length limit of 250", NameRules.KeyProblem(new string('k', 251)));
    }

    [Fact]
    public void Positions_and_lengths_count_characters_not_utf16_units()
    {
        Assert.Contains("at position 2", NameRules.KeyProblem("𝒜𝒜\n"));
        Assert.Null(NameRules.KeyProblem(string.Concat(Enumerable.Repeat("𝒜", 250))));
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused_in_keys_and_names()
    {
        Assert.Contains("U+D800", NameRules.KeyProblem("a\uD800"));
        Assert.Contains("U+D800", NameRules.NameProblem("a\uD800"));
    }

    [Theory]
    [InlineData("a <b> & [c](d) *e* | f $1 ==g==")]
    [InlineData("训练 run ☕")]
    [InlineData("two  spaces\u00A0and a no-break space")]
    public void Names_may_hold_any_visible_text(string name) => Assert.Null(NameRules.NameProblem(name));

    [Fact]
    public void The_refused_key_is_quoted_with_its_invisible_characters_escaped()
    {
        var e = Assert.Throws<InvalidNameException>(() => NameRules.CheckKey("loss\u202E\n", "metric"));

        Assert.StartsWith("Invalid metric key 'loss\\u202E\\n': U+202E RIGHT-TO-LEFT OVERRIDE at position 4", e.Message);
        Assert.DoesNotContain("\u202E", e.Message);
    }

    [Fact]
    public void A_derived_name_has_each_invisible_character_replaced()
    {
        Assert.Equal("train?gnp", NameRules.ReplaceInvisible("train\u202Egnp"));
        Assert.Equal("plain", NameRules.ReplaceInvisible("plain"));
    }
}
