// The end-of-scenario checks every fault test makes: exactly one CREATE TABLE per accepted query, an intact journal.
using Xunit;

namespace FlowAkka.IntegrationTests.Support;

public static class Outcome
{
    public static async Task AssertExecutedExactlyOnceAsync(FlowDbTestDatabase db, IEnumerable<string> storedIds)
    {
        foreach (var id in storedIds.Distinct())
            Assert.True(await db.CreateCountAsync(id) == 1, $"cache.x{id}: {await db.CreateCountAsync(id)} CREATE TABLE AS, expected exactly 1");
        Assert.Empty(await db.DuplicateCreatesAsync());
    }

    public static async Task AssertJournalIntactAsync(NodeCluster cluster, string queryId)
    {
        var entries = await JournalInspector.ReadAsync(cluster.Redis, cluster.KeyPrefix, queryId);
        Assert.NotEmpty(entries);
        Assert.Null(JournalInspector.Violation(entries));
        Assert.Equal(entries.Count, await JournalInspector.HighestAsync(cluster.Redis, cluster.KeyPrefix, queryId));
        Assert.Equal("e-completed", entries[^1].Manifest);
    }

    /// <summary>The node (remoting address) that persisted the query's latest "executing" event.</summary>
    public static async Task<string?> ExecutingNodeAsync(NodeCluster cluster, string queryId)
    {
        var entries = await JournalInspector.ReadAsync(cluster.Redis, cluster.KeyPrefix, queryId);
        var executing = entries.LastOrDefault(e => e.Manifest == "e-executing");
        if (executing is null) return null;
        using var json = System.Text.Json.JsonDocument.Parse(executing.PayloadJson);
        return json.RootElement.GetProperty("Node").GetString();
    }
}
