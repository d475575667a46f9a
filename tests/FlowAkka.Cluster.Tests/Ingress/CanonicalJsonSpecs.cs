using System.Text;
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol.Json;
using Xunit;

namespace FlowAkka.Cluster.Tests.Ingress;

public class CanonicalJsonSpecs
{
    // Input and expected output were produced by /usr/bin/python3:
    // json.dumps(json.loads(Input), sort_keys=True, separators=(",", ":")).
    private const string Input = """{"z":1,"a":{"y":true,"b":null},"f":[1.0,1e20,1e16,1e15,0.0001,0.00001,-0.0,123.456,1.5e-7,2.5E+3,-0,12345678901234567890123],"\u00e9":"\u00fc\ud83d\ude00\u007f/\"\\\n","\ue000":1,"\ud83d\ude00":2}""";

    private const string Python = """{"a":{"b":null,"y":true},"f":[1.0,1e+20,1e+16,1000000000000000.0,0.0001,1e-05,-0.0,123.456,1.5e-07,2500.0,0,12345678901234567890123],"z":1,"\u00e9":"\u00fc\ud83d\ude00\u007f/\"\\\n","\ue000":1,"\ud83d\ude00":2}""";

    [Fact]
    public void Parsed_params_come_out_exactly_as_Python_json_dumps_with_sorted_keys_writes_them()
    {
        var parsed = FlowJsonReader.Parse(Encoding.UTF8.GetBytes(Input), 64);
        Assert.Equal(Python, CanonicalJson.Write(parsed));
    }

    [Fact]
    public void Keys_beyond_the_basic_plane_sort_after_private_use_characters_as_Python_code_points_do()
    {
        Assert.True(string.CompareOrdinal("\ud83d\ude00", "\ue000") < 0); // UTF-16 order would put it first
        Assert.True(CanonicalJson.CompareByCodePoint("\ud83d\ude00", "\ue000") > 0);
        Assert.True(CanonicalJson.CompareByCodePoint("a", "ab") < 0);
        Assert.Equal(0, CanonicalJson.CompareByCodePoint("abc", "abc"));
    }

    [Theory]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e16, "1e+16")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(100.0, "100.0")]
    public void Floats_are_written_as_Python_repr(double value, string python) =>
        Assert.Equal(python, CanonicalJson.PythonFloatRepr(value));

    [Fact]
    public void Values_built_in_code_and_values_parsed_from_text_give_the_same_text()
    {
        var built = new JsonObject { ["b"] = 2, ["a"] = "x", ["c"] = new JsonArray(true, 1.5) };
        var parsed = FlowJsonReader.Parse("""{"b":2,"a":"x","c":[true,1.5]}""", 64);
        Assert.Equal("""{"a":"x","b":2,"c":[true,1.5]}""", CanonicalJson.Write(built));
        Assert.Equal(CanonicalJson.Write(built), CanonicalJson.Write(parsed));
    }
}
