using System.Text;
using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using Xunit;

namespace FlowAkka.Protocol.Tests;

public class ReplySpecs
{
    private static string Wire(Reply reply) => Encoding.UTF8.GetString(reply.ToUtf8Bytes());

    [Fact]
    public void Keys_are_written_status_msg_payload_in_that_order()
    {
        var payload = new JsonObject { ["z"] = 1, ["a"] = new JsonArray("x", null, true) };
        Assert.Equal("""{"status":"success","msg":"","payload":{"z":1,"a":["x",null,true]}}""", Wire(Reply.Success(payload)));
    }

    [Fact]
    public void Pong_is_FlowKits_ping_answer() =>
        Assert.Equal("""{"status":"success","msg":"pong","payload":{}}""", Wire(Reply.Pong()));

    [Fact]
    public void Awol_names_the_id_twice() =>
        Assert.Equal("""{"status":"error","msg":"Unknown query id: 'abc'","payload":{"query_id":"abc","query_state":"awol"}}""", Wire(Reply.Awol("abc")));

    [Fact]
    public void Wrong_arguments_has_an_empty_payload() =>
        Assert.Equal("""{"status":"error","msg":"Internal flowmachine server error: wrong arguments passed to handler for action 'poll_query'.","payload":{}}""",
            Wire(Reply.WrongArguments("poll_query")));

    [Fact]
    public void Could_not_get_reply_and_server_busy_texts()
    {
        Assert.Equal("""{"status":"error","msg":"Could not get reply for message","payload":{}}""", Wire(Reply.CouldNotGetReply()));
        Assert.Equal("""{"status":"error","msg":"Server busy: too many requests in flight.","payload":{}}""", Wire(Reply.ServerBusy()));
        Assert.Equal("""{"status":"error","msg":"Internal flowmachine server error: handler for action 'ping' returned an invalid reply.","payload":{}}""",
            Wire(Reply.InvalidHandlerReply("ping")));
    }

    [Fact]
    public void Invalid_JSON_carries_the_decode_error() =>
        Assert.Equal("""{"status":"error","msg":"Invalid JSON.","payload":{"decode_error":"Expecting value: line 1 column 1 (char 0)"}}""",
            Wire(Reply.InvalidJson("Expecting value: line 1 column 1 (char 0)")));

    [Theory]
    [InlineData(QueryState.Known, "is known, but has not yet been run", "known")]
    [InlineData(QueryState.Queued, "is queued", "queued")]
    [InlineData(QueryState.Executing, "is currently running", "executing")]
    [InlineData(QueryState.Completed, "is ready", "completed")]
    [InlineData(QueryState.Errored, "finished with an error", "errored")]
    [InlineData(QueryState.Cancelled, "was cancelled", "cancelled")]
    [InlineData(QueryState.Resetting, "is being reset", "resetting")]
    [InlineData(QueryState.ResetFailed, "error during reset", "reset_failed")]
    public void Query_not_ready_uses_the_state_description(QueryState state, string description, string wire)
    {
        Assert.Equal($$$"""{"status":"error","msg":"Query with id 'q1' {{{description}}}.","payload":{"query_id":"q1","query_state":"{{{wire}}}"}}""",
            Wire(Reply.QueryNotReady("q1", state)));
    }

    [Fact]
    public void No_geojson_representation_reports_errored() =>
        Assert.Equal("""{"status":"error","msg":"Query with id 'q1' has no geojson compatible representation.","payload":{"query_id":"q1","query_state":"errored"}}""",
            Wire(Reply.NoGeoJsonRepresentation("q1")));

    [Fact]
    public void Parameter_validation_failed_indents_both_documents_like_Python()
    {
        var spec = new JsonObject
        {
            ["query_kind"] = "daily_location",
            ["date"] = "2016-13-01",
            ["sub"] = new JsonObject(),
            ["list"] = new JsonArray(1, "é"),
        };
        var messages = new JsonObject { ["date"] = new JsonArray("Not a valid date.") };
        var reply = Reply.ParameterValidationFailed(spec, messages);
        const string expected =
            "Parameter validation failed.\n\n" +
            "The action parameters were:\n" +
            "   {\n" +
            "     \"query_kind\": \"daily_location\",\n" +
            "     \"date\": \"2016-13-01\",\n" +
            "     \"sub\": {},\n" +
            "     \"list\": [\n" +
            "       1,\n" +
            "       \"\\u00e9\"\n" +
            "     ]\n" +
            "   }.\n\n" +
            "Validation error messages:\n" +
            "   {\n" +
            "     \"date\": [\n" +
            "       \"Not a valid date.\"\n" +
            "     ]\n" +
            "   }.\n\n";
        Assert.Equal(expected, reply.Msg);
        Assert.Equal("""{"validation_error_messages":{"date":["Not a valid date."]}}""", Json.FlowJsonWriter.ToCompactString(reply.Payload));
        // The caller's nodes stay usable: nothing was moved out of them.
        Assert.Null(spec.Parent);
    }

    [Fact]
    public void A_payload_owned_by_another_node_is_copied_not_stolen()
    {
        var parent = new JsonObject { ["inner"] = new JsonObject { ["k"] = "v" } };
        var reply = Reply.Success(parent["inner"]!.AsObject());
        Assert.Equal("""{"status":"success","msg":"","payload":{"k":"v"}}""", Wire(reply));
        Assert.NotNull(parent["inner"]);
        // Serialising twice gives the same bytes (the payload is not moved into the envelope).
        Assert.Equal(Wire(reply), Wire(reply));
    }

    [Fact]
    public void Non_ASCII_and_control_characters_are_escaped_so_the_wire_is_ASCII()
    {
        var bytes = Reply.Error("é\u0001\"\\\n", new JsonObject { ["k"] = "\ud83d\ude00\ud800" }).ToUtf8Bytes();
        Assert.All(bytes, b => Assert.True(b < 0x80));
        Assert.Equal("""{"status":"error","msg":"\u00E9\u0001\"\\\n","payload":{"k":"\uD83D\uDE00\uD800"}}""", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Replies_parse_back()
    {
        var original = Reply.QueryNotReady("q", QueryState.Queued);
        var parsed = Reply.Parse(original.ToUtf8Bytes());
        Assert.Equal(original.Status, parsed.Status);
        Assert.Equal(original.Msg, parsed.Msg);
        Assert.True(JsonNode.DeepEquals(original.Payload, parsed.Payload));
    }

    [Fact]
    public void Load_errors_keep_FlowKits_texts()
    {
        var spec = new JsonObject { ["query_kind"] = "x" };
        Assert.Equal("""{"status":"error","msg":"Internal flowmachine server error: could not create query object using query schema. The original error was: 'boom'","payload":{"params":{"query_kind":"x"},"orig_error_msg":"boom"}}""",
            Wire(Reply.CouldNotCreateQueryObject(spec, "boom")));
        Assert.Equal("""{"status":"error","msg":"Unable to create query object.","payload":{"exception":"e"}}""", Wire(Reply.UnableToCreateQueryObject("e")));
        Assert.Equal("""{"status":"error","msg":"Parameter validation failed.","payload":{"aggregation_unit":["Must be one of: admin0."]}}""",
            Wire(Reply.GeographyValidationFailed(new JsonObject { ["aggregation_unit"] = new JsonArray("Must be one of: admin0.") })));
    }

    [Fact]
    public void Numbers_NaN_become_null_rather_than_failing_a_reply()
    {
        Assert.Equal("""{"status":"success","msg":"","payload":{"a":null,"b":2.5,"c":3}}""",
            Wire(Reply.Success(new JsonObject { ["a"] = double.NaN, ["b"] = 2.5, ["c"] = 3L })));
    }
}
