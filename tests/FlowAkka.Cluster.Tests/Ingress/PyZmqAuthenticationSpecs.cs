using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Ingress.Authentication;
using NetMQ;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Cluster.Tests.Ingress;

/// <summary>A Python client that signs with only hmac/hashlib/json, as the README shows, against CURVE + authentication.</summary>
public sealed class PyZmqAuthenticationSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    // Mirrors the README example: canonical params = json.dumps(params, sort_keys=True, separators=(",", ":")).
    private const string Client = """
        import base64, hashlib, hmac, json, secrets, sys, time, zmq
        endpoint, server_key, client_id, key_b64 = sys.argv[1:5]
        key = base64.b64decode(key_b64)

        def sign(request, client, key, ts=None):
            ts = int(time.time()) if ts is None else ts
            nonce = secrets.token_hex(16)
            params = request.get("params", {})
            text = "\n".join([request["request_id"], request["action"], str(ts), nonce,
                              json.dumps(params, sort_keys=True, separators=(",", ":"))])
            mac = base64.b64encode(hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()).decode()
            return dict(request, auth={"client": client, "ts": ts, "nonce": nonce, "mac": mac})

        spec = {"query_kind": "dummy_query", "zeta": [1.0, 1e20, 0.00001, -0, 12345678901234567890],
                "alpha": {"y": True, "b": None}, "\u00e9t\u00e9": "\u00fc\U0001F600", "\ue000": 1, "\U0001F600": 2}
        bodies = [
            sign({"request_id": "py-signed", "action": "run_query", "params": spec}, client_id, key),
            sign({"request_id": "py-ping", "action": "ping"}, client_id, key),
            sign({"request_id": "py-wrong-key", "action": "ping"}, client_id, b"x" * 32),
            {"request_id": "py-unsigned", "action": "ping"},
            sign({"request_id": "py-stale", "action": "ping"}, client_id, key, ts=int(time.time()) - 3600),
        ]
        ctx = zmq.Context()
        out = []
        for body in bodies:
            s = ctx.socket(zmq.REQ)
            s.setsockopt(zmq.LINGER, 0)
            s.setsockopt(zmq.RCVTIMEO, 20000)
            s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
            s.curve_serverkey = server_key.encode()
            s.connect(endpoint)
            s.send(json.dumps(body).encode())
            out.append(json.loads(s.recv()))
            s.close()
        print(json.dumps(out))
        ctx.term()
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("flowakka-pyauth-").FullName;

    public PyZmqAuthenticationSpecs(ITestOutputHelper output) : base(output: output) { }

    void IDisposable.Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    [PyZmqFact]
    public async Task A_pyzmq_client_signing_with_hmac_is_served_over_CURVE_and_bad_credentials_are_refused()
    {
        var keysFile = Path.Combine(_directory, "client-keys.json");
        var key = ClientKeySet.GenerateKey();
        ClientKeyFile.Write(keysFile, new ClientKeySet([new("flowapi", key)]));
        var server = new NetMQCertificate();
        var handler = Sys.ActorOf(Props.Create(() => new CountingActionHandler()));
        await using var ingress = IngressSetup.Start(Sys, handler, new IngressSettings
        {
            Endpoint = "tcp://127.0.0.1:0",
            CurveSecretKeyZ85 = server.SecretKeyZ85,
            ClientKeysFile = keysFile,
        }, "py-auth-ingress");

        var replies = await RunClient($"tcp://127.0.0.1:{ingress.Port}", ingress.CurvePublicKeyZ85!, "flowapi", Convert.ToBase64String(key));

        Assert.Equal("pong", replies[0]!["msg"]!.GetValue<string>());
        Assert.Equal("py-signed", replies[0]!["payload"]!["request_id"]!.GetValue<string>());
        Assert.Equal("py-ping", replies[1]!["payload"]!["request_id"]!.GetValue<string>());
        Assert.Equal("""{"status":"error","msg":"Authentication failed: unknown client or invalid signature.","payload":{}}""", replies[2]!.ToJsonString());
        Assert.Equal("Authentication failed: missing credential (no auth member in the request).", replies[3]!["msg"]!.GetValue<string>());
        Assert.StartsWith("Authentication failed: timestamp ", replies[4]!["msg"]!.GetValue<string>());
        Assert.Equal(2, await handler.Ask<int>(new CountingActionHandler.GetCount(), TimeSpan.FromSeconds(10)));
    }

    private async Task<JsonArray> RunClient(params string[] args)
    {
        var script = Path.Combine(_directory, "client.py");
        await File.WriteAllTextAsync(script, Client);
        var info = new ProcessStartInfo(PyZmqInteropSpecs.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
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
}
