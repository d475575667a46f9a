// The composition of one FlowAkka node: logging, the actor system and every service it runs, read top to bottom.
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Akka.Hosting;
using FlowAkka.Cluster.Database;
using FlowAkka.Cluster.Hosting;
using FlowAkka.Cluster.Ingress;
using FlowAkka.Cluster.Queries;
using FlowAkka.Persistence.Redis.Hosting;
using FlowAkka.Management;
using FlowAkka.Node.Configuration;
using FlowAkka.Node.Management;
using FlowAkka.Node.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FlowAkka.Node.Hosting;

public static class NodeHost
{
    public static IHost Build(NodeSettings settings, string? hoconDirectory = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        ConfigureLogging(builder.Logging, settings);

        builder.Services.AddAkka(settings.Cluster.SystemName, (akka, _) =>
        {
            akka.AddFlowAkkaHocon(hoconDirectory);
            if (settings.ExtraHoconFile is { } extraHocon) akka.AddHoconFile(extraHocon, HoconAddMode.Prepend);
            akka
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = ToAkkaLevel(settings.LogLevel);
                    loggers.ClearLoggers();
                    loggers.AddLogger<NodeLogger>();
                })
                .AddFlowAkkaSerialization()
                .ConfigureFlowAkkaNetwork(settings.Cluster)
                .WithRedisPersistence(settings.RedisConfiguration, settings.RedisKeyPrefix)
                .ConfigureQueryService(QueryServiceOptionsFrom(settings))
                .AddPbmHost(new PbmHostOptions { Port = settings.PbmPort }, (pbm, _) =>
                    pbm.UseQueryAdministration(new QueryAdministration(pbm.System, ActorRegistry.For(pbm.System))))
                .AddStartup((system, _) =>
                {
                    var cluster = Akka.Cluster.Cluster.Get(system);
                    cluster.RegisterOnMemberUp(() =>
                        system.Log.Info("FlowAkka node {0} is Up (cluster of {1})", cluster.SelfAddress,
                            cluster.State.Members.Count));
                });
        });

        // The default console lifetime turns SIGTERM (Docker, systemd) and Ctrl+C into a host stop, which
        // Akka.Hosting runs as a coordinated shutdown: unbind, drain, hand off shards, leave.
        return builder.Build();
    }

    public static QueryServiceOptions QueryServiceOptionsFrom(NodeSettings settings) => new()
    {
        FlowDbConnectionString = settings.FlowDbConnectionString,
        DbPool = DbPoolSettings.Default with { PoolSize = settings.DbConnectionPoolSize },
        Queries = new QueryServiceSettings
        {
            DependencyCaching = !settings.DisableDependencyCaching,
            StatementTimeout = settings.StatementTimeout,
        },
        Ingress = new IngressSettings
        {
            Endpoint = $"tcp://{settings.ZmqBindAddress}:{settings.FlowMachinePort}",
            CurveSecretKeyZ85 = settings.CurveSecretKeyFile is { } keyFile ? CurveKeyFile.ReadSecretKey(keyFile) : null,
            ClientKeysFile = settings.ClientKeysFile,
        },
    };

    private static void ConfigureLogging(ILoggingBuilder logging, NodeSettings settings)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(settings.LogLevel);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (settings.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }

    private static Akka.Event.LogLevel ToAkkaLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => Akka.Event.LogLevel.DebugLevel,
        LogLevel.Information => Akka.Event.LogLevel.InfoLevel,
        LogLevel.Warning => Akka.Event.LogLevel.WarningLevel,
        _ => Akka.Event.LogLevel.ErrorLevel,
    };
}
