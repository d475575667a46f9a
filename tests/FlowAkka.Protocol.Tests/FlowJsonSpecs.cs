using FlowAkka.Protocol.Json;
using Xunit;

namespace FlowAkka.Protocol.Tests;

public class FlowJsonSpecs
{
    [Theory]
    [InlineData("""{"a":[1,{"b":null}],"c":"\u00e9\n","d":true,"e":{}}""")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("-1.5e-3")]
    public void Compact_output_reproduces_compact_input(string json)
    {
        var expected = json.Replace("\\u00e9", "\\u00E9");
        Assert.Equal(expected, FlowJsonWriter.ToCompactString(FlowJsonReader.Parse(json, 64)));
    }

    [Fact]
    public void Surrogate_escapes_form_the_character()
    {
        Assert.Equal("😀", FlowJsonReader.Parse("\"\\ud83d\\ude00\"", 64)!.GetValue<string>());
    }

    [Fact]
    public void Bad_unicode_escapes_are_decode_errors()
    {
        var e = Assert.Throws<JsonDecodeException>(() => FlowJsonReader.Parse("\"\\u12G4\"", 64));
        Assert.StartsWith("Invalid \\uXXXX escape", e.Message);
    }

    [Fact]
    public void Python_textwrap_indent_skips_blank_lines() =>
        Assert.Equal("  a\n\n  b", FlowJsonWriter.IndentLines("a\n\nb", "  "));
}
