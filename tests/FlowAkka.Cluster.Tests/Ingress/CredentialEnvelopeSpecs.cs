using System.Text;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;
using Xunit;

namespace FlowAkka.Cluster.Tests.Ingress;

public class CredentialEnvelopeSpecs
{
    private static CredentialEnvelope Parse(string body) => CredentialEnvelope.Parse(Encoding.UTF8.GetBytes(body), ProtocolLimits.Default);

    [Fact]
    public void The_auth_member_is_lifted_out_and_the_rest_is_a_valid_request()
    {
        var envelope = Parse("""{"request_id":"r1","auth":{"client":"a"},"action":"poll_query","params":{"query_id":"q"}}""");
        Assert.True(envelope.HasCredential);
        Assert.Equal("""{"client":"a"}""", envelope.Credential!.ToJsonString());
        Assert.True(envelope.Parsed.IsValid);
        Assert.Equal(new ActionRequest("r1", "poll_query", envelope.Parsed.Request!.Params), envelope.Parsed.Request);
        Assert.Equal("q", envelope.Parsed.Request!.Params["query_id"]!.GetValue<string>());
    }

    [Fact]
    public void A_body_without_auth_parses_exactly_as_before()
    {
        var envelope = Parse("""{"request_id":"r1","action":"ping"}""");
        Assert.False(envelope.HasCredential);
        Assert.Null(envelope.Credential);
        Assert.Equal(("r1", "ping", 0), (envelope.Parsed.Request!.RequestId, envelope.Parsed.Request.Action, envelope.Parsed.Request.Params.Count));
    }

    [Fact]
    public void Other_unknown_top_level_keys_are_still_refused_with_FlowKit_text()
    {
        var envelope = Parse("""{"request_id":"r1","action":"ping","auth":null,"foo":1}""");
        Assert.True(envelope.HasCredential);
        Assert.False(envelope.Parsed.IsValid);
        Assert.Equal("""{"status":"error","msg":"Invalid action request.","payload":{"foo":["Unknown field."]}}""", envelope.Parsed.Error!.ToString());
    }

    [Fact]
    public void An_auth_key_spelt_with_escapes_is_the_same_key_as_for_Python()
    {
        var envelope = Parse("""{"request_id":"r1","action":"ping","\u0061uth":{"client":"a"}}""");
        Assert.True(envelope.HasCredential);
        Assert.True(envelope.Parsed.IsValid);
    }

    [Fact]
    public void An_auth_inside_params_is_not_a_credential()
    {
        var envelope = Parse("""{"request_id":"r1","action":"run_query","params":{"query_kind":"x","auth":"y"}}""");
        Assert.False(envelope.HasCredential);
        Assert.Equal("y", envelope.Parsed.Request!.Params["auth"]!.GetValue<string>());
    }

    [Fact]
    public void Invalid_JSON_gets_the_parser_decode_error_even_when_auth_appears()
    {
        var envelope = Parse("""{"auth": {""");
        Assert.False(envelope.Parsed.IsValid);
        Assert.Equal(Reply.InvalidJsonMsg, envelope.Parsed.Error!.Msg);
        Assert.Equal(Reply.InvalidJson("Expecting property name enclosed in double quotes: line 1 column 11 (char 10)").ToString(), envelope.Parsed.Error.ToString());
    }

    [Fact]
    public void The_size_limit_applies_to_the_body_as_sent()
    {
        var limits = new ProtocolLimits(MaxBodyBytes: 200);
        // 60 non-ASCII characters: 120 bytes as sent, 360 once re-written with \u escapes.
        var body = "{\"request_id\":\"r1\",\"action\":\"run_query\",\"auth\":{},\"params\":{\"q\":\"" + new string('é', 60) + "\"}}";
        Assert.True(Encoding.UTF8.GetByteCount(body) <= 200);
        Assert.True(CredentialEnvelope.Parse(Encoding.UTF8.GetBytes(body), limits).Parsed.IsValid);
        var tooLarge = CredentialEnvelope.Parse(Encoding.UTF8.GetBytes(body + new string(' ', 100)), limits);
        Assert.Contains("exceeds the limit of 200 bytes", tooLarge.Parsed.Error!.ToString());
    }
}
