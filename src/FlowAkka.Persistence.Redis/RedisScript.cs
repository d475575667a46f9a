// A Lua script evaluated by SHA1 (EVALSHA via ScriptEvaluateAsync); a server that lost its script cache (restart,
// failover, SCRIPT FLUSH) gets the source once through EVAL, which caches it again.
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace FlowAkka.Persistence.Redis;

public sealed class RedisScript
{
    private readonly byte[] _sha1;

    public RedisScript(string source)
    {
        Source = source;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
    }

    public string Source { get; }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values, CommandFlags flags)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, values, flags).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Source, keys, values, flags).ConfigureAwait(false);
        }
    }
}
