// Settings of the command host, read from HOCON `petabridge.cmd` and optionally overridden by PbmHostOptions.
using Akka.Actor;
using Akka.Configuration;

namespace FlowAkka.Management;

public sealed record PbmSettings(
    string Host,
    int Port,
    bool AllowRemote,
    string Token,
    bool LogPalettesOnStartup,
    int LogBufferSize,
    TimeSpan AskTimeout)
{
    /// <summary>The embedded reference configuration (the `petabridge.cmd` defaults).</summary>
    public static Config DefaultConfig { get; } =
        ConfigurationFactory.FromResource<PbmSettings>("FlowAkka.Management.reference.conf");

    public static PbmSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public static PbmSettings Create(Config config)
    {
        var section = config.GetConfig("petabridge.cmd").WithFallback(DefaultConfig.GetConfig("petabridge.cmd"));
        var settings = new PbmSettings(
            section.GetString("host", "127.0.0.1"),
            section.GetInt("port", 9110),
            section.GetBoolean("allow-remote", false),
            section.GetString("token", string.Empty) ?? string.Empty,
            section.GetBoolean("log-palettes-on-startup", true),
            section.GetInt("log-buffer-size", 1000),
            section.GetTimeSpan("ask-timeout", TimeSpan.FromSeconds(5)));
        settings.Validate();
        return settings;
    }

    public PbmSettings With(PbmHostOptions options)
    {
        var settings = this with
        {
            Host = options.Host ?? Host,
            Port = options.Port ?? Port,
            AllowRemote = options.AllowRemote ?? AllowRemote,
            Token = options.Token ?? Token,
            LogPalettesOnStartup = options.LogPalettesOnStartup ?? LogPalettesOnStartup,
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ConfigurationException($"petabridge.cmd.port must be between 0 and 65535, got {Port}");
        if (LogBufferSize < 1)
            throw new ConfigurationException($"petabridge.cmd.log-buffer-size must be positive, got {LogBufferSize}");
    }
}

/// <summary>Code-first overrides of <see cref="PbmSettings"/> (null = keep the HOCON value), plus services behind palettes.</summary>
public sealed class PbmHostOptions
{
    public string? Host { get; set; }

    public int? Port { get; set; }

    public bool? AllowRemote { get; set; }

    public string? Token { get; set; }

    public bool? LogPalettesOnStartup { get; set; }

    /// <summary>When set, the host offers the `query`, `cache` and `workers` palettes backed by it.</summary>
    public IQueryAdministration? QueryAdministration { get; set; }
}
