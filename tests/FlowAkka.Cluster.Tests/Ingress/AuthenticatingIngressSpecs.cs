using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Protocol;
using NetMQ;
using Xunit;
using Xunit.Abstractions;
using static FlowAkka.Cluster.Tests.Ingress.Wire;

namespace FlowAkka.Cluster.Tests.Ingress;

/// <summary>Answers every request with "pong" (payload: request_id, action, the params it got) and counts them.</summary>
public sealed class CountingActionHandler : ReceiveActor
{
    public sealed record GetCount;

    public CountingActionHandler()
    {
        var count = 0;
        Receive<HandleAction>(request =>
        {
            count++;
            Sender.Tell(new ActionReplied(request.CorrelationId, Reply.Success(new JsonObject
            {
                ["request_id"] = request.Request.RequestId,
                ["action"] = request.Request.Action,
                ["params"] = request.Request.Params.DeepClone(),
            }, "pong")));
        });
        Receive<GetCount>(_ => Sender.Tell(count));
    }
}

public sealed class AuthenticatingIngressSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static readonly byte[] AliceKey = Enumerable.Repeat((byte)7, 32).ToArray();
    private static readonly byte[] OtherKey = Enumerable.Repeat((byte)8, 32).ToArray();

    private readonly string _directory = Directory.CreateTempSubdirectory("flowakka-auth-").FullName;
    private readonly string _keysFile;
    private readonly IActorRef _handler;

    public AuthenticatingIngressSpecs(ITestOutputHelper output) : base(output: output)
    {
        _keysFile = Path.Combine(_directory, "client-keys.json");
        ClientKeyFile.Write(_keysFile, new ClientKeySet([new("alice", AliceKey)]));
        _handler = Sys.ActorOf(Props.Create(() => new CountingActionHandler()));
    }

    void IDisposable.Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    private IngressHandle Start(IngressSettings? settings = null) => IngressSetup.Start(Sys, _handler,
        settings ?? new IngressSettings { Endpoint = "tcp://127.0.0.1:0", ClientKeysFile = _keysFile }, $"ingress-{Guid.NewGuid():N}");

    private async Task<int> HandledCount() => await _handler.Ask<int>(new CountingActionHandler.GetCount(), TimeSpan.FromSeconds(10));

    private static ActionRequest Request(string id) =>
        new(id, ActionNames.RunQuery, new JsonObject { ["query_kind"] = "dummy_query", ["value"] = "é 1.5", ["n"] = 1.0 });

    private static byte[] Signed(string id, string client, byte[] key) =>
        RequestSigner.Sign(Request(id), client, key, DateTimeOffset.UtcNow).ToUtf8Bytes();

    [Fact]
    public async Task A_signed_request_reaches_the_handler_without_its_credential()
    {
        await using var ingress = Start();
        var reply = Call(ingress, Signed("signed-1", "alice", AliceKey));
        Assert.Equal("pong", Msg(reply));
        Assert.Equal("signed-1", RequestIdOf(reply));
        // The handler saw the params as sent and nothing of the auth member.
        var handled = reply["payload"]!["params"]!.AsObject();
        Assert.Equal(["query_kind", "value", "n"], handled.Select(p => p.Key));
        Assert.Equal("é 1.5", handled["value"]!.GetValue<string>());
        Assert.Equal(1, await HandledCount());
    }

    [Fact]
    public async Task Missing_or_wrong_credentials_get_the_error_reply_and_run_nothing()
    {
        await using var ingress = Start();

        var missing = Call(ingress, Request("unsigned").ToUtf8Bytes());
        Assert.Equal("""{"status":"error","msg":"Authentication failed: missing credential (no auth member in the request).","payload":{}}""", missing.ToJsonString());

        var wrongKey = Call(ingress, Signed("wrong-key", "alice", OtherKey));
        Assert.Equal("""{"status":"error","msg":"Authentication failed: unknown client or invalid signature.","payload":{}}""", wrongKey.ToJsonString());

        var unknownClient = Call(ingress, Signed("stranger", "mallory", AliceKey));
        Assert.Equal("Authentication failed: unknown client or invalid signature.", Msg(unknownClient));

        var replayBody = Signed("replayed", "alice", AliceKey);
        Assert.Equal("pong", Msg(Call(ingress, replayBody)));
        Assert.Equal("Authentication failed: nonce already used (replayed request).", Msg(Call(ingress, replayBody)));

        var stale = RequestSigner.Sign(Request("stale"), "alice", AliceKey, DateTimeOffset.UtcNow.AddHours(-1)).ToUtf8Bytes();
        Assert.StartsWith("Authentication failed: timestamp ", Msg(Call(ingress, stale)));

        // Only the one good request ran.
        Assert.Equal(1, await HandledCount());
        Assert.Equal(5, ingress.Socket.AuthenticationFailures);
    }

    [Fact]
    public async Task Envelope_errors_keep_FlowKit_texts_and_unknown_keys_are_still_refused_with_auth_on()
    {
        await using var ingress = Start();
        var signed = RequestSigner.Sign(Request("extra-key"), "alice", AliceKey, DateTimeOffset.UtcNow).ToUtf8Bytes();
        var withExtra = Encoding.UTF8.GetBytes("{\"foo\":1," + Encoding.UTF8.GetString(signed)[1..]);
        var reply = Call(ingress, withExtra);
        Assert.Equal("""{"status":"error","msg":"Invalid action request.","payload":{"foo":["Unknown field."]}}""", reply.ToJsonString());
        Assert.Equal("Invalid JSON.", Msg(Call(ingress, "{\"auth\":"u8.ToArray())));
        Assert.Equal(0, await HandledCount());
    }

    [Fact]
    public async Task Rewriting_the_key_file_rotates_keys_without_a_restart()
    {
        await using var ingress = Start(new IngressSettings
        {
            Endpoint = "tcp://127.0.0.1:0",
            ClientKeysFile = _keysFile,
            Authentication = new AuthenticationOptions { KeyFileCheckInterval = TimeSpan.FromMilliseconds(100) },
        });
        Assert.Equal("pong", Msg(Call(ingress, Signed("before", "alice", AliceKey))));

        ClientKeyFile.Write(_keysFile, new ClientKeySet([new("alice", OtherKey), new("bob", AliceKey)]));
        AwaitAssert(() => Assert.Equal("pong", Msg(Call(ingress, Signed("rotated", "alice", OtherKey)))), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        Assert.Equal("Authentication failed: unknown client or invalid signature.", Msg(Call(ingress, Signed("old-key", "alice", AliceKey))));
        Assert.Equal("pong", Msg(Call(ingress, Signed("new-client", "bob", AliceKey))));

        // A broken file leaves the working set in place.
        await File.WriteAllTextAsync(_keysFile, "{ broken");
        AwaitAssert(() =>
        {
            _ = ingress.Socket.ClientKeys!.Current; // what the next request does
            Assert.NotNull(ingress.Socket.ClientKeys.LastError);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        Assert.Equal("pong", Msg(Call(ingress, Signed("still-works", "alice", OtherKey))));
    }

    [Fact]
    public async Task With_authentication_off_a_credential_is_accepted_and_ignored()
    {
        await using var ingress = Start(new IngressSettings { Endpoint = "tcp://127.0.0.1:0" });
        Assert.Equal("pong", Msg(Call(ingress, Signed("signed-anyway", "whoever", OtherKey))));
        Assert.Equal("pong", Msg(Call(ingress, Request("unsigned").ToUtf8Bytes())));
        Assert.Equal(2, await HandledCount());
        Assert.Null(ingress.Socket.ClientKeys);
    }

    [Fact]
    public async Task CURVE_and_client_authentication_work_together_for_a_DEALER()
    {
        var server = new NetMQCertificate();
        await using var ingress = Start(new IngressSettings
        {
            Endpoint = "tcp://127.0.0.1:0",
            CurveSecretKeyZ85 = server.SecretKeyZ85,
            ClientKeysFile = _keysFile,
        });
        using var dealer = Dealer(ClientEndpoint(ingress), d =>
        {
            d.Options.CurveServerCertificate = NetMQCertificate.FromPublicKey(server.PublicKeyZ85);
            d.Options.CurveCertificate = new NetMQCertificate();
        });
        SendFrames(dealer, [], Signed("curve-signed", "alice", AliceKey));
        Assert.Equal("curve-signed", RequestIdOf(ParseReply(ReceiveFrames(dealer)[^1])));
        SendFrames(dealer, [], Request("curve-unsigned").ToUtf8Bytes());
        Assert.StartsWith("Authentication failed: ", Msg(ParseReply(ReceiveFrames(dealer)[^1])));
        Assert.Equal(1, await HandledCount());
    }

    [Fact]
    public void An_unusable_key_file_stops_the_ingress_from_starting()
    {
        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, """{"clients":{"alice":"short"}}""");
        Assert.Throws<ClientKeySetException>(() => Start(new IngressSettings { Endpoint = "tcp://127.0.0.1:0", ClientKeysFile = broken }));
        Assert.Throws<ClientKeySetException>(() => Start(new IngressSettings { Endpoint = "tcp://127.0.0.1:0", ClientKeysFile = Path.Combine(_directory, "none.json") }));
    }
}
