// Remembers which persistence ids this journal already added to the persistence-id index, so the SADD beside the
// atomic append is paid once per id instead of once per write. Thread-safe: it is used after awaits.
using System.Collections.Concurrent;

namespace FlowAkka.Persistence.Redis.Journal;

internal sealed class PersistenceIdIndex
{
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, byte> _indexed = new(StringComparer.Ordinal);

    public bool IsIndexed(string persistenceId) => _indexed.ContainsKey(persistenceId);

    public void MarkIndexed(string persistenceId)
    {
        // Bounded memory: forgetting only costs a redundant (idempotent) SADD.
        if (_indexed.Count >= MaxRemembered) _indexed.Clear();
        _indexed.TryAdd(persistenceId, 0);
    }
}
