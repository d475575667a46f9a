// The load generator both sides of an ingress comparison use: DEALER clients on their own threads, each keeping a
// fixed number of requests in flight, with the same socket options as the ingress (HWM, linger, CURVE).
using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;

namespace FlowAkka.Benchmarks.Support;

public sealed record LoadResult(int Requests, TimeSpan Elapsed, int Failed)
{
    public double Rate => Requests / Elapsed.TotalSeconds;
}

public static class DealerLoad
{
    public const int HighWaterMark = 100_000;
    private static readonly byte[] SuccessMarker = "\"status\":\"success\""u8.ToArray();

    public static DealerSocket Connect(string endpoint, string? serverPublicKeyZ85)
    {
        var dealer = new DealerSocket();
        dealer.Options.SendHighWatermark = HighWaterMark;
        dealer.Options.ReceiveHighWatermark = HighWaterMark;
        dealer.Options.Linger = TimeSpan.Zero;
        if (serverPublicKeyZ85 is not null)
        {
            dealer.Options.CurveServerCertificate = NetMQCertificate.FromPublicKey(serverPublicKeyZ85);
            dealer.Options.CurveCertificate = new NetMQCertificate();
        }
        dealer.Connect(endpoint);
        return dealer;
    }

    /// <summary>
    /// <paramref name="clientsPerEndpoint"/> DEALERs per endpoint, each sending <paramref name="perClient"/> requests
    /// with <paramref name="inFlight"/> outstanding. Requests are framed [empty, body] like a REQ socket's. A reply
    /// that is not a success (e.g. "server busy") counts as failed, so shed load never passes for throughput.
    /// </summary>
    public static LoadResult Run(IReadOnlyList<string> endpoints, string? serverPublicKeyZ85, int clientsPerEndpoint, int inFlight,
        int perClient, Func<int, byte[]> body, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(60);
        var sockets = endpoints.SelectMany(e => Enumerable.Range(0, clientsPerEndpoint).Select(_ => Connect(e, serverPublicKeyZ85))).ToList();
        try
        {
            var failed = 0;
            var errors = new List<Exception>();
            using var start = new ManualResetEventSlim();
            var threads = sockets.Select((socket, index) => new Thread(() =>
            {
                try
                {
                    start.Wait();
                    var f = Drive(socket, inFlight, perClient, i => body(index * perClient + i), wait);
                    Interlocked.Add(ref failed, f);
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            }) { IsBackground = true, Name = $"bench-dealer-{index}" }).ToList();
            foreach (var t in threads) t.Start();
            Thread.Sleep(200); // let the connections (and CURVE handshakes) finish before the clock starts
            var clock = Stopwatch.StartNew();
            start.Set();
            foreach (var t in threads) t.Join();
            clock.Stop();
            if (errors.Count > 0) throw new AggregateException(errors);
            return new LoadResult(sockets.Count * perClient, clock.Elapsed, failed);
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    /// <summary>One request at a time on one DEALER; returns each round trip in microseconds.</summary>
    public static List<double> Latencies(string endpoint, string? serverPublicKeyZ85, int warmup, int count, byte[] body)
    {
        using var socket = Connect(endpoint, serverPublicKeyZ85);
        var result = new List<double>(count);
        for (var i = 0; i < warmup + count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            socket.SendMoreFrameEmpty().SendFrame(body);
            Receive(socket, TimeSpan.FromSeconds(30));
            if (i >= warmup) result.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        return result;
    }

    private static int Drive(DealerSocket socket, int inFlight, int count, Func<int, byte[]> body, TimeSpan timeout)
    {
        var sent = 0;
        var failed = 0;
        while (sent < Math.Min(inFlight, count)) socket.SendMoreFrameEmpty().SendFrame(body(sent++));
        for (var received = 0; received < count; received++)
        {
            var reply = Receive(socket, timeout);
            if (reply.AsSpan().IndexOf(SuccessMarker) < 0) failed++;
            if (sent < count) socket.SendMoreFrameEmpty().SendFrame(body(sent++));
        }
        return failed;
    }

    private static byte[] Receive(DealerSocket socket, TimeSpan timeout)
    {
        if (!socket.TryReceiveFrameBytes(timeout, out var frame, out var more))
            throw new TimeoutException($"no reply within {timeout}");
        while (more) frame = socket.ReceiveFrameBytes(out more); // [empty, body]: keep the last frame
        return frame;
    }
}

/// <summary>
/// The baseline: a bare NetMQ ROUTER on its own thread that answers every [identity, "", body] with a fixed reply
/// (the bytes FlowAkka answers for the same action, so both directions carry the same sizes). Same options as the
/// ingress socket: high-water marks, max message size, linger, optional CURVE.
/// </summary>
public sealed class RawRouterEcho : IDisposable
{
    private readonly RouterSocket _router = new();
    private readonly Thread _thread;
    private readonly byte[] _reply;
    private volatile bool _stopping;

    public RawRouterEcho(byte[] reply, NetMQCertificate? curve, long maxMessageSize)
    {
        _reply = reply;
        _router.Options.SendHighWatermark = DealerLoad.HighWaterMark;
        _router.Options.ReceiveHighWatermark = DealerLoad.HighWaterMark;
        _router.Options.MaxMsgSize = maxMessageSize;
        _router.Options.Linger = TimeSpan.Zero;
        if (curve is not null)
        {
            _router.Options.CurveServer = true;
            _router.Options.CurveCertificate = curve;
        }
        _router.Bind("tcp://127.0.0.1:0");
        Endpoint = _router.Options.LastEndpoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = "bench-raw-echo" };
        _thread.Start();
    }

    public string Endpoint { get; }

    private void Run()
    {
        while (!_stopping)
        {
            if (!_router.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(100), out var identity, out var more)) continue;
            var frames = 0;
            while (more)
            {
                _router.SkipFrame(out more);
                frames++;
            }
            _router.SendMoreFrame(identity);
            if (frames >= 2) _router.SendMoreFrameEmpty();
            _router.SendFrame(_reply);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _router.Dispose();
    }
}
