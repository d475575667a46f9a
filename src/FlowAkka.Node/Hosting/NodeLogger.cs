// Akka's log events as Microsoft.Extensions.Logging entries: the event's class as category, its source and message
// as structured fields, so plain and JSON console output carry one timestamp and one level, not Akka's own prefix.
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace FlowAkka.Node.Hosting;

public sealed class NodeLogger : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<Type, ILogger> _loggers = [];

    public NodeLogger()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _factory = setup.HasValue ? setup.Value.LoggerFactory : NullLoggerFactory.Instance;
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent e:
                Log(e);
                return true;
            default:
                return false;
        }
    }

    private void Log(LogEvent e)
    {
        var type = e.LogClass ?? typeof(ActorSystem);
        if (!_loggers.TryGetValue(type, out var logger))
        {
            // Events logged with a string source carry a placeholder class: their category is plain "Akka".
            var category = type == typeof(DummyClassForStringSources) ? "Akka" : type.FullName ?? type.Name;
            _loggers[type] = logger = _factory.CreateLogger(category);
        }
        var level = e.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => LogLevel.Debug,
            AkkaLogLevel.InfoLevel => LogLevel.Information,
            AkkaLogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return;
        string text;
        try
        {
            text = e.Message?.ToString() ?? "";
        }
        catch (FormatException)
        {
            text = $"(malformed log message) {e.Message}";
        }
#pragma warning disable CA2254 // the template is fixed; Akka has formatted the message already
        logger.Log(level, e.Cause, "[{AkkaSource}] {Message}", e.LogSource, text);
#pragma warning restore CA2254
    }
}
