// A connection to a command host: handshake, palette download, and running one command at a time.
using System.Net.Sockets;
using System.Threading.Channels;
using FlowAkka.Management.Wire;

namespace FlowAkka.Pbm;

internal sealed class PbmConnectionException(string message) : Exception(message);

internal enum CommandStatus
{
    Completed,
    Failed,
    Disconnected,
}

internal sealed record CommandOutcome(CommandStatus Status, string? Error = null);

internal sealed class PbmConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly Channel<PbmFrame> _inbox = Channel.CreateUnbounded<PbmFrame>();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private PbmConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public IReadOnlyList<WirePalette> Palettes { get; private set; } = [];

    /// <summary>Completes when the host closes the connection.</summary>
    public Task Terminated => _terminated.Task;

    public static async Task<PbmConnection> ConnectAsync(string host, int port, string? token, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new PbmConnectionException($"could not connect to {host}:{port}: {e.Message}");
        }

        var connection = new PbmConnection(client);
        _ = connection.ReadLoopAsync();
        await connection.SendAsync(new PbmFrame { Type = FrameTypes.Hello, Token = token }).ConfigureAwait(false);
        var reply = await connection.NextFrameAsync(ct).ConfigureAwait(false);
        switch (reply)
        {
            case { Type: FrameTypes.Palettes }:
                connection.Palettes = reply.Palettes ?? [];
                return connection;
            case { Type: FrameTypes.Error }:
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new PbmConnectionException(reply.Text ?? "the host refused the connection");
            default:
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new PbmConnectionException("the host closed the connection during the handshake");
        }
    }

    /// <summary>
    /// Runs a command, handing each response chunk to <paramref name="onResponse"/> as it arrives. Cancelling
    /// <paramref name="cancel"/> asks the host to stop the command (Ctrl+C on a streaming command).
    /// </summary>
    public async Task<CommandOutcome> ExecuteAsync(string commandLine, Action<string> onResponse, CancellationToken cancel)
    {
        var id = Interlocked.Increment(ref _nextId);
        if (!await TrySendAsync(new PbmFrame { Type = FrameTypes.Command, Id = id, Text = commandLine }).ConfigureAwait(false))
            return new CommandOutcome(CommandStatus.Disconnected);

        await using var registration = cancel.Register(() => _ = TrySendAsync(new PbmFrame { Type = FrameTypes.Cancel, Id = id }));
        while (true)
        {
            var frame = await NextFrameAsync(CancellationToken.None).ConfigureAwait(false);
            if (frame is null)
                return new CommandOutcome(CommandStatus.Disconnected);
            if (frame.Id is { } frameId && frameId != id)
                continue;
            switch (frame.Type)
            {
                case FrameTypes.Response:
                    onResponse(frame.Text ?? string.Empty);
                    break;
                case FrameTypes.End:
                    return new CommandOutcome(CommandStatus.Completed);
                case FrameTypes.Error:
                    return new CommandOutcome(CommandStatus.Failed, frame.Text);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        _client.Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async Task<PbmFrame?> NextFrameAsync(CancellationToken ct)
    {
        try
        {
            return await _inbox.Reader.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private async Task SendAsync(PbmFrame frame)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(PbmWire.Encode(frame), _closing.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<bool> TrySendAsync(PbmFrame frame)
    {
        try
        {
            await SendAsync(frame).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = new FrameReader(_stream);
        try
        {
            while (await reader.ReadLineAsync(_closing.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0 && PbmWire.Decode(line) is { } frame)
                    _inbox.Writer.TryWrite(frame);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // Treated like the host closing the connection.
        }
        finally
        {
            _inbox.Writer.TryComplete();
            _terminated.TrySetResult();
        }
    }
}
