using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using NetMQ;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Cluster.Tests.Ingress;

/// <summary>Skips (with the reason) unless /usr/bin/python3 can import zmq (Debian's python3-zmq).</summary>
public sealed class PyZmqFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(Probe);

    public PyZmqFactAttribute()
    {
        if (Missing.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(PyZmqInteropSpecs.Python))
            return $"{PyZmqInteropSpecs.Python} not found; install python3-zmq to run the pyzmq interop test.";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(PyZmqInteropSpecs.Python, "-c \"import zmq\"")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            if (!p.WaitForExit(30_000))
            {
                p.Kill();
                return "python3 did not answer within 30 s.";
            }
            return p.ExitCode == 0 ? null : "The zmq module is missing for /usr/bin/python3 (apt-get install python3-zmq).";
        }
        catch (Exception e)
        {
            return $"Could not run {PyZmqInteropSpecs.Python}: {e.Message}";
        }
    }
}

/// <summary>FlowAPI talks pyzmq: a real pyzmq REQ client, plaintext and CURVE, against the ingress.</summary>
public class PyZmqInteropSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    public const string Python = "/usr/bin/python3";

    private const string Client = """
        import json, sys, zmq
        endpoint = sys.argv[1]
        server_key = sys.argv[2] if len(sys.argv) > 2 else None
        ctx = zmq.Context()
        out = []
        for body in [b'{"request_id":"py-1","action":"ping"}', b'{"request_id":', b'{"request_id":"py-2","action":"nope"}']:
            s = ctx.socket(zmq.REQ)
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.RCVTIMEO, 20000)
            if server_key:
                s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
                s.curve_serverkey = server_key.encode()
            s.connect(endpoint)
            s.send(body)
            out.append(json.loads(s.recv()))
            s.close()
        print(json.dumps(out))
        ctx.term()
        """;

    private async Task<JsonArray> RunClient(params string[] args)
    {
        var script = Path.Combine(Path.GetTempPath(), $"flowakka-pyzmq-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, Client);
        try
        {
            var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(script);
            foreach (var a in args)
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(cts.Token);
            Output.WriteLine(await stderr);
            Assert.Equal(0, process.ExitCode);
            return JsonNode.Parse(await stdout)!.AsArray();
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static void AssertFlowKitReplies(JsonArray replies)
    {
        Assert.Equal("""{"status":"success","msg":"pong","payload":{"request_id":"py-1","action":"ping"}}""", replies[0]!.ToJsonString());
        Assert.Equal("Invalid JSON.", replies[1]!["msg"]!.GetValue<string>());
        Assert.Equal("Expecting value: line 1 column 15 (char 14)", replies[1]!["payload"]!["decode_error"]!.GetValue<string>());
        Assert.Equal("Invalid action request.", replies[2]!["msg"]!.GetValue<string>());
    }

    [PyZmqFact]
    public async Task A_pyzmq_REQ_client_gets_FlowKit_replies_in_plaintext()
    {
        await using var ingress = IngressSetup.Start(Sys, Sys.ActorOf(TestActionHandler.Props()), new IngressSettings { Endpoint = "tcp://127.0.0.1:0" });
        AssertFlowKitReplies(await RunClient($"tcp://127.0.0.1:{ingress.Port}"));
    }

    [PyZmqFact]
    public async Task A_pyzmq_REQ_client_gets_FlowKit_replies_over_CURVE()
    {
        var server = new NetMQCertificate();
        await using var ingress = IngressSetup.Start(Sys, Sys.ActorOf(TestActionHandler.Props()), new IngressSettings
        {
            Endpoint = "tcp://127.0.0.1:0",
            CurveSecretKeyZ85 = server.SecretKeyZ85,
        }, "curve-ingress");
        AssertFlowKitReplies(await RunClient($"tcp://127.0.0.1:{ingress.Port}", ingress.CurvePublicKeyZ85!));
    }
}
