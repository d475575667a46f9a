// The `flowakka` executable: every command of a FlowAkka deployment.
using System.CommandLine;
using FlowAkka.Node.Commands;

var root = new RootCommand("FlowAkka: a FlowKit flowmachine-compatible query server on an Akka.NET cluster.")
{
    ServeCommand.Create(),
    DatagenCommand.Create(),
    KeygenCommand.Create(),
    CallCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
