// Reads a QueryActor's journal straight from Redis (the plugin's key layout) and decodes Akka's PersistentMessage
// protobuf just far enough to see who wrote each event: the single-writer check is verified on the stored data.
using System.Text;
using StackExchange.Redis;

namespace FlowAkka.IntegrationTests.Support;

public sealed record JournalEntry(long Score, long SequenceNr, string WriterGuid, string Manifest, string PayloadJson);

public static class JournalInspector
{
    public static async Task<IReadOnlyList<JournalEntry>> ReadAsync(RedisEndpoint redis, string keyPrefix, string queryId)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConfigurationString);
        var entries = await mux.GetDatabase().SortedSetRangeByScoreWithScoresAsync($"{keyPrefix}journal:{{query-{queryId}}}:events");
        return entries.Select(e => Decode((long)e.Score, (byte[])e.Element!)).ToList();
    }

    public static async Task<long> HighestAsync(RedisEndpoint redis, string keyPrefix, string queryId)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConfigurationString);
        var value = await mux.GetDatabase().StringGetAsync($"{keyPrefix}journal:{{query-{queryId}}}:highest");
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Sequence numbers 1..n, one event each, and every writer's events in one unbroken run.</summary>
    public static string? Violation(IReadOnlyList<JournalEntry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].SequenceNr != i + 1 || entries[i].Score != i + 1)
                return $"event {i} has sequence number {entries[i].SequenceNr} (score {entries[i].Score})";
        }
        var runs = new List<string>();
        foreach (var e in entries)
        {
            if (runs.Count == 0 || runs[^1] != e.WriterGuid) runs.Add(e.WriterGuid);
        }
        var interleaved = runs.GroupBy(w => w).FirstOrDefault(g => g.Count() > 1);
        return interleaved is null ? null : $"writer {interleaved.Key} wrote in {interleaved.Count()} separate runs: interleaved";
    }

    private static JournalEntry Decode(long score, byte[] bytes)
    {
        long sequenceNr = 0;
        string writer = "", manifest = "", json = "";
        foreach (var (field, value, data) in Fields(bytes))
        {
            switch (field)
            {
                case 1:
                    foreach (var (inner, _, innerData) in Fields(data!))
                    {
                        if (inner == 2) json = Encoding.UTF8.GetString(innerData!);
                        else if (inner == 3) manifest = Encoding.UTF8.GetString(innerData!);
                    }
                    break;
                case 2: sequenceNr = value; break;
                case 13: writer = Encoding.UTF8.GetString(data!); break;
            }
        }
        return new JournalEntry(score, sequenceNr, writer, manifest, json);
    }

    /// <summary>(field number, varint value, length-delimited bytes) of one protobuf message.</summary>
    private static IEnumerable<(int Field, long Value, byte[]? Data)> Fields(byte[] bytes)
    {
        var position = 0;
        long Varint()
        {
            long result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[position++];
                result |= (long)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }
        while (position < bytes.Length)
        {
            var key = Varint();
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: yield return (field, Varint(), null); break;
                case 1: position += 8; break;
                case 2:
                    var length = (int)Varint();
                    yield return (field, 0, bytes[position..(position + length)]);
                    position += length;
                    break;
                case 5: position += 4; break;
                default: throw new FormatException($"unsupported protobuf wire type {key & 7}");
            }
        }
    }
}
