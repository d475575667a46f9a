// Akka.Hosting integration: builder.AddPbmHost(options, cmd => cmd.RegisterCommandPalette(...)).
using Akka.DependencyInjection;
using Akka.Hosting;

namespace FlowAkka.Management;

public static class PbmHostingExtensions
{
    /// <summary>Configures and starts the command host once the actor system is up.</summary>
    public static AkkaConfigurationBuilder AddPbmHost(
        this AkkaConfigurationBuilder builder, PbmHostOptions? options = null, Action<PbmHost>? configure = null) =>
        builder.AddPbmHost(options, configure is null ? null : (host, _) => configure(host));

    /// <summary>As above, with the DI resolver (e.g. to fetch the node's <see cref="IQueryAdministration"/>).</summary>
    public static AkkaConfigurationBuilder AddPbmHost(
        this AkkaConfigurationBuilder builder, PbmHostOptions? options, Action<PbmHost, IDependencyResolver>? configure)
    {
        builder.AddHocon(PbmSettings.DefaultConfig, HoconAddMode.Append);
        return builder.WithActors((system, _, resolver) =>
        {
            var host = PbmHost.Get(system);
            if (options is not null)
                host.Configure(options);
            configure?.Invoke(host, resolver);
            host.Start();
        });
    }
}
