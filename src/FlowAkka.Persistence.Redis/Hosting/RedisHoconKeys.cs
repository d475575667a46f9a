using System.Globalization;
using System.Text;
using Akka.Hosting;

namespace FlowAkka.Persistence.Redis.Hosting;

/// <summary>The plugin keys both option classes write into their HOCON block (values quoted by Akka.Hosting).</summary>
internal static class RedisHoconKeys
{
    public static void Append(StringBuilder sb, string configurationString, string? keyPrefix, int? database,
        bool? useDatabaseFromConnectionString, TimeSpan? callTimeout)
    {
        sb.AppendLine($"configuration-string = {configurationString.ToHocon()}");
        if (keyPrefix is not null) sb.AppendLine($"key-prefix = {keyPrefix.ToHocon()}");
        if (database is not null) sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"database = {database.Value}"));
        if (useDatabaseFromConnectionString is not null)
            sb.AppendLine($"use-database-number-from-connection-string = {useDatabaseFromConnectionString.Value.ToHocon()}");
        if (callTimeout is not null)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"call-timeout = {(long)callTimeout.Value.TotalMilliseconds}ms"));
    }
}
