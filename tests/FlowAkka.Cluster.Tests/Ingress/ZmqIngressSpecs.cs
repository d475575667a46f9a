using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Protocol;
using NetMQ;
using Xunit;
using Xunit.Abstractions;
using static FlowAkka.Cluster.Tests.Ingress.Wire;

namespace FlowAkka.Cluster.Tests.Ingress;

public class ZmqIngressSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly IngressSettings Loopback = new() { Endpoint = "tcp://127.0.0.1:0" };

    private IngressHandle Start(IngressSettings? settings = null, IActorRef? handler = null) =>
        IngressSetup.Start(Sys, handler ?? Sys.ActorOf(TestActionHandler.Props()), settings ?? Loopback, $"ingress-{Guid.NewGuid():N}");

    [Fact]
    public async Task Binds_an_ephemeral_port_and_answers_a_REQ_client()
    {
        await using var ingress = Start();
        Assert.True(ingress.Port > 0);
        Assert.EndsWith($":{ingress.Port}", ingress.Endpoint);

        var reply = Call(ingress, Envelope("r1"));
        Assert.Equal("success", reply["status"]!.GetValue<string>());
        Assert.Equal("pong", Msg(reply));
        Assert.Equal("r1", RequestIdOf(reply));
        // Key order on the wire is status, msg, payload.
        Assert.Equal(["status", "msg", "payload"], reply.Select(p => p.Key));
    }

    [Fact]
    public async Task Envelope_errors_are_answered_with_FlowKits_texts_without_reaching_the_handler()
    {
        await using var ingress = Start(handler: Sys.ActorOf(TestActionHandler.Props(TestActor)));

        var badJson = Call(ingress, Encoding.UTF8.GetBytes("{not json"));
        Assert.Equal("Invalid JSON.", Msg(badJson));
        Assert.Equal("Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", badJson["payload"]!["decode_error"]!.GetValue<string>());

        var unknownAction = Call(ingress, Envelope("r", "frobnicate"));
        Assert.Equal("Invalid action request.", Msg(unknownAction));
        Assert.Equal(ActionRequestParser.MustBeOneOfActions, unknownAction["payload"]!["action"]![0]!.GetValue<string>());

        var wrongArguments = Call(ingress, Envelope("r", "poll_query", """{"query_id":"a","extra":1}"""));
        Assert.Equal("Internal flowmachine server error: wrong arguments passed to handler for action 'poll_query'.", Msg(wrongArguments));

        var ok = Call(ingress, Envelope("r-ok", "poll_query", """{"query_id":"a"}"""));
        Assert.Equal("r-ok", RequestIdOf(ok));
        // Only the valid one reached the handler.
        Assert.Equal("r-ok", ExpectMsg<HandleAction>().Request.RequestId);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task DEALER_clients_get_replies_in_the_shape_they_sent()
    {
        await using var ingress = Start();
        using var dealer = Dealer(ClientEndpoint(ingress));

        SendFrames(dealer, [], Envelope("delimited"));
        var delimited = ReceiveFrames(dealer);
        Assert.Equal(2, delimited.Count);
        Assert.Empty(delimited[0]);
        Assert.Equal("delimited", RequestIdOf(ParseReply(delimited[1])));

        SendFrames(dealer, Envelope("bare"));
        var bare = ReceiveFrames(dealer);
        Assert.Single(bare);
        Assert.Equal("bare", RequestIdOf(ParseReply(bare[0])));
    }

    [Fact]
    public async Task Malformed_multipart_messages_still_get_an_error_reply()
    {
        await using var ingress = Start();
        using var dealer = Dealer(ClientEndpoint(ingress));

        // Non-empty delimiter.
        SendFrames(dealer, "x"u8.ToArray(), Envelope("r"));
        var nonEmpty = ReceiveFrames(dealer);
        Assert.Single(nonEmpty);
        var nonEmptyReply = ParseReply(nonEmpty[0]);
        Assert.Equal("Invalid action request.", Msg(nonEmptyReply));
        Assert.Equal("Expected an empty delimiter frame before the body, got a frame of 1 bytes.", nonEmptyReply["payload"]!["frames"]![0]!.GetValue<string>());

        // Delimiter plus two body frames: answered with a delimiter so a REQ-like peer accepts it.
        SendFrames(dealer, [], Envelope("a"), Envelope("b"));
        var tooMany = ReceiveFrames(dealer);
        Assert.Equal(2, tooMany.Count);
        Assert.Empty(tooMany[0]);
        Assert.Equal("Expected [empty delimiter, body] or [body] after the identity, got 3 frames.",
            ParseReply(tooMany[1])["payload"]!["frames"]![0]!.GetValue<string>());

        // Many frames, no delimiter.
        SendFrames(dealer, Enumerable.Range(0, 7).Select(i => Encoding.ASCII.GetBytes($"f{i}")).ToArray());
        Assert.Equal("Invalid action request.", Msg(ParseReply(ReceiveFrames(dealer).Single())));

        // A single empty frame is an empty body.
        SendFrames(dealer, Array.Empty<byte>());
        var empty = ParseReply(ReceiveFrames(dealer).Single());
        Assert.Equal("Invalid JSON.", Msg(empty));
        Assert.Equal("Expecting value: line 1 column 1 (char 0)", empty["payload"]!["decode_error"]!.GetValue<string>());

        // The REQ side: a two-part request body.
        using var req = Req(ClientEndpoint(ingress));
        req.SendMoreFrame(Envelope("p1")).SendFrame(Envelope("p2"));
        Assert.True(req.TryReceiveFrameBytes(ReplyWait, out var reqReply));
        Assert.Equal("Invalid action request.", Msg(ParseReply(reqReply!)));
    }

    [Fact]
    public async Task Twenty_DEALERs_with_fifty_requests_each_and_REQ_clients_all_get_their_own_replies()
    {
        await using var ingress = Start();
        var endpoint = ClientEndpoint(ingress);
        var dealers = Enumerable.Range(0, 20).Select(_ => Dealer(endpoint)).ToList();
        var reqs = Enumerable.Range(0, 5).Select(_ => Req(endpoint)).ToList();
        try
        {
            for (var j = 0; j < 50; j++)
            {
                for (var i = 0; i < dealers.Count; i++)
                {
                    var body = Envelope($"c{i}-r{j}");
                    if (i % 2 == 0)
                        SendFrames(dealers[i], [], body);
                    else
                        SendFrames(dealers[i], body);
                }
            }
            for (var k = 0; k < 10; k++)
            {
                for (var i = 0; i < reqs.Count; i++)
                    reqs[i].SendFrame(Envelope($"q{i}-r{k}"));
                for (var i = 0; i < reqs.Count; i++)
                {
                    Assert.True(reqs[i].TryReceiveFrameBytes(ReplyWait, out var reply));
                    Assert.Equal($"q{i}-r{k}", RequestIdOf(ParseReply(reply!)));
                }
            }
            for (var i = 0; i < dealers.Count; i++)
            {
                var seen = new HashSet<string>();
                for (var j = 0; j < 50; j++)
                    seen.Add(RequestIdOf(ParseReply(ReceiveFrames(dealers[i]).Last()))!);
                Assert.Equal(Enumerable.Range(0, 50).Select(j => $"c{i}-r{j}").ToHashSet(), seen);
                Assert.False(TryReceiveFrames(dealers[i], TimeSpan.Zero, out _));
            }
        }
        finally
        {
            dealers.ForEach(d => d.Dispose());
            reqs.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Over_size_bodies_are_rejected_and_the_node_keeps_answering()
    {
        await using var ingress = Start();
        using var dealer = Dealer(ClientEndpoint(ingress));

        // Just over the body limit: still read (within the socket margin) and answered cleanly.
        var justOver = new byte[ProtocolLimits.DefaultMaxBodyBytes + 1];
        Array.Fill(justOver, (byte)' ');
        SendFrames(dealer, [], justOver);
        var reply = ParseReply(ReceiveFrames(dealer)[1]);
        Assert.Equal("Invalid action request.", Msg(reply));
        Assert.Equal("Request body of 1048577 bytes exceeds the limit of 1048576 bytes.", reply["payload"]!["_schema"]![0]!.GetValue<string>());

        // Far over: cut at the socket (the connection is dropped), so the node never buffers it.
        using (var hostile = Dealer(ClientEndpoint(ingress)))
        {
            SendFrames(hostile, [], new byte[8 * 1024 * 1024]);
            Assert.False(TryReceiveFrames(hostile, SilenceWait, out _));
        }

        Assert.Equal("pong", Msg(Call(ingress, Envelope("after"))));
        SendFrames(dealer, [], Envelope("same-dealer"));
        Assert.Equal("same-dealer", RequestIdOf(ParseReply(ReceiveFrames(dealer)[1])));
    }

    [Fact]
    public async Task CURVE_clients_with_the_server_key_are_answered_others_are_not()
    {
        var server = new NetMQCertificate();
        await using var ingress = Start(Loopback with { CurveSecretKeyZ85 = server.SecretKeyZ85, CurvePublicKeyZ85 = server.PublicKeyZ85 });
        Assert.Equal(server.PublicKeyZ85, ingress.CurvePublicKeyZ85);
        var endpoint = ClientEndpoint(ingress);

        using (var good = Dealer(endpoint, d =>
               {
                   d.Options.CurveServerKey = server.PublicKey;
                   d.Options.CurveCertificate = new NetMQCertificate();
               }))
        {
            SendFrames(good, [], Envelope("curve"));
            Assert.Equal("curve", RequestIdOf(ParseReply(ReceiveFrames(good)[1])));
        }

        using (var plain = Dealer(endpoint))
        {
            SendFrames(plain, [], Envelope("plain"));
            Assert.False(TryReceiveFrames(plain, SilenceWait, out _));
        }

        using (var wrongKey = Dealer(endpoint, d =>
               {
                   d.Options.CurveServerKey = new NetMQCertificate().PublicKey;
                   d.Options.CurveCertificate = new NetMQCertificate();
               }))
        {
            SendFrames(wrongKey, [], Envelope("wrong"));
            Assert.False(TryReceiveFrames(wrongKey, SilenceWait, out _));
        }

        // A key pair given as the secret alone works too (the public key is derived).
        await using var derived = Start(Loopback with { CurveSecretKeyZ85 = server.SecretKeyZ85 });
        Assert.Equal(server.PublicKeyZ85, derived.CurvePublicKeyZ85);
        using var again = Dealer(ClientEndpoint(derived), d =>
        {
            d.Options.CurveServerCertificate = NetMQCertificate.FromPublicKey(server.PublicKeyZ85);
            d.Options.CurveCertificate = new NetMQCertificate();
        });
        SendFrames(again, [], Envelope("derived"));
        Assert.Equal("derived", RequestIdOf(ParseReply(ReceiveFrames(again)[1])));
    }

    [Fact]
    public async Task StopAsync_unbinds_and_is_idempotent()
    {
        var ingress = Start();
        var port = ingress.Port;
        Assert.Equal("pong", Msg(Call(ingress, Envelope("before"))));
        await ingress.StopAsync();
        await ingress.StopAsync();

        // The port is released (NetMQ closes listeners on its I/O thread, so allow it a moment): a new ROUTER binds it.
        using var router = new NetMQ.Sockets.RouterSocket();
        await AwaitAssertAsync(() => router.Bind($"tcp://127.0.0.1:{port}"), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Watch(ingress.Actor);
        ExpectTerminated(ingress.Actor);
    }

    [Fact]
    public async Task Fuzz_ten_thousand_hostile_messages_each_get_one_reply_and_ping_still_answers()
    {
        await using var ingress = Start(Loopback with { MaxRequestsInFlight = 100_000 });
        var endpoint = ClientEndpoint(ingress);
        var random = new Random(20261204);
        var dealers = Enumerable.Range(0, 4).Select(_ => Dealer(endpoint)).ToList();
        const int total = 10_000;
        const int window = 200;
        var sent = new int[dealers.Count];
        var received = new int[dealers.Count];
        var statuses = new Dictionary<string, int>();
        try
        {
            for (var n = 0; n < total; n++)
            {
                var d = n % dealers.Count;
                SendFrames(dealers[d], Fuzz.Message(random, n));
                sent[d]++;
                // Keep at most `window` unanswered per dealer so the test measures replies, not buffering.
                while (sent[d] - received[d] > window)
                    Count(d);
            }
            for (var d = 0; d < dealers.Count; d++)
                while (received[d] < sent[d])
                    Count(d);
            for (var d = 0; d < dealers.Count; d++)
                Assert.False(TryReceiveFrames(dealers[d], TimeSpan.FromMilliseconds(100), out _), "a message got two replies");
        }
        finally
        {
            dealers.ForEach(x => x.Dispose());
        }

        Assert.Equal(total, received.Sum());
        Output.WriteLine(string.Join(", ", statuses.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.True(statuses.Count >= 4, "the fuzzer should reach several kinds of reply");
        Assert.Equal("pong", Msg(Call(ingress, Envelope("after-fuzz"))));
        return;

        void Count(int d)
        {
            var reply = ParseReply(ReceiveFrames(dealers[d]).Last());
            var msg = Msg(reply);
            var key = msg.StartsWith("Internal flowmachine server error: wrong arguments", StringComparison.Ordinal) ? "wrong arguments" : msg;
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
            received[d]++;
        }
    }
}

/// <summary>Hostile inputs for the fuzz test, all seeded so a failure replays.</summary>
internal static class Fuzz
{
    private static readonly string[] Valid =
    [
        """{"request_id":"f","action":"ping"}""",
        """{"request_id":"f","action":"run_query","params":{"query_kind":"spatial_aggregate","locations":{"query_kind":"daily_location","date":"2016-01-01","method":"last","aggregation_unit":"admin3"}}}""",
        """{"request_id":"f","action":"poll_query","params":{"query_id":"0123456789abcdef0123456789abcdef"}}""",
        """{"request_id":"f","action":"get_qa_checks","params":{"start_date":"a","end_date":"b","cdr_type":"calls","check_type":"x"}}""",
    ];

    public static byte[][] Message(Random random, int n)
    {
        var body = (n % 10) switch
        {
            0 => RandomBytes(random, random.Next(0, 300)),
            1 or 2 => Mutate(random, Encoding.UTF8.GetBytes(Valid[random.Next(Valid.Length)])),
            3 => Encoding.UTF8.GetBytes(WrongTypes(random)),
            4 => Encoding.UTF8.GetBytes(HostileParams(random)),
            5 when n % 100 == 5 => Encoding.UTF8.GetBytes($$"""{"request_id":"{{new string('x', random.Next(50_000, 1_100_000))}}","action":"ping"}"""),
            _ => Encoding.UTF8.GetBytes(Valid[random.Next(Valid.Length)]),
        };
        return (n % 7) switch
        {
            0 => [body],
            1 => Enumerable.Range(0, random.Next(2, 6)).Select(_ => RandomBytes(random, random.Next(0, 20))).ToArray(),
            2 => [RandomBytes(random, random.Next(1, 5)), body],
            3 => [[], body, body],
            _ => [[], body],
        };
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] bytes)
    {
        var list = bytes.ToList();
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && list.Count > 0; i++)
        {
            var at = random.Next(list.Count);
            switch (random.Next(4))
            {
                case 0: list[at] = (byte)random.Next(256); break;
                case 1: list.RemoveAt(at); break;
                case 2: list.Insert(at, (byte)"{}[]\",:\\0e-"[random.Next(11)]); break;
                default: list.RemoveRange(at, list.Count - at); break;
            }
        }
        return list.ToArray();
    }

    private static string WrongTypes(Random random)
    {
        string[] values = ["1", "null", "true", "[]", "{}", "\"s\"", "1.5e300", "[\"ping\"]"];
        string V() => values[random.Next(values.Length)];
        return random.Next(4) switch
        {
            0 => $$"""{"request_id":{{V()}},"action":{{V()}}}""",
            1 => $$"""{"request_id":"r","action":"ping","params":{{V()}}}""",
            2 => $$"""{"request_id":"r","action":"ping","{{(char)random.Next('a', 'z')}}":{{V()}}}""",
            _ => V(),
        };
    }

    private static string HostileParams(Random random)
    {
        var depth = random.Next(1, 200);
        string[] hostile =
        [
            string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
            string.Concat(Enumerable.Repeat("[", depth)) + new string(']', depth),
            """{"query_id":"x","query_id":"y"}""",
            """{"query_id":"\ud800\u0000\"'; DROP TABLE cache.cached; --"}""",
            """{"query_kind":12345678901234567890123456789,"n":-0.0e-0}""",
            $$"""{"{{new string('k', random.Next(1, 5000))}}":"{{new string('\u00e9', random.Next(1, 5000))}}"}""",
        ];
        string[] actions = ["run_query", "poll_query", "get_geography", "get_aggregation_unit", "cancel_query", "ping"];
        var p = hostile[random.Next(hostile.Length)];
        if (p.StartsWith('['))
            p = $$"""{"x":{{p}}}""";
        return $$"""{"request_id":"h","action":"{{actions[random.Next(actions.Length)]}}","params":{{p}}}""";
    }
}
