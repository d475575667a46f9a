// The command host as an ActorSystem extension: palette registration, start (bind) and coordinated-shutdown unbind.
using System.Collections.Immutable;
using System.Net;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using FlowAkka.Management.Host;
using FlowAkka.Management.Palettes;

namespace FlowAkka.Management;

public sealed class PbmHost : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly object _gate = new();
    private ImmutableList<CommandPaletteHandler> _handlers = [];
    private Task<IPEndPoint>? _started;
    private IActorRef? _logMemorizer;

    public PbmHost(ExtendedActorSystem system)
    {
        _system = system;
        system.Settings.InjectTopLevelFallback(PbmSettings.DefaultConfig);
        Settings = PbmSettings.Create(system);
    }

    public static PbmHost Get(ActorSystem system) => system.WithExtension<PbmHost, PbmHostProvider>();

    public ActorSystem System => _system;

    /// <summary>Effective settings: HOCON `petabridge.cmd`, then any <see cref="Configure"/> overrides.</summary>
    public PbmSettings Settings { get; private set; }

    /// <summary>The palettes a connecting client downloads (built-ins are added by <see cref="StartAsync"/>).</summary>
    public IReadOnlyList<CommandPalette> Palettes => _handlers.Select(h => h.Palette).ToList();

    /// <summary>The bound endpoint once started (useful with port 0).</summary>
    public IPEndPoint? BoundEndpoint => _started is { IsCompletedSuccessfully: true } t ? t.Result : null;

    internal IActorRef LogMemorizer => _logMemorizer ?? throw new InvalidOperationException("PbmHost is not started");

    /// <summary>Applies code-first options; must be called before <see cref="Start"/>.</summary>
    public PbmHost Configure(PbmHostOptions options)
    {
        lock (_gate)
        {
            if (_started is not null)
                throw new InvalidOperationException("PbmHost is already started; configure it before Start().");
            Settings = Settings.With(options);
            if (options.QueryAdministration is not null)
                UseQueryAdministration(options.QueryAdministration);
        }

        return this;
    }

    /// <summary>Offers the `query`, `cache` and `workers` palettes backed by <paramref name="administration"/>.</summary>
    public PbmHost UseQueryAdministration(IQueryAdministration administration)
    {
        foreach (var handler in QueryCommands.Handlers(administration))
            RegisterCommandPalette(handler);
        return this;
    }

    /// <summary>
    /// Adds a palette; false when a palette with the same module name is already registered. Palettes registered
    /// after start are offered to clients that connect afterwards.
    /// </summary>
    public bool RegisterCommandPalette(CommandPaletteHandler handler)
    {
        lock (_gate)
        {
            if (_handlers.Any(h => string.Equals(h.Palette.ModuleName, handler.Palette.ModuleName, StringComparison.OrdinalIgnoreCase)))
                return false;
            _handlers = _handlers.Add(handler);
        }

        handler.OnRegister(this);
        return true;
    }

    /// <summary>Starts the host (idempotent) without waiting for the bind.</summary>
    public void Start() => _ = StartAsync();

    /// <summary>Starts the host (idempotent) and completes with the bound endpoint, or faults if binding failed.</summary>
    public Task<IPEndPoint> StartAsync()
    {
        lock (_gate)
        {
            if (_started is not null)
                return _started;

            _logMemorizer = _system.ActorOf(Props.Create(() => new LogMemorizer(Settings.LogBufferSize)), LogCommands.MemorizerName);
            // Subscribed here rather than in PreStart so no event logged after Start() returns is missed.
            _system.EventStream.Subscribe(_logMemorizer, typeof(Akka.Event.LogEvent));
            RegisterBuiltIns();

            var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            var listener = _system.ActorOf(
                Props.Create(() => new PbmListener(Settings, () => _handlers, bound)), PbmListener.Name);
            CoordinatedShutdown.Get(_system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "petabridge.cmd-unbind", async () =>
            {
                try
                {
                    await listener.GracefulStop(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
                }
                catch (TaskCanceledException)
                {
                    // Not stopped in time: actor-system termination will stop it anyway.
                }

                return Done.Instance;
            });
            _started = bound.Task;
            return _started;
        }
    }

    private void RegisterBuiltIns()
    {
        // Built-ins first so `help` lists them first; users' palettes already registered keep their place after them.
        var builtIns = new List<CommandPaletteHandler> { ActorCommands.Handler, LogCommands.Handler };
        if (_system.Provider is IClusterActorRefProvider)
        {
            builtIns.Add(ClusterCommands.Handler);
            builtIns.Add(ClusterShardingCommands.Handler);
        }

        var user = _handlers;
        _handlers = [];
        foreach (var handler in builtIns.Concat(user))
            if (!_handlers.Any(h => string.Equals(h.Palette.ModuleName, handler.Palette.ModuleName, StringComparison.OrdinalIgnoreCase)))
                _handlers = _handlers.Add(handler);
    }
}

public sealed class PbmHostProvider : ExtensionIdProvider<PbmHost>
{
    public override PbmHost CreateExtension(ExtendedActorSystem system) => new(system);
}
