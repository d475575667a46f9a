// `flowakka serve`: run one node until SIGTERM or Ctrl+C.
using System.CommandLine;
using FlowAkka.Node.Configuration;
using FlowAkka.Node.Hosting;
using Microsoft.Extensions.Hosting;

namespace FlowAkka.Node.Commands;

public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run a FlowAkka node: ZMQ ingress, query actors, DB workers, pbm host.");
        command.SetAction(async (_, cancellationToken) =>
        {
            NodeSettings settings;
            try
            {
                settings = NodeSettingsReader.Read(EnvironmentSource.Process());
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"flowakka: configuration error: {e.Message}");
                return 2;
            }

            using var host = NodeHost.Build(settings);
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
