// A small terminal line editor for interactive pbm: cursor keys, history (Up/Down) and Tab completion.
using System.Text;

namespace FlowAkka.Pbm;

internal sealed class LineEditor(string prompt, List<string> history, Completer completer)
{
    public string? ReadLine()
    {
        Console.Write(prompt);
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = history.Count;

        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var line = buffer.ToString();
                    if (line.Trim().Length > 0 && (history.Count == 0 || history[^1] != line))
                        history.Add(line);
                    return line;
                case ConsoleKey.Backspace when cursor > 0:
                    buffer.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < buffer.Length:
                    buffer.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < buffer.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.UpArrow when historyIndex > 0:
                    Replace(buffer, history[--historyIndex], ref cursor);
                    break;
                case ConsoleKey.DownArrow when historyIndex < history.Count:
                    historyIndex++;
                    Replace(buffer, historyIndex == history.Count ? string.Empty : history[historyIndex], ref cursor);
                    break;
                case ConsoleKey.Tab:
                    Complete(buffer, ref cursor);
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && buffer.Length == 0:
                    Console.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                        buffer.Insert(cursor++, key.KeyChar);
                    break;
            }

            Redraw(buffer, cursor);
        }
    }

    private void Complete(StringBuilder buffer, ref int cursor)
    {
        // Completion works on the text left of the cursor; what follows is kept.
        var head = buffer.ToString(0, cursor);
        var candidates = completer.Candidates(head, out var partial);
        if (candidates.Count == 0)
            return;

        var insert = candidates.Count == 1 ? candidates[0] + " " : CommonPrefix(candidates);
        if (insert.Length > partial.Length)
        {
            buffer.Remove(cursor - partial.Length, partial.Length).Insert(cursor - partial.Length, insert);
            cursor += insert.Length - partial.Length;
        }
        else if (candidates.Count > 1)
        {
            Console.WriteLine();
            Console.WriteLine(string.Join("  ", candidates));
            Console.Write(prompt);
        }
    }

    private static string CommonPrefix(IReadOnlyList<string> values)
    {
        var prefix = values[0];
        foreach (var value in values.Skip(1))
        {
            var i = 0;
            while (i < prefix.Length && i < value.Length && char.ToLowerInvariant(prefix[i]) == char.ToLowerInvariant(value[i]))
                i++;
            prefix = prefix[..i];
        }

        return prefix;
    }

    private static void Replace(StringBuilder buffer, string text, ref int cursor)
    {
        buffer.Clear().Append(text);
        cursor = buffer.Length;
    }

    private void Redraw(StringBuilder buffer, int cursor)
    {
        var width = Math.Max(1, Console.BufferWidth);
        var text = prompt + buffer;
        Console.Write("\r" + text + new string(' ', Math.Max(0, width - 1 - text.Length)));
        Console.Write("\r" + prompt + buffer.ToString(0, cursor));
    }
}
