// Parses NodeSettings from an EnvironmentSource; every bad value becomes one message naming its variable.
using System.Globalization;
using FlowAkka.Cluster.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowAkka.Node.Configuration;

public static class NodeSettingsReader
{
    public static NodeSettings Read(EnvironmentSource source)
    {
        var errors = new List<string>();

        int Port(string name, int fallback, bool allowZero = false)
        {
            var raw = source.Get(name);
            if (raw is null) return fallback;
            if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port <= 65535 && (port >= 1 || (allowZero && port == 0)))
                return port;
            errors.Add($"{name}: '{raw}' is not a port number (1-65535).");
            return fallback;
        }

        int Positive(string name, int fallback)
        {
            var raw = source.Get(name);
            if (raw is null) return fallback;
            if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1) return value;
            errors.Add($"{name}: '{raw}' is not a positive whole number.");
            return fallback;
        }

        bool Flag(string name)
        {
            var raw = source.Get(name);
            if (raw is null) return false;
            // FlowKit's get_env_as_bool: "true" in any case means on; we also refuse typos instead of reading them as off.
            switch (raw.ToLowerInvariant())
            {
                case "true" or "1" or "yes" or "on": return true;
                case "false" or "0" or "no" or "off": return false;
                default:
                    errors.Add($"{name}: '{raw}' is not a boolean (true or false).");
                    return false;
            }
        }

        string Text(string name, string fallback) => source.Get(name) ?? fallback;

        LogLevel Level()
        {
            var raw = source.Get("FLOWMACHINE_LOG_LEVEL");
            if (raw is null) return LogLevel.Information;
            switch (raw.ToLowerInvariant())
            {
                case "debug": return LogLevel.Debug;
                case "info" or "information": return LogLevel.Information;
                case "warning" or "warn": return LogLevel.Warning;
                case "error": return LogLevel.Error;
                case "critical": return LogLevel.Critical;
                default:
                    errors.Add($"FLOWMACHINE_LOG_LEVEL: '{raw}' is not one of debug, info, warning, error, critical.");
                    return LogLevel.Information;
            }
        }

        LogFormat Format()
        {
            var raw = source.Get("FLOWAKKA_LOG_FORMAT");
            switch (raw?.ToLowerInvariant())
            {
                case null or "plain": return LogFormat.Plain;
                case "json": return LogFormat.Json;
                default:
                    errors.Add($"FLOWAKKA_LOG_FORMAT: '{raw}' is not one of plain, json.");
                    return LogFormat.Plain;
            }
        }

        IReadOnlyList<string> Seeds()
        {
            var raw = source.Get("FLOWAKKA_SEED_NODES");
            if (raw is null) return [];
            var seeds = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var seed in seeds)
            {
                if (!Akka.Actor.Address.TryParse(seed, out _))
                    errors.Add($"FLOWAKKA_SEED_NODES: '{seed}' is not an Akka address such as akka.tcp://flowakka@10.0.0.1:4053.");
            }
            return seeds;
        }

        var password = source.Get("FLOWMACHINE_FLOWDB_PASSWORD");
        if (password is null) errors.Add("FLOWMACHINE_FLOWDB_PASSWORD: required (the password of the FlowDB role the node connects as).");

        var hostname = Text("FLOWAKKA_HOSTNAME", "127.0.0.1");
        var settings = new NodeSettings
        {
            FlowMachinePort = Port("FLOWMACHINE_PORT", 5555, allowZero: true),
            FlowDbHost = Text("FLOWDB_HOST", "localhost"),
            FlowDbDatabase = Text("FLOWDB_DATABASE", "flowdb"),
            FlowDbPort = Port("FLOWDB_PORT", 9000),
            FlowDbUser = Text("FLOWMACHINE_FLOWDB_USER", "flowmachine"),
            FlowDbPassword = password ?? "",
            RedisHost = Text("REDIS_HOST", "localhost"),
            RedisPort = Port("REDIS_PORT", 6379),
            RedisPassword = source.Get("REDIS_PASSWORD"),
            DbConnectionPoolSize = Positive("DB_CONNECTION_POOL_SIZE", 5),
            StatementTimeout = TimeSpan.FromSeconds(Positive("FLOWAKKA_STATEMENT_TIMEOUT", 3600)),
            DisableDependencyCaching = Flag("FLOWMACHINE_SERVER_DISABLE_DEPENDENCY_CACHING"),
            LogLevel = Level(),
            LogFormat = Format(),
            PbmPort = Port("FLOWAKKA_PBM_PORT", 9110, allowZero: true),
            Cluster = new ClusterNodeOptions
            {
                Hostname = hostname,
                PublicHostname = source.Get("FLOWAKKA_PUBLIC_HOSTNAME"),
                RemotePort = Port("FLOWAKKA_REMOTE_PORT", 4053, allowZero: true),
                SeedNodes = Seeds(),
            },
            CurveSecretKeyFile = source.GetFilePath("FLOWAKKA_CURVE_SECRET_KEY_FILE"),
            ZmqBindAddress = Text("FLOWAKKA_ZMQ_BIND", "*"),
            ExtraHoconFile = source.GetFilePath("FLOWAKKA_EXTRA_HOCON_FILE"),
            RedisKeyPrefix = source.Get("FLOWAKKA_REDIS_KEY_PREFIX") ?? "flowakka:",
            ClientKeysFile = source.GetFilePath("FLOWAKKA_CLIENT_KEYS_FILE"),
        };

        if (settings.CurveSecretKeyFile is { } keyFile && !File.Exists(keyFile))
            errors.Add($"FLOWAKKA_CURVE_SECRET_KEY_FILE: '{keyFile}' does not exist.");
        // StackExchange.Redis configuration strings have no escaping: a ',' would end the password.
        if (settings.RedisPassword is { } redisPassword && redisPassword.Contains(','))
            errors.Add("REDIS_PASSWORD: must not contain ',' (StackExchange.Redis cannot carry it in a configuration string).");
        if (settings.ExtraHoconFile is { } extra && !File.Exists(extra))
            errors.Add($"FLOWAKKA_EXTRA_HOCON_FILE: '{extra}' does not exist.");
        if (settings.ClientKeysFile is { } clientKeys && !File.Exists(clientKeys))
            errors.Add($"FLOWAKKA_CLIENT_KEYS_FILE: '{clientKeys}' does not exist.");

        if (errors.Count > 0) throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        return settings;
    }
}
