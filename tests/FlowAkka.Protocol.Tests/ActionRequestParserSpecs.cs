using System.Text;
using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using Xunit;

namespace FlowAkka.Protocol.Tests;

public class ActionRequestParserSpecs
{
    private static ActionRequestParseResult Parse(string body) => ActionRequestParser.Parse(Encoding.UTF8.GetBytes(body), ProtocolLimits.Default);

    private static string ErrorJson(string body)
    {
        var result = Parse(body);
        Assert.False(result.IsValid);
        return result.Error.ToString();
    }

    private const string AllActions =
        "ping, get_available_queries, get_query_schemas, run_query, poll_query, get_query_kind, get_query_params, " +
        "get_sql_for_query_result, get_geo_sql_for_query_result, get_geography, get_available_dates, " +
        "get_aggregation_unit, list_qa_checks, get_qa_checks, cancel_query, reset_query";

    [Fact]
    public void A_valid_envelope_gives_the_request_with_its_params()
    {
        var result = Parse("""{"request_id":"r1","action":"poll_query","params":{"query_id":"abc"}}""");
        Assert.True(result.IsValid);
        Assert.Equal("r1", result.Request.RequestId);
        Assert.Equal("poll_query", result.Request.Action);
        Assert.Equal("abc", result.Request.Params["query_id"]!.GetValue<string>());
        Assert.Null(result.Request.Params.Parent);
    }

    [Fact]
    public void Missing_params_default_to_an_empty_object()
    {
        var result = Parse("""{"request_id":"r1","action":"ping"}""");
        Assert.True(result.IsValid);
        Assert.Empty(result.Request.Params);
    }

    [Fact]
    public void An_unknown_action_lists_every_action_in_FlowKit_order()
    {
        Assert.Equal(
            $$$"""{"status":"error","msg":"Invalid action request.","payload":{"action":["Must be one of: {{{AllActions}}}."]}}""",
            ErrorJson("""{"request_id":"r1","action":"nope"}"""));
    }

    [Fact]
    public void A_missing_action_and_an_unknown_key_are_both_reported_like_marshmallow()
    {
        Assert.Equal(
            """{"status":"error","msg":"Invalid action request.","payload":{"action":["Missing data for required field."],"foo":["Unknown field."]}}""",
            ErrorJson("""{"request_id":"r1","foo":"bar"}"""));
    }

    [Fact]
    public void A_missing_request_id_is_reported()
    {
        Assert.Equal(
            """{"status":"error","msg":"Invalid action request.","payload":{"request_id":["Missing data for required field."]}}""",
            ErrorJson("""{"action":"ping"}"""));
    }

    [Theory]
    [InlineData("""{"request_id":5,"action":"ping"}""", """{"request_id":["Not a valid string."]}""")]
    [InlineData("""{"request_id":"r","action":["ping"]}""", """{"action":["Not a valid string."]}""")]
    [InlineData("""{"request_id":null,"action":null}""", """{"action":["Field may not be null."],"request_id":["Field may not be null."]}""")]
    [InlineData("""{"request_id":"r","action":"ping","params":[1]}""", """{"params":["Not a valid mapping type."]}""")]
    [InlineData("""{"request_id":"r","action":"ping","params":"x"}""", """{"params":["Not a valid mapping type."]}""")]
    [InlineData("""{"request_id":"r","action":"ping","params":null}""", """{"params":["Field may not be null."]}""")]
    [InlineData("""{"params":{},"zzz":1,"aaa":2}""", """{"action":["Missing data for required field."],"request_id":["Missing data for required field."],"zzz":["Unknown field."],"aaa":["Unknown field."]}""")]
    public void Wrong_types_give_marshmallow_messages_in_field_order(string body, string payload)
    {
        Assert.Equal($$$"""{"status":"error","msg":"Invalid action request.","payload":{{{payload}}}}""", ErrorJson(body));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"ping\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_body_that_is_JSON_but_not_an_object_is_an_invalid_input_type(string body)
    {
        Assert.Equal("""{"status":"error","msg":"Invalid action request.","payload":{"_schema":["Invalid input type."]}}""", ErrorJson(body));
    }

    [Theory]
    [InlineData("", "Expecting value: line 1 column 1 (char 0)")]
    [InlineData("   ", "Expecting value: line 1 column 4 (char 3)")]
    [InlineData("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)")]
    [InlineData("{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)")]
    [InlineData("{\"a\":}", "Expecting value: line 1 column 6 (char 5)")]
    [InlineData("{}x", "Extra data: line 1 column 3 (char 2)")]
    [InlineData("{\"a\":\"b", "Unterminated string starting at: line 1 column 6 (char 5)")]
    [InlineData("{\n\"a\":\n tru}", "Expecting value: line 3 column 2 (char 8)")]
    [InlineData("{\"a\":\"x\ty\"}", "Invalid control character at: line 1 column 8 (char 7)")]
    [InlineData("{\"a\":\"\\q\"}", "Invalid \\escape: line 1 column 7 (char 6)")]
    [InlineData("[1,]", "Expecting value: line 1 column 4 (char 3)")]
    [InlineData("{\"a\":NaN}", "Expecting value: line 1 column 6 (char 5)")]
    [InlineData("{\"a\":01}", "Expecting ',' delimiter: line 1 column 7 (char 6)")]
    public void Invalid_JSON_reports_Python_decode_error_texts(string body, string decodeError)
    {
        var error = Parse(body).Error!;
        Assert.Equal("Invalid JSON.", error.Msg);
        Assert.Equal(ReplyStatus.Error, error.Status);
        Assert.Equal(decodeError, error.Payload["decode_error"]!.GetValue<string>());
        Assert.Single(error.Payload);
    }

    [Fact]
    public void Invalid_UTF8_is_an_invalid_JSON_reply_with_Pythons_codec_text()
    {
        var body = new byte[] { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)'}' };
        var error = ActionRequestParser.Parse(body, ProtocolLimits.Default).Error!;
        Assert.Equal("Invalid JSON.", error.Msg);
        Assert.Equal("'utf-8' codec can't decode byte 0xff in position 2: invalid start byte", error.Payload["decode_error"]!.GetValue<string>());

        var truncated = ActionRequestParser.Parse(new byte[] { (byte)'"', 0xE2, 0x82 }, ProtocolLimits.Default).Error!;
        Assert.Equal("'utf-8' codec can't decode byte 0xe2 in position 1: unexpected end of data", truncated.Payload["decode_error"]!.GetValue<string>());

        var badContinuation = ActionRequestParser.Parse(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' }, ProtocolLimits.Default).Error!;
        Assert.Equal("'utf-8' codec can't decode byte 0xc3 in position 1: invalid continuation byte", badContinuation.Payload["decode_error"]!.GetValue<string>());
    }

    [Fact]
    public void A_UTF8_BOM_is_skipped_and_non_ASCII_text_survives()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"request_id":"é😀\u00e9","action":"ping"}""")).ToArray();
        var result = ActionRequestParser.Parse(body, ProtocolLimits.Default);
        Assert.True(result.IsValid);
        Assert.Equal("é😀é", result.Request.RequestId);
    }

    [Fact]
    public void A_body_one_byte_over_the_limit_is_rejected_before_parsing()
    {
        var limits = ProtocolLimits.Default;
        var filler = new string('a', limits.MaxBodyBytes);
        var body = Encoding.UTF8.GetBytes($$"""{"request_id":"{{filler}}","action":"ping"}""")[..(limits.MaxBodyBytes + 1)];
        var error = ActionRequestParser.Parse(body, limits).Error!;
        Assert.Equal("Invalid action request.", error.Msg);
        Assert.Equal("Request body of 1048577 bytes exceeds the limit of 1048576 bytes.", error.Payload["_schema"]![0]!.GetValue<string>());

        var exactly = Encoding.UTF8.GetBytes($$"""{"request_id":"{{new string('a', limits.MaxBodyBytes - 33)}}","action":"ping"}""");
        Assert.Equal(limits.MaxBodyBytes, exactly.Length);
        Assert.True(ActionRequestParser.Parse(exactly, limits).IsValid);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_invalid_JSON_and_the_limit_itself_is_fine()
    {
        string Nested(int depthOfParams) =>
            """{"request_id":"r","action":"run_query","params":""" + string.Concat(Enumerable.Repeat("{\"a\":", depthOfParams - 1)) +
            "[]" + string.Concat(Enumerable.Repeat("}", depthOfParams - 1)) + "}";
        // envelope (1) + params chain: depth 64 in total is accepted, 65 is not.
        Assert.Null(Parse(Nested(63)).Error?.ToString());
        var error = Parse(Nested(64)).Error!;
        Assert.Equal("Invalid JSON.", error.Msg);
        Assert.StartsWith("Maximum nesting depth of 64 exceeded: line 1 column ", error.Payload["decode_error"]!.GetValue<string>());

        // Far deeper than any stack would allow without the limit.
        Assert.Equal("Invalid JSON.", Parse(new string('[', 1_000_000)).Error!.Msg);
    }

    [Fact]
    public void Duplicate_keys_keep_the_last_value_like_a_Python_dict()
    {
        var result = Parse("""{"request_id":"a","action":"ping","request_id":"b","params":{"x":1,"x":2}}""");
        Assert.True(result.IsValid);
        Assert.Equal("b", result.Request.RequestId);
        Assert.Equal(2, result.Request.Params["x"]!.GetValue<int>());
    }

    [Fact]
    public void Numbers_keep_their_exact_text_and_convert_on_read()
    {
        var result = Parse("""{"request_id":"r","action":"run_query","params":{"a":1.50,"b":-0,"c":12345678901234567890123,"d":1E+2,"e":7}}""");
        Assert.True(result.IsValid);
        var p = result.Request.Params;
        Assert.Equal("""{"a":1.50,"b":-0,"c":12345678901234567890123,"d":1E+2,"e":7}""", Json.FlowJsonWriter.ToCompactString(p));
        Assert.Equal(7, p["e"]!.GetValue<int>());
        Assert.Equal(1.5, p["a"]!.GetValue<double>());
    }

    [Fact]
    public void A_request_round_trips_through_its_own_bytes()
    {
        var request = new ActionRequest("r9", "run_query", new JsonObject { ["query_kind"] = "dummy", ["n"] = 3 });
        var parsed = ActionRequestParser.Parse(request.ToUtf8Bytes(), ProtocolLimits.Default);
        Assert.True(parsed.IsValid);
        Assert.Equal("r9", parsed.Request.RequestId);
        Assert.True(JsonNode.DeepEquals(request.Params, parsed.Request.Params));
    }
}
