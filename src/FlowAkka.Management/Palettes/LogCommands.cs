// The built-in `log` palette and the log-memorizer actor that buffers recent log events from the EventStream.
using System.Globalization;
using Akka.Actor;
using Akka.Event;

namespace FlowAkka.Management.Palettes;

public static class LogCommands
{
    public const string MemorizerName = "petabridge.cmd-log-memorizer";

    private static readonly string[] Levels = ["debug", "info", "warning", "error"];

    public static readonly CommandPalette Palette = new(
        "log",
        "Recent and live log events of this node",
        new CommandDefinition("peek", "Prints the most recent buffered log events.",
            CommandArgument.Option("count", "How many events (default 50)", "-c", "--count").WithDefaultValues("10", "50", "200"),
            CommandArgument.Option("level", "Minimum level", "-l", "--level").WithDefaultValues(Levels)),
        new CommandDefinition("tail", "Streams new log events until Ctrl+C.",
            CommandArgument.Option("level", "Minimum level", "-l", "--level").WithDefaultValues(Levels)));

    public static CommandPaletteHandler Handler { get; } = new LogPaletteHandler();

    internal static LogLevel ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        null => LogLevel.DebugLevel,
        "debug" => LogLevel.DebugLevel,
        "info" => LogLevel.InfoLevel,
        "warning" or "warn" => LogLevel.WarningLevel,
        "error" => LogLevel.ErrorLevel,
        _ => throw new CommandArgumentException($"Unknown log level '{level}'; use one of {string.Join(", ", Levels)}."),
    };

    private sealed class LogPaletteHandler() : CommandPaletteHandler(LogCommands.Palette)
    {
        public override Props HandlerProps => Props.Create(() => new LogCommandHandler());
    }
}

/// <summary>A log event as pbm prints it.</summary>
public sealed record LogLine(DateTime Timestamp, LogLevel Level, string Text);

internal sealed record PeekLog(int Count, LogLevel MinLevel);

internal sealed record LogSnapshot(IReadOnlyList<LogLine> Lines);

internal sealed record TailLog(IActorRef Subscriber);

/// <summary>Keeps the last N log events; `log peek` reads them and `log tail` subscribers get each new one.</summary>
internal sealed class LogMemorizer : ReceiveActor
{
    private readonly Queue<LogLine> _buffer = new();
    private readonly HashSet<IActorRef> _tails = [];

    public LogMemorizer(int capacity)
    {
        Receive<LogEvent>(e =>
        {
            var line = new LogLine(e.Timestamp, e.LogLevel(), Format(e));
            _buffer.Enqueue(line);
            while (_buffer.Count > capacity)
                _buffer.Dequeue();
            foreach (var tail in _tails)
                tail.Tell(line);
        });
        Receive<PeekLog>(p =>
        {
            var lines = _buffer.Where(l => l.Level >= p.MinLevel).ToList();
            Sender.Tell(new LogSnapshot(lines.Skip(Math.Max(0, lines.Count - p.Count)).ToList()));
        });
        Receive<TailLog>(t =>
        {
            if (_tails.Add(t.Subscriber))
                Context.Watch(t.Subscriber);
        });
        Receive<Terminated>(t => _tails.Remove(t.ActorRef));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    internal static string Format(LogEvent e)
    {
        var level = e.LogLevel() switch
        {
            LogLevel.DebugLevel => "DEBUG",
            LogLevel.InfoLevel => "INFO",
            LogLevel.WarningLevel => "WARNING",
            _ => "ERROR",
        };
        var text = $"[{e.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}] [{level}] [{e.LogSource}] {e.Message}";
        return e.Cause is null ? text : $"{text}{Environment.NewLine}{e.Cause}";
    }
}

internal sealed class LogCommandHandler : CommandHandlerActor
{
    private IActorRef? _tailTo;
    private LogLevel _tailLevel;

    public LogCommandHandler() : base(LogCommands.Palette)
    {
        var host = PbmHost.Get(Context.System);
        ProcessAsync("peek", async (c, _) =>
        {
            var count = c.IntValue("count", 50, 1, 100_000);
            var level = LogCommands.ParseLevel(c.Value("level"));
            var snapshot = await host.LogMemorizer.Ask<LogSnapshot>(new PeekLog(count, level), host.Settings.AskTimeout)
                .ConfigureAwait(false);
            return snapshot.Lines.Count == 0
                ? CommandResult.Ok("No log events buffered yet.")
                : CommandResult.Ok(snapshot.Lines.Select(l => l.Text));
        });
        Process("tail", c =>
        {
            _tailLevel = LogCommands.ParseLevel(c.Value("level"));
            _tailTo = Sender;
            host.LogMemorizer.Tell(new TailLog(Self));
        });
        Receive<LogLine>(line =>
        {
            if (line.Level >= _tailLevel)
                _tailTo?.Tell(new CommandResponse(line.Text, false));
        });
    }
}
