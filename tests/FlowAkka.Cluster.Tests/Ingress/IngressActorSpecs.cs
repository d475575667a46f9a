using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using Xunit;
using Xunit.Abstractions;
using static FlowAkka.Cluster.Tests.Ingress.Wire;

namespace FlowAkka.Cluster.Tests.Ingress;

/// <summary>The ingress actor's rules, seen from real ZMQ clients: completion order, in-flight limit, reply timeout.</summary>
public class IngressActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly IngressSettings Loopback = new() { Endpoint = "tcp://127.0.0.1:0" };

    private (IngressHandle Ingress, IActorRef Handler) Start(IngressSettings settings)
    {
        var handler = Sys.ActorOf(TestActionHandler.Props(TestActor));
        return (IngressSetup.Start(Sys, handler, settings, $"ingress-{Guid.NewGuid():N}"), handler);
    }

    [Fact]
    public async Task A_slow_request_never_delays_a_fast_one()
    {
        var (ingress, handler) = Start(Loopback);
        await using var scope = ingress;
        using var dealer = Dealer(ClientEndpoint(ingress));

        SendFrames(dealer, [], Envelope("hold-slow"));
        Assert.Equal("hold-slow", ExpectMsg<HandleAction>().Request.RequestId);
        SendFrames(dealer, [], Envelope("fast"));

        Assert.Equal("fast", RequestIdOf(ParseReply(ReceiveFrames(dealer)[1])));
        handler.Tell(new TestActionHandler.Release());
        Assert.Equal("hold-slow", RequestIdOf(ParseReply(ReceiveFrames(dealer)[1])));
    }

    [Fact]
    public async Task Beyond_the_in_flight_limit_requests_are_answered_busy_at_once()
    {
        var (ingress, handler) = Start(Loopback with { MaxRequestsInFlight = 3 });
        await using var scope = ingress;
        using var dealer = Dealer(ClientEndpoint(ingress));

        for (var i = 0; i < 3; i++)
            SendFrames(dealer, [], Envelope($"hold-{i}"));
        ReceiveN(3);

        SendFrames(dealer, [], Envelope("one-too-many"));
        var busy = ParseReply(ReceiveFrames(dealer)[1]);
        Assert.Equal("""{"status":"error","msg":"Server busy: too many requests in flight.","payload":{}}""", busy.ToJsonString());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the busy one never reached the handler

        handler.Tell(new TestActionHandler.Release());
        var released = Enumerable.Range(0, 3).Select(_ => RequestIdOf(ParseReply(ReceiveFrames(dealer)[1]))).ToHashSet();
        Assert.Equal(["hold-0", "hold-1", "hold-2"], released);

        SendFrames(dealer, [], Envelope("room-again"));
        Assert.Equal("room-again", RequestIdOf(ParseReply(ReceiveFrames(dealer)[1])));
    }

    [Fact]
    public async Task A_handler_that_never_answers_gives_could_not_get_reply_once()
    {
        var (ingress, handler) = Start(Loopback with { ReplyTimeout = TimeSpan.FromSeconds(1) });
        await using var scope = ingress;
        using var dealer = Dealer(ClientEndpoint(ingress));

        SendFrames(dealer, [], Envelope("never-1"));
        SendFrames(dealer, [], Envelope("hold-late"));
        ReceiveN(2);
        var first = ParseReply(ReceiveFrames(dealer)[1]);
        var second = ParseReply(ReceiveFrames(dealer)[1]);
        Assert.Equal("""{"status":"error","msg":"Could not get reply for message","payload":{}}""", first.ToJsonString());
        Assert.Equal(first.ToJsonString(), second.ToJsonString());

        // The held request is answered late: that answer is dropped, the client saw exactly one reply.
        handler.Tell(new TestActionHandler.Release());
        SendFrames(dealer, [], Envelope("after"));
        Assert.Equal("after", RequestIdOf(ParseReply(ReceiveFrames(dealer)[1])));
        Assert.False(TryReceiveFrames(dealer, TimeSpan.FromMilliseconds(500), out _));
    }

    [Fact]
    public async Task When_the_handler_stops_waiting_and_new_requests_get_an_error_reply()
    {
        var (ingress, handler) = Start(Loopback);
        await using var scope = ingress;
        using var dealer = Dealer(ClientEndpoint(ingress));

        SendFrames(dealer, [], Envelope("hold-x"));
        ExpectMsg<HandleAction>();
        Sys.Stop(handler);
        Assert.Equal("Could not get reply for message", Msg(ParseReply(ReceiveFrames(dealer)[1])));

        SendFrames(dealer, [], Envelope("later"));
        Assert.Equal("Could not get reply for message", Msg(ParseReply(ReceiveFrames(dealer)[1])));
    }
}
