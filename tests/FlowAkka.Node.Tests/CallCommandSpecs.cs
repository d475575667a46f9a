using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Node.Commands;
using NetMQ;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Node.Tests;

public sealed class CallCommandSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("flowakka-call-").FullName;

    public CallCommandSpecs(ITestOutputHelper output) : base(output: output) { }

    void IDisposable.Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    private IngressHandle Start(IngressSettings? settings = null) => IngressSetup.Start(Sys, Sys.ActorOf(Props.Create(() => new PingHandler())),
        settings ?? new IngressSettings { Endpoint = "tcp://127.0.0.1:0" }, $"ingress-{Guid.NewGuid():N}");

    private static string At(IngressHandle ingress) => $"tcp://127.0.0.1:{ingress.Port}";

    [Theory]
    [InlineData("req")]
    [InlineData("dealer")]
    public async Task Ping_prints_the_reply_and_exits_0(string socket)
    {
        await using var ingress = Start();
        var run = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", At(ingress), "--socket", socket, "--timeout", "20");
        Assert.Equal("""{"status":"success","msg":"pong","payload":{}}""" + Environment.NewLine, run.Output);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task An_error_reply_is_printed_in_FlowKit_key_order_and_exits_1()
    {
        await using var ingress = Start();
        var run = await CommandLine.Run(CallCommand.Create(), "call", "poll_query", """{"query_id":"abc"}""", "--endpoint", At(ingress), "--timeout", "20");
        Assert.Equal("""{"status":"error","msg":"Not here.","payload":{"action":"poll_query"}}""", run.Output.Trim());
        Assert.Equal(1, run.ExitCode);

        var unknown = await CommandLine.Run(CallCommand.Create(), "call", "frobnicate", "--endpoint", At(ingress), "--timeout", "20");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("Invalid action request.", JsonNode.Parse(unknown.Output)!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Signs_with_a_client_key_over_CURVE_against_an_authenticating_ingress()
    {
        var keysFile = Path.Combine(_directory, "client-keys.json");
        var key = ClientKeyFile.AddOrRotate(keysFile, "ops");
        var server = new NetMQCertificate();
        await using var ingress = Start(new IngressSettings { Endpoint = "tcp://127.0.0.1:0", CurveSecretKeyZ85 = server.SecretKeyZ85, ClientKeysFile = keysFile });

        var signed = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", At(ingress), "--server-key", server.PublicKeyZ85,
            "--client", "ops", "--client-key", Convert.ToBase64String(key), "--socket", "dealer", "--timeout", "20");
        Assert.Equal(0, signed.ExitCode);

        // The key set file itself is accepted as --client-key.
        var fromFile = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", At(ingress), "--server-key", server.PublicKeyZ85,
            "--client", "ops", "--client-key", keysFile, "--timeout", "20");
        Assert.Equal(0, fromFile.ExitCode);

        var unsigned = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", At(ingress), "--server-key", server.PublicKeyZ85, "--timeout", "20");
        Assert.Equal(1, unsigned.ExitCode);
        Assert.Contains("Authentication failed: missing credential", unsigned.Output);
    }

    [Fact]
    public async Task No_reply_within_the_timeout_exits_2()
    {
        // A CURVE server that the client holds the wrong key for never answers.
        await using var ingress = Start(new IngressSettings { Endpoint = "tcp://127.0.0.1:0", CurveSecretKeyZ85 = new NetMQCertificate().SecretKeyZ85 });
        var run = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", At(ingress), "--server-key", new NetMQCertificate().PublicKeyZ85, "--timeout", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no reply", run.Error);
    }

    [Theory]
    [InlineData("call")]
    [InlineData("call", "ping", "[1]")]
    [InlineData("call", "ping", "{bad")]
    [InlineData("call", "ping", "--socket", "pair")]
    [InlineData("call", "ping", "--timeout", "soon")]
    [InlineData("call", "ping", "--client", "a")]
    [InlineData("call", "ping", "--server-key", "short")]
    [InlineData("call", "ping", "--client", "a", "--client-key", "c2hvcnQ=")]
    [InlineData("call", "ping", "{}", "extra")]
    public async Task Usage_errors_exit_2_without_sending(params string[] args)
    {
        var run = await CommandLine.Run(CallCommand.Create(), args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("flowakka call: ", run.Error);
        Assert.Equal("", run.Output);
    }
}
