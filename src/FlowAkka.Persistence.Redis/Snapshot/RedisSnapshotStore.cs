// The snapshot store: one upserted entry per (persistence id, sequence number), with sequence number and timestamp
// stored beside the blob so selection criteria are evaluated in Redis without deserializing payloads.
using System.Globalization;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using FlowAkka.Persistence.Redis.Configuration;
using FlowAkka.Persistence.Redis.Serialization;
using StackExchange.Redis;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Snapshot;

public sealed class RedisSnapshotStore : SnapshotStore
{
    private readonly RedisSettings _settings;
    private readonly PersistenceSerialization _serialization;
    private Task<RedisConnection> _connection = Task.FromException<RedisConnection>(new InvalidOperationException("The Redis snapshot store has not started."));

    public RedisSnapshotStore(AkkaConfig config)
    {
        RedisPersistence.Get(Context.System);
        _settings = RedisSettings.ForSnapshotStore(config);
        _serialization = new PersistenceSerialization((ExtendedActorSystem)Context.System);
    }

    protected override void PreStart()
    {
        _connection = RedisConnection.OpenAsync(_settings, SnapshotScripts.Save, SnapshotScripts.Load, SnapshotScripts.DeleteOne, SnapshotScripts.DeleteMatching);
        base.PreStart();
    }

    protected override void PostStop()
    {
        // Not awaited: PostStop must not block; the multiplexer is closed once (and if) it was opened.
        _ = RedisConnection.CloseWhenOpenedAsync(_connection);
        base.PostStop();
    }

    /// <summary>Ticks as fixed-width text: Lua compares them as strings because its doubles can't hold 18 digits exactly.</summary>
    internal static string Ticks(DateTime time) => time.Ticks.ToString("D20", CultureInfo.InvariantCulture);

    private static RedisKey[] Keys(RedisConnection c, string persistenceId) =>
        [c.Keys.SnapshotIndex(persistenceId), c.Keys.SnapshotData(persistenceId), c.Keys.SnapshotTime(persistenceId)];

    private static RedisValue[] CriteriaArgs(SnapshotSelectionCriteria criteria) =>
    [
        criteria.MaxSequenceNr,
        Math.Max(0, criteria.MinSequenceNr),
        Ticks(criteria.MaxTimeStamp),
        Ticks(criteria.MinTimestamp ?? DateTime.MinValue),
    ];

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var serialization = _serialization;
        var c = await _connection.ConfigureAwait(false);
        var result = await c.Call(db => SnapshotScripts.Load.EvaluateAsync(db, Keys(c, persistenceId), CriteriaArgs(criteria), CommandFlags.None), cancellationToken).ConfigureAwait(false);
        if (result.IsNull) return null;
        var reply = (RedisResult[])result!;
        var sequenceNr = long.Parse((string)reply[0]!, CultureInfo.InvariantCulture);
        var ticks = long.Parse((string)reply[1]!, CultureInfo.InvariantCulture);
        var snapshot = serialization.SnapshotFromBytes((byte[])reply[2]!);
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, new DateTime(ticks, DateTimeKind.Utc)), snapshot);
    }

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        // Serialize before the first await; a failure here fails the save (SaveSnapshotFailure), as the contract says.
        var blob = _serialization.SnapshotToBytes(snapshot);
        var c = await _connection.ConfigureAwait(false);
        RedisValue[] args = [metadata.SequenceNr, Ticks(metadata.Timestamp), blob];
        await c.Call(db => SnapshotScripts.Save.EvaluateAsync(db, Keys(c, metadata.PersistenceId), args, CommandFlags.DemandMaster), cancellationToken).ConfigureAwait(false);
    }

    protected override async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
    {
        var c = await _connection.ConfigureAwait(false);
        // DateTime.MinValue means "whatever its timestamp" (Akka's convention for delete-by-sequence-number).
        RedisValue[] args = [metadata.SequenceNr, metadata.Timestamp == DateTime.MinValue ? "" : Ticks(metadata.Timestamp)];
        await c.Call(db => SnapshotScripts.DeleteOne.EvaluateAsync(db, Keys(c, metadata.PersistenceId), args, CommandFlags.DemandMaster), cancellationToken).ConfigureAwait(false);
    }

    protected override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var c = await _connection.ConfigureAwait(false);
        await c.Call(db => SnapshotScripts.DeleteMatching.EvaluateAsync(db, Keys(c, persistenceId), CriteriaArgs(criteria), CommandFlags.DemandMaster), cancellationToken).ConfigureAwait(false);
    }

    public override async Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var c = await _connection.ConfigureAwait(false);
            var latency = await c.PingAsync(cancellationToken).ConfigureAwait(false);
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Healthy, $"Redis PING {latency.TotalMilliseconds:0.#} ms", null, null);
        }
        catch (Exception e)
        {
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Unhealthy, $"Redis PING failed: {e.Message}", e, null);
        }
    }
}
