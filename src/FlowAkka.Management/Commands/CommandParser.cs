// Parses `module command -switch value "quoted value" --flag` against the registered palettes.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace FlowAkka.Management;

/// <summary>A command line that matched a palette command, with its argument values by argument name.</summary>
public sealed record ParsedCommand(
    CommandPalette Palette,
    CommandDefinition Definition,
    ImmutableDictionary<string, ImmutableList<string>> Arguments)
{
    public string Name => Definition.Name;

    public bool Has(string argumentName) => Arguments.ContainsKey(argumentName);

    public string? Value(string argumentName) =>
        Arguments.TryGetValue(argumentName, out var values) && values.Count > 0 ? values[^1] : null;

    public IReadOnlyList<string> Values(string argumentName) =>
        Arguments.TryGetValue(argumentName, out var values) ? values : [];

    /// <summary>A boolean flag: present (and not given as false/off/0).</summary>
    public bool Flag(string argumentName) =>
        Value(argumentName) is { } v && v is not ("false" or "False" or "off" or "0");

    /// <summary>An integer argument; a malformed or out-of-range value fails the command with a clear message.</summary>
    public int IntValue(string argumentName, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = Value(argumentName);
        if (raw is null)
            return defaultValue;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new CommandArgumentException(
                $"Argument '{argumentName}' must be an integer between {min} and {max}, got '{raw}'.");
        return value;
    }
}

/// <summary>Thrown by argument accessors; the handler base turns it into an <see cref="ErroredCommandResponse"/>.</summary>
public sealed class CommandArgumentException(string message) : Exception(message);

public sealed class CommandParser
{
    private readonly ImmutableArray<CommandPalette> _palettes;

    public CommandParser(IEnumerable<CommandPalette> palettes) => _palettes = palettes.ToImmutableArray();

    public CommandParser(params CommandPalette[] palettes) : this((IEnumerable<CommandPalette>)palettes)
    {
    }

    public bool TryParse(string input, out ParsedCommand? command, out string? error)
    {
        command = null;
        if (!Tokenizer.TryTokenize(input, out var tokens, out error))
            return false;

        if (tokens.Count == 0)
        {
            error = "No command given. Type `help` to see the available commands.";
            return false;
        }

        var palette = _palettes.FirstOrDefault(p => string.Equals(p.ModuleName, tokens[0], StringComparison.OrdinalIgnoreCase));
        if (palette is null)
        {
            error = $"Unknown command '{tokens[0]}'. Type `help` to see the available commands.";
            return false;
        }

        if (tokens.Count < 2)
        {
            error = $"Missing command for '{palette.ModuleName}'. Type `help {palette.ModuleName}` to see its commands.";
            return false;
        }

        var definition = palette.Find(tokens[1]);
        if (definition is null)
        {
            error = $"Unknown command '{palette.ModuleName} {tokens[1]}'. Type `help {palette.ModuleName}` to see its commands.";
            return false;
        }

        var fullName = $"{palette.ModuleName} {definition.Name}";
        var values = new Dictionary<string, ImmutableList<string>>(StringComparer.Ordinal);

        for (var i = 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (LooksLikeSwitch(token))
            {
                // `--depth=3` is accepted as well as `--depth 3`.
                string? inlineValue = null;
                var name = token;
                var equals = token.IndexOf('=');
                if (equals > 0)
                {
                    name = token[..equals];
                    inlineValue = token[(equals + 1)..];
                }

                var argument = definition.FindBySwitch(name);
                if (argument is null)
                {
                    error = $"Unknown argument '{name}' for `{fullName}`. Usage: {palette.ModuleName} {definition.Synopsis}";
                    return false;
                }

                string value;
                if (argument.IsFlag)
                {
                    value = inlineValue ?? "true";
                }
                else if (inlineValue is not null)
                {
                    value = inlineValue;
                }
                else if (i + 1 < tokens.Count)
                {
                    value = tokens[++i];
                }
                else
                {
                    error = $"Argument {argument.Usage} of `{fullName}` needs a value.";
                    return false;
                }

                Add(values, argument, value);
                continue;
            }

            var positional = definition.Arguments.FirstOrDefault(a => a.Positional && !values.ContainsKey(a.Name));
            if (positional is null)
            {
                error = $"Unexpected value '{token}' for `{fullName}`. Usage: {palette.ModuleName} {definition.Synopsis}";
                return false;
            }

            Add(values, positional, token);
        }

        var missing = definition.Arguments.Where(a => a.Mandatory && !values.ContainsKey(a.Name)).ToList();
        if (missing.Count > 0)
        {
            error = $"Missing mandatory argument{(missing.Count > 1 ? "s" : "")} "
                    + string.Join(", ", missing.Select(a => $"'{a.Name}' ({a.Usage})"))
                    + $" for `{fullName}`. Usage: {palette.ModuleName} {definition.Synopsis}";
            return false;
        }

        command = new ParsedCommand(palette, definition, values.ToImmutableDictionary(StringComparer.Ordinal));
        error = null;
        return true;
    }

    private static void Add(Dictionary<string, ImmutableList<string>> values, CommandArgument argument, string value)
    {
        // A repeated single-valued argument keeps its last value, like most CLIs.
        values[argument.Name] = argument.AllowMultiple && values.TryGetValue(argument.Name, out var existing)
            ? existing.Add(value)
            : [value];
    }

    // "-5" is a value (e.g. a negative number), not a switch.
    private static bool LooksLikeSwitch(string token) =>
        token.Length > 1 && token[0] == '-' && !char.IsDigit(token[1]);
}

/// <summary>Splits a command line into words; single or double quotes group words, backslash escapes inside double quotes.</summary>
public static class Tokenizer
{
    public static bool TryTokenize(string input, out List<string> tokens, out string? error)
    {
        tokens = [];
        error = null;
        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;

        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else if (c == '\\' && quote == '"' && i + 1 < input.Length && input[i + 1] is '"' or '\\')
                {
                    current.Append(input[++i]);
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }

                continue;
            }

            inToken = true;
            if (c is '"' or '\'')
                quote = c;
            else
                current.Append(c);
        }

        if (quote is not null)
        {
            error = $"Unterminated quote ({quote}) in command line.";
            return false;
        }

        if (inToken)
            tokens.Add(current.ToString());
        return true;
    }
}
