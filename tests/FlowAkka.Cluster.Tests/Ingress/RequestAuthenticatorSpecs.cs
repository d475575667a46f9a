using System.Text.Json.Nodes;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;
using FlowAkka.Protocol.Json;
using Xunit;

namespace FlowAkka.Cluster.Tests.Ingress;

public class RequestAuthenticatorSpecs
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] AliceKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] BobKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    private static readonly ClientKeySet Keys = new([new("alice", AliceKey), new("bob", BobKey)]);

    private static ActionRequest Request(string requestId = "r-1") =>
        new(requestId, ActionNames.RunQuery, new JsonObject { ["query_kind"] = "dummy_query", ["dummy_param"] = "x" });

    /// <summary>What the server sees: the signed body as sent, split and parsed like the ingress does.</summary>
    private static (ActionRequest Request, JsonNode? Credential) Received(SignedActionRequest signed)
    {
        var envelope = CredentialEnvelope.Parse(signed.ToUtf8Bytes(), ProtocolLimits.Default);
        Assert.True(envelope.Parsed.IsValid);
        return (envelope.Parsed.Request!, envelope.Credential);
    }

    private static AuthenticationResult Check(RequestAuthenticator authenticator, SignedActionRequest signed, DateTimeOffset? at = null)
    {
        var (request, credential) = Received(signed);
        return authenticator.Authenticate(request, credential, at ?? Now);
    }

    [Fact]
    public void A_request_signed_with_the_client_key_is_authenticated_as_that_client()
    {
        var result = Check(new RequestAuthenticator(Keys), RequestSigner.Sign(Request(), "alice", AliceKey, Now));
        Assert.True(result.IsAuthenticated);
        Assert.Equal("alice", result.ClientId);
    }

    [Fact]
    public void The_mac_is_the_documented_HMAC_SHA256_of_the_canonical_text_as_computed_by_Python()
    {
        // Python: base64(hmac.new(key, "r-1\nrun_query\n1700000000\nnonce-123\n" + json.dumps(p, sort_keys=True,
        // separators=(",", ":")), sha256)) for the params of CanonicalJsonSpecs, key bytes 0..31.
        var parameters = FlowJsonReader.Parse("""{"z":1,"a":{"y":true,"b":null},"f":[1.0,1e20,1e16,1e15,0.0001,0.00001,-0.0,123.456,1.5e-7,2.5E+3,-0,12345678901234567890123],"\u00e9":"\u00fc\ud83d\ude00\u007f/\"\\\n","\ue000":1,"\ud83d\ude00":2}""", 64);
        var mac = RequestSigner.ComputeMac(AliceKey, "r-1", "run_query", 1_700_000_000, "nonce-123", parameters);
        Assert.Equal("xd18HfA3kydsEEAqjHdK25BeP7HrfWIBoHOAWvRztRs=", Convert.ToBase64String(mac));
    }

    [Fact]
    public void A_request_signed_with_another_key_is_refused()
    {
        var result = Check(new RequestAuthenticator(Keys), RequestSigner.Sign(Request(), "alice", BobKey, Now));
        Assert.Equal(AuthenticationFailure.BadSignature, result.Failure);
        Assert.Equal("Authentication failed: unknown client or invalid signature.", result.ToReply().Msg);
        Assert.Empty(result.ToReply().Payload);
    }

    [Fact]
    public void An_unknown_client_is_refused_with_the_same_text_as_a_bad_signature()
    {
        var result = Check(new RequestAuthenticator(Keys), RequestSigner.Sign(Request(), "mallory", AliceKey, Now));
        Assert.Equal(AuthenticationFailure.UnknownClient, result.Failure);
        Assert.Equal("unknown client or invalid signature", result.Reason);
    }

    [Fact]
    public void Changing_the_params_after_signing_is_detected()
    {
        var signed = RequestSigner.Sign(Request(), "alice", AliceKey, Now);
        var tampered = signed with { Request = signed.Request with { Params = new JsonObject { ["query_kind"] = "dummy_query", ["dummy_param"] = "y" } } };
        Assert.Equal(AuthenticationFailure.BadSignature, Check(new RequestAuthenticator(Keys), tampered).Failure);
    }

    [Fact]
    public void Changing_the_action_after_signing_is_detected()
    {
        var signed = RequestSigner.Sign(Request(), "alice", AliceKey, Now);
        var tampered = signed with { Request = signed.Request with { Action = ActionNames.GetAggregationUnit } };
        Assert.Equal(AuthenticationFailure.BadSignature, Check(new RequestAuthenticator(Keys), tampered).Failure);
    }

    [Fact]
    public void Changing_the_request_id_after_signing_is_detected()
    {
        var signed = RequestSigner.Sign(Request(), "alice", AliceKey, Now);
        var tampered = signed with { Request = signed.Request with { RequestId = "r-2" } };
        Assert.Equal(AuthenticationFailure.BadSignature, Check(new RequestAuthenticator(Keys), tampered).Failure);
    }

    [Fact]
    public void Changing_the_timestamp_after_signing_is_detected()
    {
        var signed = RequestSigner.Sign(Request(), "alice", AliceKey, Now);
        var tampered = signed with { Credential = signed.Credential with { Timestamp = signed.Credential.Timestamp + 1 } };
        Assert.Equal(AuthenticationFailure.BadSignature, Check(new RequestAuthenticator(Keys), tampered).Failure);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void A_timestamp_outside_the_window_is_refused(int offsetSeconds)
    {
        var result = Check(new RequestAuthenticator(Keys), RequestSigner.Sign(Request(), "alice", AliceKey, Now.AddSeconds(offsetSeconds)));
        Assert.Equal(AuthenticationFailure.StaleTimestamp, result.Failure);
        Assert.StartsWith("Authentication failed: timestamp ", result.ToReply().Msg);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void A_timestamp_at_the_edge_of_the_window_is_accepted(int offsetSeconds) =>
        Assert.True(Check(new RequestAuthenticator(Keys), RequestSigner.Sign(Request(), "alice", AliceKey, Now.AddSeconds(offsetSeconds))).IsAuthenticated);

    [Fact]
    public void The_window_follows_the_configured_skew()
    {
        var strict = new RequestAuthenticator(Keys, new AuthenticationOptions { MaxClockSkew = TimeSpan.FromSeconds(5) });
        Assert.Equal(AuthenticationFailure.StaleTimestamp, Check(strict, RequestSigner.Sign(Request(), "alice", AliceKey, Now.AddSeconds(-6))).Failure);
        Assert.True(Check(strict, RequestSigner.Sign(Request(), "alice", AliceKey, Now.AddSeconds(-5))).IsAuthenticated);
    }

    [Fact]
    public void A_replayed_request_is_refused_and_the_first_one_still_counted()
    {
        var authenticator = new RequestAuthenticator(Keys);
        var signed = RequestSigner.Sign(Request(), "alice", AliceKey, Now);
        Assert.True(Check(authenticator, signed).IsAuthenticated);
        var replay = Check(authenticator, signed, Now.AddSeconds(10));
        Assert.Equal(AuthenticationFailure.ReplayedNonce, replay.Failure);
        Assert.Equal("Authentication failed: nonce already used (replayed request).", replay.ToReply().Msg);
    }

    [Fact]
    public void The_same_nonce_from_two_clients_is_not_a_replay()
    {
        var authenticator = new RequestAuthenticator(Keys);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now, "shared-nonce")).IsAuthenticated);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "bob", BobKey, Now, "shared-nonce")).IsAuthenticated);
    }

    [Fact]
    public void Nonces_are_forgotten_once_their_timestamp_has_left_the_window()
    {
        var authenticator = new RequestAuthenticator(Keys, new AuthenticationOptions { MaxNoncesPerClient = 2 });
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now, "nonce-0001")).IsAuthenticated);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now, "nonce-0002")).IsAuthenticated);
        // Full: a third request within the window is refused rather than forgetting a nonce that could be replayed.
        var full = Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now, "nonce-0003"));
        Assert.Equal(AuthenticationFailure.ReplayWindowFull, full.Failure);
        Assert.Equal(2, authenticator.RememberedNonces("alice"));

        var later = Now.AddSeconds(601);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, later, "nonce-0003"), later).IsAuthenticated);
        Assert.Equal(1, authenticator.RememberedNonces("alice"));
    }

    [Fact]
    public void A_request_with_a_wrong_mac_leaves_no_nonce_behind()
    {
        var authenticator = new RequestAuthenticator(Keys);
        Check(authenticator, RequestSigner.Sign(Request(), "alice", BobKey, Now, "nonce-forged"));
        Assert.Equal(0, authenticator.RememberedNonces("alice"));
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now, "nonce-forged")).IsAuthenticated);
    }

    [Fact]
    public void A_request_without_a_credential_is_refused_when_authentication_is_required()
    {
        var result = new RequestAuthenticator(Keys).Authenticate(Request(), null, Now);
        Assert.Equal(AuthenticationFailure.MissingCredential, result.Failure);
        Assert.Equal("""{"status":"error","msg":"Authentication failed: missing credential (no auth member in the request).","payload":{}}""", result.ToReply().ToString());
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"client":"alice","ts":1700000000,"nonce":"nonce-123"}""")]
    [InlineData("""{"client":"alice","ts":1700000000.0,"nonce":"nonce-123","mac":"AAAA"}""")]
    [InlineData("""{"client":"alice","ts":"1700000000","nonce":"nonce-123","mac":"AAAA"}""")]
    [InlineData("""{"client":"","ts":1700000000,"nonce":"nonce-123","mac":"AAAA"}""")]
    [InlineData("""{"client":"alice","ts":1700000000,"nonce":"short","mac":"AAAA"}""")]
    [InlineData("""{"client":"alice","ts":1700000000,"nonce":"nonce-123","mac":"not base64!"}""")]
    [InlineData("""{"client":"alice","ts":1700000000,"nonce":"nonce-123","mac":"AAAA"}""")]
    [InlineData("""{"client":"alice","ts":1700000000,"nonce":"nonce-123","mac":"AAAA","extra":1}""")]
    public void A_malformed_credential_is_refused_with_what_is_wrong(string credential)
    {
        var result = new RequestAuthenticator(Keys).Authenticate(Request(), FlowJsonReader.Parse(credential, 64), Now);
        Assert.Equal(AuthenticationFailure.MalformedCredential, result.Failure);
        Assert.Matches("^Authentication failed: (auth|mac|unknown auth member).*\\.$", result.ToReply().Msg);
    }

    [Fact]
    public void A_new_key_set_from_the_source_applies_to_the_next_request()
    {
        var source = new SwitchableKeys { Current = Keys };
        var authenticator = new RequestAuthenticator(source);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now)).IsAuthenticated);
        source.Current = Keys.With("alice", BobKey);
        Assert.Equal(AuthenticationFailure.BadSignature, Check(authenticator, RequestSigner.Sign(Request(), "alice", AliceKey, Now)).Failure);
        Assert.True(Check(authenticator, RequestSigner.Sign(Request(), "alice", BobKey, Now)).IsAuthenticated);
    }

    private sealed class SwitchableKeys : IClientKeySource
    {
        public required ClientKeySet Current { get; set; }
    }
}
