// Tab completion over the downloaded palettes: modules, command names, switches and switches' default values.
using FlowAkka.Management.Wire;

namespace FlowAkka.Pbm;

internal sealed class Completer(IReadOnlyList<WirePalette> palettes)
{
    private static readonly string[] ClientCommands = ["help", "history", "exit"];

    /// <summary>Candidates for the word being typed at the end of <paramref name="buffer"/>.</summary>
    public IReadOnlyList<string> Candidates(string buffer, out string partial)
    {
        var words = buffer.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        partial = buffer.EndsWith(' ') || words.Count == 0 ? string.Empty : words[^1];
        if (partial.Length > 0)
            words.RemoveAt(words.Count - 1);

        IEnumerable<string> options;
        if (words.Count == 0)
        {
            options = palettes.Select(p => p.Module).Concat(ClientCommands);
        }
        else
        {
            var offset = words[0] == "help" ? 1 : 0;
            var moduleWords = words.Skip(offset).ToList();
            var palette = moduleWords.Count > 0
                ? palettes.FirstOrDefault(p => string.Equals(p.Module, moduleWords[0], StringComparison.OrdinalIgnoreCase))
                : null;
            if (moduleWords.Count == 0)
                options = palettes.Select(p => p.Module);
            else if (palette is null)
                options = [];
            else if (moduleWords.Count == 1)
                options = palette.Commands.Select(c => c.Name);
            else if (offset == 1)
                options = [];
            else
                options = ArgumentOptions(palette, moduleWords);
        }

        var prefix = partial;
        return options.Where(o => o.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
    }

    private static IEnumerable<string> ArgumentOptions(WirePalette palette, List<string> words)
    {
        var command = palette.Commands.FirstOrDefault(c => string.Equals(c.Name, words[1], StringComparison.OrdinalIgnoreCase));
        if (command is null)
            return [];

        var previous = words[^1];
        var pending = command.Arguments.FirstOrDefault(a => !a.IsFlag && a.Switches.Contains(previous));
        if (pending is not null)
            return pending.DefaultValues;

        var used = words.Skip(2).ToHashSet();
        return command.Arguments.Where(a => !a.Switches.Any(used.Contains)).Select(a => a.Switches.LastOrDefault() ?? a.Name);
    }
}
