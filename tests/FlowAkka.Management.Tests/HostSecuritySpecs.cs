// Token authentication and the loopback-only policy.
using System.Net;
using Akka.TestKit.Xunit2;
using FlowAkka.Management.Host;
using Xunit.Abstractions;

namespace FlowAkka.Management.Tests;

public sealed class HostSecuritySpecs : TestKit, IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private IPEndPoint _endpoint = null!;

    public HostSecuritySpecs(ITestOutputHelper output)
        : base($"petabridge.cmd {{ port = 0, token = \"{Token}\" }}", "securityspec", output)
    {
    }

    public async Task InitializeAsync() => _endpoint = await PbmHost.Get(Sys).StartAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Wrong_or_missing_token_is_refused_and_the_connection_closed()
    {
        foreach (var token in new[] { "wrong", null })
        {
            await using var client = await PbmTestClient.ConnectAsync(_endpoint, token);
            Assert.Equal("error", client.Handshake!.Type);
            Assert.Contains("Authentication failed", client.Handshake.Text);
            Assert.Null(await client.NextAsync());
        }
    }

    [Fact]
    public async Task Right_token_gets_the_palettes()
    {
        await using var client = await PbmTestClient.ConnectAsync(_endpoint, Token);
        Assert.Equal("palettes", client.Handshake!.Type);
        Assert.Null((await client.RunAsync("actor system")).Error);
    }

    [Fact]
    public void Only_loopback_is_allowed_unless_remote_is_on()
    {
        Assert.True(ConnectionPolicy.IsAllowed(IPAddress.Loopback, allowRemote: false));
        Assert.True(ConnectionPolicy.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1"), allowRemote: false));
        Assert.True(ConnectionPolicy.IsAllowed(IPAddress.IPv6Loopback, allowRemote: false));
        Assert.False(ConnectionPolicy.IsAllowed(IPAddress.Parse("10.1.2.3"), allowRemote: false));
        Assert.True(ConnectionPolicy.IsAllowed(IPAddress.Parse("10.1.2.3"), allowRemote: true));
    }

    [Fact]
    public void Settings_come_from_hocon_and_options_override_them()
    {
        var settings = PbmHost.Get(Sys).Settings;
        Assert.Equal(Token, settings.Token);
        Assert.Equal("127.0.0.1", settings.Host);
        Assert.False(settings.AllowRemote);
        var overridden = settings.With(new PbmHostOptions { Port = 9999, AllowRemote = true });
        Assert.Equal(9999, overridden.Port);
        Assert.True(overridden.AllowRemote);
        Assert.Throws<Akka.Configuration.ConfigurationException>(() => settings.With(new PbmHostOptions { Port = 70000 }));
    }
}
