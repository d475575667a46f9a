// The pbm client run in-process against a real host: one-shot exit codes, interactive mode over redirected stdin.
using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using FlowAkka.Pbm;
using Xunit.Abstractions;

namespace FlowAkka.Management.Tests;

public sealed class PbmCliSpecs : TestKit, IAsyncLifetime
{
    private IPEndPoint _endpoint = null!;

    public PbmCliSpecs(ITestOutputHelper output) : base("petabridge.cmd.port = 0", "clispec", output)
    {
    }

    private string Endpoint => $"127.0.0.1:{_endpoint.Port}";

    public async Task InitializeAsync() =>
        _endpoint = await PbmHost.Get(Sys).Configure(new PbmHostOptions { QueryAdministration = new SampleQueryAdministration() })
            .StartAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_shot_prints_the_responses_and_exits_zero()
    {
        var (code, output, _) = await RunAsync(null, Endpoint, "actor", "system");
        Assert.Equal(PbmCli.ExitOk, code);
        Assert.Equal("akka://clispec", output.Trim());
    }

    [Fact]
    public async Task One_shot_exits_non_zero_on_an_error_response()
    {
        var (code, output, error) = await RunAsync(null, Endpoint, "query", "show", "zz");
        Assert.Equal(PbmCli.ExitCommandFailed, code);
        Assert.Equal("Unknown query id 'zz'.", error.Trim());
        Assert.Equal("", output);

        (code, _, error) = await RunAsync(null, Endpoint, "cluster", "show");
        Assert.Equal(PbmCli.ExitCommandFailed, code);
        Assert.Contains("Unknown command 'cluster'", error);
    }

    [Fact]
    public async Task Quoted_arguments_survive_the_shell_split()
    {
        var (code, _, error) = await RunAsync(null, Endpoint, "query", "show", "a b");
        Assert.Equal(PbmCli.ExitCommandFailed, code);
        Assert.Equal("Unknown query id 'a b'.", error.Trim());
    }

    [Fact]
    public async Task Interactive_mode_reads_commands_from_redirected_stdin()
    {
        var input = new StringReader("help\nquery list --state queued\nnope\nexit\nactor system\n");
        var (code, output, error) = await RunAsync(input, Endpoint);
        Assert.Equal(PbmCli.ExitOk, code);
        Assert.Contains($"successfully connected to {Endpoint}", output);
        Assert.Contains("Commands downloaded from server. type `help` to see what's available", output);
        Assert.Contains($"[{Endpoint}] pbm> ", output);
        Assert.Contains("query list [--state <state>]", output);
        Assert.Contains("c3 | daily_location | queued", output);
        Assert.Contains("Unknown command 'nope'", error);
        // `exit` ended the session before the last line.
        Assert.DoesNotContain("akka://clispec", output);
    }

    [Fact]
    public async Task Interactive_mode_reports_when_the_host_goes_away()
    {
        var other = ActorSystem.Create("otherhost", "petabridge.cmd.port = 0");
        var endpoint = await PbmHost.Get(other).StartAsync();
        var out_ = new StringWriter();
        var cli = new PbmCli(new PbmConsole(new NeverEndingInput(), out_, TextWriter.Null, false));
        var run = cli.RunAsync([$"127.0.0.1:{endpoint.Port}"]);
        await AwaitConditionAsync(() => Task.FromResult(out_.ToString().Contains("pbm> ")), TimeSpan.FromSeconds(20));
        await other.Terminate();
        Assert.Equal(PbmCli.ExitConnectionLost, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Token_is_sent_from_the_flag_or_the_environment()
    {
        var secured = ActorSystem.Create("securedhost", "petabridge.cmd { port = 0, token = \"t0k\" }");
        try
        {
            var endpoint = $"127.0.0.1:{(await PbmHost.Get(secured).StartAsync()).Port}";
            var (code, _, error) = await RunAsync(null, endpoint, "--token", "bad", "actor", "system");
            Assert.Equal(PbmCli.ExitUsage, code);
            Assert.Contains("Authentication failed", error);

            (code, _, _) = await RunAsync(null, endpoint, "--token", "t0k", "actor", "system");
            Assert.Equal(PbmCli.ExitOk, code);

            var output = new StringWriter();
            var cli = new PbmCli(new PbmConsole(new StringReader(""), output, TextWriter.Null, false), environmentToken: "t0k");
            Assert.Equal(PbmCli.ExitOk, await cli.RunAsync([endpoint, "actor", "system"]));
            Assert.Equal("akka://securedhost", output.ToString().Trim());
        }
        finally
        {
            await secured.Terminate();
        }
    }

    [Fact]
    public async Task No_arguments_prints_the_usage_line_and_the_default_address()
    {
        var (_, output, _) = await RunAsync(new StringReader(""));
        Assert.StartsWith("Usage: pbm [host:port] [command]", output);
        Assert.Contains("[127.0.0.1:9110]", output);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(TextReader? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new PbmCli(new PbmConsole(input ?? new StringReader(""), output, error, false));
        var code = await cli.RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    private sealed class NeverEndingInput : TextReader
    {
        public override Task<string?> ReadLineAsync() => new TaskCompletionSource<string?>().Task;
    }
}
