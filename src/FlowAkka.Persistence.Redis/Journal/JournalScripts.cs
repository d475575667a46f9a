// Lua scripts of the journal. Each touches only the keys it is given, all of one persistence id (one hash tag).
namespace FlowAkka.Persistence.Redis.Journal;

internal static class JournalScripts
{
    /// <summary>
    /// Appends one AtomicWrite. KEYS[1] = events sorted set, KEYS[2] = highest sequence number.
    /// ARGV[1] = lowest sequence number of the write, ARGV[2] = highest, then (score, member) pairs.
    /// Refuses (returns {0, stored}) unless the write starts above the stored highest, so a second writer for the
    /// same persistence id is detected instead of interleaved; otherwise stores every event and the new highest
    /// and returns {1, highest}. The check happens before any write, so a refusal stores nothing.
    /// </summary>
    public static readonly RedisScript Append = new("""
        local stored = tonumber(redis.call('GET', KEYS[2]) or '0')
        if tonumber(ARGV[1]) <= stored then
          return {0, stored}
        end
        local args = {}
        for i = 3, #ARGV do
          args[#args + 1] = ARGV[i]
          -- unpack() is limited by the Lua C stack: very large writes go in slices.
          if #args >= 6000 then
            redis.call('ZADD', KEYS[1], unpack(args))
            args = {}
          end
        end
        if #args > 0 then
          redis.call('ZADD', KEYS[1], unpack(args))
        end
        redis.call('SET', KEYS[2], ARGV[2])
        return {1, tonumber(ARGV[2])}
        """);
}
