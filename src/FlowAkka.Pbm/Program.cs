// Entry point of the `pbm` client: wires the real console and Ctrl+C to PbmCli.
using FlowAkka.Pbm;

var cli = new PbmCli(PbmConsole.System(), Environment.GetEnvironmentVariable("PBM_TOKEN"));
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C stops a streaming command (cluster tail, log tail) and returns to the prompt; otherwise it exits.
    e.Cancel = cli.Interrupt();
};
return await cli.RunAsync(args);
