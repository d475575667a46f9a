// `help`, `help <module>` and `help <module> <command>` rendered from the downloaded palettes.
using System.Text;
using FlowAkka.Management.Wire;

namespace FlowAkka.Pbm;

internal static class HelpText
{
    public static (string Text, bool Found) Render(IReadOnlyList<WirePalette> palettes, string? topic)
    {
        var words = (topic ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        if (words.Length == 0)
        {
            text.AppendLine("Available commands (type `help <module>` or `help <module> <command>` for details):");
            foreach (var palette in palettes)
            {
                text.AppendLine();
                text.AppendLine($"{palette.Module}: {palette.Description}");
                foreach (var command in palette.Commands)
                    text.AppendLine($"    {palette.Module} {Synopsis(command),-60} {command.Description}");
            }

            text.AppendLine();
            text.Append("help [module [command]] | history | exit");
            return (text.ToString(), true);
        }

        var match = palettes.FirstOrDefault(p => string.Equals(p.Module, words[0], StringComparison.OrdinalIgnoreCase));
        if (match is null)
            return ($"Unknown command '{words[0]}'. Type `help` to see the available commands.", false);

        var commands = words.Length > 1
            ? match.Commands.Where(c => string.Equals(c.Name, words[1], StringComparison.OrdinalIgnoreCase)).ToList()
            : match.Commands.ToList();
        if (commands.Count == 0)
            return ($"Unknown command '{match.Module} {words[1]}'. Type `help {match.Module}` to see its commands.", false);

        text.AppendLine($"{match.Module}: {match.Description}");
        foreach (var command in commands)
        {
            text.AppendLine();
            text.AppendLine($"{match.Module} {Synopsis(command)}");
            text.AppendLine($"    {command.Description}");
            foreach (var argument in command.Arguments)
            {
                var defaults = argument.DefaultValues.Count > 0 ? $" (e.g. {string.Join(", ", argument.DefaultValues)})" : "";
                var required = argument.Mandatory ? " [required]" : "";
                text.AppendLine($"    {string.Join(", ", argument.Switches),-18} {argument.Description}{required}{defaults}");
            }
        }

        return (text.ToString().TrimEnd(), true);
    }

    private static string Synopsis(WireCommand command) =>
        string.Join(' ', new[] { command.Name }.Concat(command.Arguments.Select(a =>
        {
            var spelled = a.Positional ? $"<{a.Name}>" : a.IsFlag ? a.Switches[0] : $"{a.Switches[0]} <{a.Name}>";
            return a.Mandatory ? spelled : $"[{spelled}]";
        })));
}
