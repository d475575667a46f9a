// The `/user/petabridge.cmd` actor: owns the TCP listener and starts one session actor per accepted connection.
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace FlowAkka.Management.Host;

internal sealed class PbmListener : ReceiveActor
{
    public const string Name = "petabridge.cmd";

    private readonly PbmSettings _settings;
    private readonly Func<IReadOnlyList<CommandPaletteHandler>> _handlers;
    private readonly TaskCompletionSource<IPEndPoint> _bound;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;

    public PbmListener(PbmSettings settings, Func<IReadOnlyList<CommandPaletteHandler>> handlers, TaskCompletionSource<IPEndPoint> bound)
    {
        _settings = settings;
        _handlers = handlers;
        _bound = bound;

        Receive<Accepted>(OnAccepted);
        Receive<AcceptFailed>(f =>
        {
            _log.Error(f.Cause, "petabridge.cmd host stopped accepting connections");
            Context.Stop(Self);
        });
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A failed session owns a socket that cannot be reused: stop it, never restart it.
        Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        try
        {
            _listener = new TcpListener(ConnectionPolicy.ParseBindAddress(_settings.Host), _settings.Port);
            _listener.Start();
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            _log.Error(e, "petabridge.cmd host could not bind to [{0}:{1}]", _settings.Host, _settings.Port);
            _bound.TrySetException(e);
            Context.Stop(Self);
            return;
        }

        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _log.Info("petabridge.cmd host bound to [{0}:{1}]", _settings.Host, endpoint.Port);
        if (_settings.LogPalettesOnStartup)
            _log.Info("petabridge.cmd palettes: {0}", string.Join(", ", _handlers().Select(h => h.Palette.ModuleName)));
        _bound.TrySetResult(endpoint);
        _ = AcceptLoopAsync(_listener, Self, _stopping.Token);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener?.Stop();
        _bound.TrySetException(new InvalidOperationException("petabridge.cmd host stopped before binding"));
        _log.Info("petabridge.cmd host unbound");
    }

    private static async Task AcceptLoopAsync(TcpListener listener, IActorRef self, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                self.Tell(new Accepted(client));
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Unbinding: expected.
        }
        catch (Exception e)
        {
            self.Tell(new AcceptFailed(e));
        }
    }

    private void OnAccepted(Accepted accepted)
    {
        var client = accepted.Client;
        if (client.Client.RemoteEndPoint is not IPEndPoint remote)
        {
            client.Dispose();
            return;
        }

        if (!ConnectionPolicy.IsAllowed(remote.Address, _settings.AllowRemote))
        {
            _log.Warning("petabridge.cmd refused connection from {0}: remote connections are off (petabridge.cmd.allow-remote)", remote);
            client.Dispose();
            return;
        }

        // Named after the endpoint, like Petabridge.Cmd (`127.0.0.1%3A56193`).
        var name = Uri.EscapeDataString(remote.ToString()).Replace("%5B", "").Replace("%5D", "");
        Context.ActorOf(Props.Create(() => new PbmSession(client, _settings, _handlers())), name);
    }

    private sealed record Accepted(TcpClient Client);

    private sealed record AcceptFailed(Exception Cause);
}
