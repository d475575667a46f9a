using System.Text.Json.Nodes;
using Akka.Actor;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Node.Commands;
using FlowAkka.Node.Security;
using FlowAkka.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Node.Tests;

/// <summary>Answers ping with pong and counts what it handles; everything else gets an error.</summary>
public sealed class PingHandler : ReceiveActor
{
    public PingHandler()
    {
        Receive<HandleAction>(request => Sender.Tell(new ActionReplied(request.CorrelationId,
            request.Request.Action == ActionNames.Ping ? Reply.Pong() : Reply.Error("Not here.", new JsonObject { ["action"] = request.Request.Action }))));
    }
}

public sealed class KeygenCommandSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("flowakka-keygen-").FullName;

    public KeygenCommandSpecs(ITestOutputHelper output) : base(output: output) { }

    void IDisposable.Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task Writes_an_owner_only_CURVE_secret_whose_key_serves_CURVE_clients()
    {
        var run = await CommandLine.Run(KeygenCommand.Create(), "keygen", "--out", _directory, "--name", "node1");
        Assert.Equal(0, run.ExitCode);
        var secretFile = Path.Combine(_directory, "node1.key_secret");
        var publicFile = Path.Combine(_directory, "node1.key");
        Assert.True(FileModes.IsOwnerOnly(secretFile));
        var printed = run.Output.Trim();
        Assert.Equal(40, printed.Length);
        Assert.Equal(printed, CurveKeyFile.ReadPublicKey(publicFile));

        await using var ingress = IngressSetup.Start(Sys, Sys.ActorOf(Props.Create(() => new PingHandler())), new IngressSettings
        {
            Endpoint = "tcp://127.0.0.1:0",
            CurveSecretKeyZ85 = CurveKeyFile.ReadSecretKey(secretFile),
        }, "keygen-curve");
        Assert.Equal(printed, ingress.CurvePublicKeyZ85);
        var call = await CommandLine.Run(CallCommand.Create(), "call", "ping", "--endpoint", $"tcp://127.0.0.1:{ingress.Port}", "--server-key", publicFile, "--timeout", "20");
        Assert.Equal("""{"status":"success","msg":"pong","payload":{}}""", call.Output.Trim());
        Assert.Equal(0, call.ExitCode);
    }

    [Fact]
    public async Task Refuses_to_overwrite_an_existing_secret_key()
    {
        Assert.Equal(0, (await CommandLine.Run(KeygenCommand.Create(), "keygen", "--out", _directory)).ExitCode);
        var before = await File.ReadAllTextAsync(Path.Combine(_directory, "server.key_secret"));
        var again = await CommandLine.Run(KeygenCommand.Create(), "keygen", "--out", _directory);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists", again.Error);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_directory, "server.key_secret")));
    }

    [Fact]
    public async Task Adds_then_rotates_a_client_key_in_an_owner_only_key_file()
    {
        var keysFile = Path.Combine(_directory, "clients.json");
        var first = await CommandLine.Run(KeygenCommand.Create(), "keygen", "--client", "flowapi", "--keys-file", keysFile);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("added client 'flowapi'", first.Error);
        Assert.True(FileModes.IsOwnerOnly(keysFile));
        var firstKey = Convert.FromBase64String(first.Output.Trim());
        Assert.True(ClientKeyFile.Read(keysFile).TryGetKey("flowapi", out var stored));
        Assert.Equal(firstKey, stored);

        var rotated = await CommandLine.Run(KeygenCommand.Create(), "keygen", "--client", "flowapi", "--keys-file", keysFile);
        Assert.Contains("rotated the key of client 'flowapi'", rotated.Error);
        Assert.True(ClientKeyFile.Read(keysFile).TryGetKey("flowapi", out var now));
        Assert.Equal(Convert.FromBase64String(rotated.Output.Trim()), now);
        Assert.NotEqual(firstKey, now);
    }

    [Theory]
    [InlineData("keygen", "--client", "a", "--out", "x")]
    [InlineData("keygen", "--keys-file", "k.json")]
    [InlineData("keygen", "--name", "../evil")]
    public async Task Mixed_or_bad_options_are_usage_errors(params string[] args)
    {
        var run = await CommandLine.Run(KeygenCommand.Create(), args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("flowakka keygen: ", run.Error);
    }
}
