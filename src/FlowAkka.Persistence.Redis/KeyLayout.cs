// Every Redis key the plugin uses. Per-persistence-id keys carry a hash tag of the (escaped) persistence id, so all
// keys of one id live in one Redis Cluster slot and a Lua script may touch them together; the layout is identical on
// standalone Redis, so data moves between the two without rewriting.
using System.Text;
using StackExchange.Redis;

namespace FlowAkka.Persistence.Redis;

public sealed class KeyLayout
{
    public KeyLayout(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (keyPrefix.IndexOfAny(['{', '}']) >= 0)
            throw new ArgumentException($"key-prefix \"{keyPrefix}\" must not contain '{{' or '}}': they would break the per-persistence-id hash tag.", nameof(keyPrefix));
        Prefix = keyPrefix;
        PersistenceIds = keyPrefix + "journal:persistence-ids";
    }

    public string Prefix { get; }

    /// <summary>SET of every persistence id that was written (no hash tag: it spans all ids, so it is written
    /// beside, not inside, the atomic append).</summary>
    public RedisKey PersistenceIds { get; }

    /// <summary>Sorted set of serialized events, score = sequence number.</summary>
    public RedisKey Events(string persistenceId) => $"{Prefix}journal:{Tag(persistenceId)}:events";

    /// <summary>String holding the highest sequence number ever written; never deleted.</summary>
    public RedisKey HighestSequenceNr(string persistenceId) => $"{Prefix}journal:{Tag(persistenceId)}:highest";

    /// <summary>Sorted set of snapshot sequence numbers (member = score = sequence number).</summary>
    public RedisKey SnapshotIndex(string persistenceId) => $"{Prefix}snapshot:{Tag(persistenceId)}:index";

    /// <summary>HASH sequence number → serialized snapshot.</summary>
    public RedisKey SnapshotData(string persistenceId) => $"{Prefix}snapshot:{Tag(persistenceId)}:data";

    /// <summary>HASH sequence number → zero-padded timestamp ticks (compared as strings inside Lua, where numbers
    /// are doubles and would lose tick precision).</summary>
    public RedisKey SnapshotTime(string persistenceId) => $"{Prefix}snapshot:{Tag(persistenceId)}:time";

    /// <summary>"{escaped id}": '%', '{' and '}' are percent-escaped so the tag is the whole id and stays injective.</summary>
    public static string Tag(string persistenceId)
    {
        if (string.IsNullOrEmpty(persistenceId))
            throw new ArgumentException("A persistence id must not be empty.", nameof(persistenceId));
        var sb = new StringBuilder(persistenceId.Length + 2).Append('{');
        foreach (var c in persistenceId)
        {
            switch (c)
            {
                case '%': sb.Append("%25"); break;
                case '{': sb.Append("%7B"); break;
                case '}': sb.Append("%7D"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('}').ToString();
    }
}
