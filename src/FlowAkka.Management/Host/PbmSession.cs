// One actor per pbm connection: handshake (token), palette download, then one command at a time routed to the
// connection's palette handler actors, with responses streamed back until the end marker.
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using FlowAkka.Management.Wire;

namespace FlowAkka.Management.Host;

internal sealed class PbmSession : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client;
    private readonly PbmSettings _settings;
    private readonly IReadOnlyList<CommandPaletteHandler> _handlers;
    private readonly CommandParser _parser;
    private readonly Dictionary<string, IActorRef> _handlerActors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _incarnation;

    public PbmSession(TcpClient client, PbmSettings settings, IReadOnlyList<CommandPaletteHandler> handlers)
    {
        _client = client;
        _settings = settings;
        _handlers = handlers;
        _parser = new CommandParser(handlers.Select(h => h.Palette));
        AwaitingHello();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var stream = _client.GetStream();
        var self = Self;
        _ = ReadLoopAsync(stream, self, _closing.Token);
        _ = WriteLoopAsync(stream, _outbox.Reader, self, _closing.Token);
        Timers.StartSingleTimer("hello", HelloTimedOut.Instance, HelloTimeout);
    }

    protected override void PostStop()
    {
        _outbox.Writer.TryComplete();
        _closing.Cancel();
        _client.Dispose();
    }

    private void AwaitingHello()
    {
        Receive<FrameReceived>(f => f.Frame.Type == FrameTypes.Hello, f =>
        {
            Timers.Cancel("hello");
            if (!ConnectionPolicy.TokenMatches(_settings.Token, f.Frame.Token))
            {
                _log.Warning("petabridge.cmd refused {0}: invalid or missing token", Self.Path.Name);
                SendAndClose(new PbmFrame { Type = FrameTypes.Error, Text = "Authentication failed: invalid or missing token (pbm --token X or env PBM_TOKEN)." });
                return;
            }

            foreach (var handler in _handlers)
                _handlerActors[handler.Palette.ModuleName] = StartHandler(handler);
            Send(new PbmFrame { Type = FrameTypes.Palettes, Palettes = _handlers.Select(h => ToWire(h.Palette)).ToList() });
            Become(Idle);
        });
        Receive<FrameReceived>(_ => SendAndClose(new PbmFrame { Type = FrameTypes.Error, Text = "Protocol error: expected hello." }));
        Receive<HelloTimedOut>(_ => Context.Stop(Self));
        CommonHandlers();
    }

    private void Idle()
    {
        Receive<FrameReceived>(f => f.Frame.Type == FrameTypes.Command, f => Execute(f.Frame));
        Receive<FrameReceived>(_ => { /* a late cancel for a command that already ended */ });
        // Replies of an earlier (already ended or cancelled) command are dropped.
        Receive<CommandResponse>(_ => { });
        Receive<ErroredCommandResponse>(_ => { });
        CommonHandlers();
    }

    private void Running(int id, string module)
    {
        Receive<CommandResponse>(_ => Sender.Equals(_handlerActors[module]), r =>
        {
            if (r.Text.Length > 0)
                Send(new PbmFrame { Type = FrameTypes.Response, Id = id, Text = r.Text });
            if (r.Final)
            {
                Send(new PbmFrame { Type = FrameTypes.End, Id = id });
                Become(Idle);
            }
        });
        Receive<ErroredCommandResponse>(_ => Sender.Equals(_handlerActors[module]), r =>
        {
            Send(new PbmFrame { Type = FrameTypes.Error, Id = id, Text = r.Text });
            Become(Idle);
        });
        Receive<FrameReceived>(f => f.Frame.Type == FrameTypes.Cancel, _ =>
        {
            // Stopping the handler ends whatever it streams (subscriptions die with it); the next command gets a fresh one.
            Context.Stop(_handlerActors[module]);
            _handlerActors[module] = StartHandler(_handlers.First(h => h.Palette.ModuleName == module));
            Send(new PbmFrame { Type = FrameTypes.End, Id = id });
            Become(Idle);
        });
        Receive<FrameReceived>(f => f.Frame.Type == FrameTypes.Command, f =>
            Send(new PbmFrame { Type = FrameTypes.Error, Id = f.Frame.Id, Text = "Another command is still running on this connection." }));
        Receive<CommandResponse>(_ => { });
        Receive<ErroredCommandResponse>(_ => { });
        Receive<FrameReceived>(_ => { });
        CommonHandlers();
    }

    private void CommonHandlers()
    {
        Receive<ConnectionClosed>(c =>
        {
            if (c.Reason is not null)
                _log.Debug("petabridge.cmd connection {0} closed: {1}", Self.Path.Name, c.Reason);
            Context.Stop(Self);
        });
    }

    private void Execute(PbmFrame frame)
    {
        var id = frame.Id ?? 0;
        if (!_parser.TryParse(frame.Text ?? string.Empty, out var command, out var error))
        {
            Send(new PbmFrame { Type = FrameTypes.Error, Id = id, Text = error });
            return;
        }

        var module = command!.Palette.ModuleName;
        _handlerActors[module].Tell(command);
        Become(() => Running(id, module));
    }

    private IActorRef StartHandler(CommandPaletteHandler handler) =>
        Context.ActorOf(handler.HandlerProps, $"{Uri.EscapeDataString(handler.Palette.ModuleName)}-{++_incarnation}");

    private void Send(PbmFrame frame) => _outbox.Writer.TryWrite(PbmWire.Encode(frame));

    private void SendAndClose(PbmFrame frame)
    {
        Send(frame);
        // Completing the outbox lets the writer flush the error before it closes the connection.
        _outbox.Writer.TryComplete();
    }

    private static WirePalette ToWire(CommandPalette palette) => new(
        palette.ModuleName,
        palette.Description,
        palette.Commands.Select(c => new WireCommand(
            c.Name,
            c.Description,
            c.Arguments.Select(a => new WireArgument(a.Name, a.Description, a.Switches, a.Mandatory, a.IsFlag, a.Positional, a.DefaultValues)).ToList()))
            .ToList());

    private static async Task ReadLoopAsync(NetworkStream stream, IActorRef self, CancellationToken ct)
    {
        var reader = new FrameReader(stream);
        try
        {
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                    continue;
                var frame = PbmWire.Decode(line);
                if (frame is null)
                {
                    self.Tell(new ConnectionClosed("malformed frame"));
                    return;
                }

                self.Tell(new FrameReceived(frame));
            }

            self.Tell(new ConnectionClosed(null));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            self.Tell(new ConnectionClosed(e.Message));
        }
        catch (OperationCanceledException)
        {
            // The session stopped first.
        }
    }

    private static async Task WriteLoopAsync(NetworkStream stream, ChannelReader<byte[]> outbox, IActorRef self, CancellationToken ct)
    {
        try
        {
            await foreach (var bytes in outbox.ReadAllAsync(ct).ConfigureAwait(false))
                await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
            // The outbox completes only when the session closes the connection on purpose (e.g. refused token).
            self.Tell(new ConnectionClosed("closed by host"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            self.Tell(new ConnectionClosed(e.Message));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record FrameReceived(PbmFrame Frame);

    private sealed record ConnectionClosed(string? Reason);

    private sealed class HelloTimedOut
    {
        public static readonly HelloTimedOut Instance = new();
    }
}
