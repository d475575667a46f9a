namespace FlowAkka.Persistence.Redis.Journal;

/// <summary>A write was refused because the journal already holds sequence numbers at or above its first one:
/// another writer (e.g. a second incarnation of the same persistent actor) got there first.</summary>
public sealed class JournalWriteConflictException(string persistenceId, long firstSequenceNr, long storedHighest)
    : Exception($"Refused write of persistence id \"{persistenceId}\" from sequence number {firstSequenceNr}: the journal already holds up to {storedHighest}. Another writer is active for this persistence id.")
{
    public string PersistenceId { get; } = persistenceId;

    public long FirstSequenceNr { get; } = firstSequenceNr;

    public long StoredHighest { get; } = storedHighest;
}
