// Parses what Python's datetime.fromisoformat accepts (date, or date and time with an optional offset).
using System.Globalization;
using System.Text.RegularExpressions;

namespace FlowAkka.Queries.Fields;

public static partial class IsoDateTime
{
    [GeneratedRegex(
        @"^(?<y>\d{4})-?(?<mo>\d{2})-?(?<d>\d{2})(?:[T ](?<h>\d{2})(?::?(?<mi>\d{2})(?::?(?<s>\d{2})(?:[.,](?<f>\d{1,6}))?)?)?(?<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses to a UTC-naive DateTime (offsets are applied); false if the text is not a datetime.</summary>
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        int Part(string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            var dt = new DateTime(Part("y"), Part("mo"), Part("d"), Part("h"), Part("mi"), Part("s"), DateTimeKind.Unspecified);
            if (m.Groups["f"].Success)
            {
                var frac = m.Groups["f"].Value.PadRight(7, '0');
                dt = dt.AddTicks(long.Parse(frac, CultureInfo.InvariantCulture));
            }

            if (m.Groups["tz"].Success && m.Groups["tz"].Value != "Z")
            {
                var tz = m.Groups["tz"].Value.Replace(":", "", StringComparison.Ordinal);
                var sign = tz[0] == '-' ? -1 : 1;
                var hours = int.Parse(tz.AsSpan(1, 2), CultureInfo.InvariantCulture);
                var minutes = tz.Length >= 5 ? int.Parse(tz.AsSpan(3, 2), CultureInfo.InvariantCulture) : 0;
                if (hours > 23 || minutes > 59)
                {
                    return false;
                }

                dt = dt.AddMinutes(-sign * (hours * 60 + minutes));
            }

            value = dt;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The normalised text form used in canonical specs.</summary>
    public static string Format(DateTime value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0
            ? value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
