// A minimal wire-level client for the specs: speaks the host's JSON frames directly (independent of pbm's own client).
using System.Net;
using System.Net.Sockets;
using FlowAkka.Management.Wire;

namespace FlowAkka.Management.Tests;

internal sealed record CommandRun(IReadOnlyList<string> Lines, string? Error)
{
    public string Text => string.Join("\n", Lines);
}

internal sealed class PbmTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly FrameReader _reader;
    private int _id;

    private PbmTestClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new FrameReader(_stream);
    }

    public PbmFrame? Handshake { get; private set; }

    public IReadOnlyList<WirePalette> Palettes => Handshake?.Palettes ?? [];

    public static async Task<PbmTestClient> ConnectAsync(IPEndPoint endpoint, string? token = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Address, endpoint.Port);
        var client = new PbmTestClient(tcp);
        await client.SendAsync(new PbmFrame { Type = FrameTypes.Hello, Token = token });
        client.Handshake = await client.NextAsync();
        return client;
    }

    public async Task<CommandRun> RunAsync(string command)
    {
        var id = ++_id;
        await SendAsync(new PbmFrame { Type = FrameTypes.Command, Id = id, Text = command });
        var lines = new List<string>();
        while (true)
        {
            var frame = await NextAsync() ?? throw new IOException("host closed the connection");
            switch (frame.Type)
            {
                case FrameTypes.Response:
                    lines.AddRange(frame.Text!.Split(Environment.NewLine));
                    break;
                case FrameTypes.End:
                    return new CommandRun(lines, null);
                case FrameTypes.Error:
                    return new CommandRun(lines, frame.Text);
            }
        }
    }

    /// <summary>Starts a streaming command; read its output with <see cref="ReadUntilAsync"/>.</summary>
    public Task StartStreamAsync(string command) =>
        SendAsync(new PbmFrame { Type = FrameTypes.Command, Id = ++_id, Text = command });

    /// <summary>Reads streamed responses until one satisfies <paramref name="match"/>.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match)
    {
        while (true)
        {
            var frame = await NextAsync() ?? throw new IOException("host closed the connection");
            Assert.Equal(FrameTypes.Response, frame.Type);
            if (match(frame.Text!))
                return frame.Text!;
        }
    }

    /// <summary>Cancels the running stream (Ctrl+C) and returns the frame type that ended it.</summary>
    public async Task<string> CancelAsync()
    {
        await SendAsync(new PbmFrame { Type = FrameTypes.Cancel, Id = _id });
        while (true)
        {
            var frame = await NextAsync() ?? throw new IOException("host closed the connection");
            if (frame.Type != FrameTypes.Response)
                return frame.Type;
        }
    }

    public async Task<PbmFrame?> NextAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var line = await _reader.ReadLineAsync(cts.Token);
        return line is null ? null : PbmWire.Decode(line);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        _client.Dispose();
    }

    private async Task SendAsync(PbmFrame frame) => await _stream.WriteAsync(PbmWire.Encode(frame));
}
