using System.Text.Json.Nodes;
using FlowAkka.Protocol;
using Xunit;

namespace FlowAkka.Protocol.Tests;

public class ActionParametersSpecs
{
    private static Reply? Check(string action, JsonObject parameters) => ActionParameters.Check(new ActionRequest("r", action, parameters));

    public static TheoryData<string, string[]> Signatures => new()
    {
        { "ping", [] },
        { "get_available_queries", [] },
        { "get_query_schemas", [] },
        { "get_available_dates", [] },
        { "list_qa_checks", [] },
        { "poll_query", ["query_id"] },
        { "get_query_kind", ["query_id"] },
        { "get_query_params", ["query_id"] },
        { "get_sql_for_query_result", ["query_id"] },
        { "get_geo_sql_for_query_result", ["query_id"] },
        { "cancel_query", ["query_id"] },
        { "reset_query", ["query_id"] },
        { "get_geography", ["aggregation_unit"] },
        { "get_qa_checks", ["start_date", "end_date", "cdr_type", "check_type"] },
    };

    private static JsonObject With(IEnumerable<string> keys)
    {
        var o = new JsonObject();
        foreach (var k in keys)
            o[k] = "v";
        return o;
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Exactly_the_keyword_arguments_pass(string action, string[] keys)
    {
        Assert.Null(Check(action, With(keys)));
        Assert.Equal(keys, ActionParameters.KeywordsOf(action));
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void An_extra_key_is_a_wrong_arguments_error(string action, string[] keys)
    {
        var reply = Check(action, With(keys.Append("extra")));
        Assert.NotNull(reply);
        Assert.Equal($"Internal flowmachine server error: wrong arguments passed to handler for action '{action}'.", reply.Msg);
        Assert.Empty(reply.Payload);
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void A_missing_key_is_a_wrong_arguments_error(string action, string[] keys)
    {
        if (keys.Length == 0)
            return; // nothing to leave out
        var reply = Check(action, With(keys.Skip(1)));
        Assert.Equal($"Internal flowmachine server error: wrong arguments passed to handler for action '{action}'.", reply?.Msg);
    }

    [Theory]
    [InlineData("run_query")]
    [InlineData("get_aggregation_unit")]
    public void Spec_actions_take_any_keys(string action)
    {
        Assert.Null(Check(action, new JsonObject()));
        Assert.Null(Check(action, new JsonObject { ["query_kind"] = "x", ["anything"] = new JsonArray(1) }));
        Assert.Null(ActionParameters.KeywordsOf(action));
    }

    [Fact]
    public void A_non_string_query_id_is_a_wrong_arguments_error()
    {
        Assert.NotNull(Check("poll_query", new JsonObject { ["query_id"] = 5 }));
        Assert.NotNull(Check("poll_query", new JsonObject { ["query_id"] = null }));
        Assert.Null(Check("poll_query", new JsonObject { ["query_id"] = "abc" }));
        Assert.Equal("abc", ActionParameters.QueryId(new ActionRequest("r", "poll_query", new JsonObject { ["query_id"] = "abc" })));
    }

    [Fact]
    public void Every_action_has_a_signature() =>
        Assert.All(ActionNames.All, a => ActionParameters.KeywordsOf(a));
}
