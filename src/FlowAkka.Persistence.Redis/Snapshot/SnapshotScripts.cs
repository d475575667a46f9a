// Lua scripts of the snapshot store. KEYS[1] = index (sorted set of sequence numbers), KEYS[2] = data (HASH seq →
// blob), KEYS[3] = time (HASH seq → 20-digit zero-padded ticks). Selection runs on the index and times only; the one
// chosen blob is the only payload that leaves Redis.
namespace FlowAkka.Persistence.Redis.Snapshot;

internal static class SnapshotScripts
{
    /// <summary>ARGV: seq, ticks, blob. A true upsert: a second save at the same seq replaces the first.</summary>
    public static readonly RedisScript Save = new("""
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        return 1
        """);

    /// <summary>ARGV: maxSeq, minSeq, maxTicks, minTicks. Returns {seq, ticks, blob} of the highest matching
    /// sequence number, or nil.</summary>
    public static readonly RedisScript Load = new("""
        local seqs = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2])
        for _, s in ipairs(seqs) do
          local t = redis.call('HGET', KEYS[3], s)
          if t and t <= ARGV[3] and t >= ARGV[4] then
            return {s, t, redis.call('HGET', KEYS[2], s)}
          end
        end
        return false
        """);

    /// <summary>ARGV: seq, ticks ('' = any time). Deletes the snapshot at seq unless it is newer than ticks.</summary>
    public static readonly RedisScript DeleteOne = new("""
        local t = redis.call('HGET', KEYS[3], ARGV[1])
        if not t then return 0 end
        if ARGV[2] ~= '' and t > ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        return 1
        """);

    /// <summary>ARGV: maxSeq, minSeq, maxTicks, minTicks. Deletes every matching snapshot, returns how many.</summary>
    public static readonly RedisScript DeleteMatching = new("""
        local seqs = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1])
        local n = 0
        for _, s in ipairs(seqs) do
          local t = redis.call('HGET', KEYS[3], s)
          if t and t <= ARGV[3] and t >= ARGV[4] then
            redis.call('ZREM', KEYS[1], s)
            redis.call('HDEL', KEYS[2], s)
            redis.call('HDEL', KEYS[3], s)
            n = n + 1
          end
        end
        return n
        """);
}
