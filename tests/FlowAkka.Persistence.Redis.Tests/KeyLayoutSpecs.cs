// KeyLayout: every per-id key carries the same hash tag (one Redis Cluster slot per id), ids can't collide, bad prefixes are refused.
using Xunit;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class KeyLayoutSpecs
{
    private static string HashTag(string key)
    {
        var open = key.IndexOf('{');
        var close = key.IndexOf('}', open + 1);
        return key.Substring(open + 1, close - open - 1);
    }

    [Theory]
    [InlineData("query-42")]
    [InlineData("a}b{c")]
    [InlineData("}")]
    [InlineData("%7D")]
    public void All_keys_of_one_id_share_one_non_empty_hash_tag(string pid)
    {
        var keys = new KeyLayout("fa:");
        var tags = new[] { keys.Events(pid), keys.HighestSequenceNr(pid), keys.SnapshotIndex(pid), keys.SnapshotData(pid), keys.SnapshotTime(pid) }
            .Select(k => HashTag(k.ToString())).Distinct().ToList();
        Assert.Single(tags);
        Assert.NotEmpty(tags[0]);
        Assert.StartsWith("fa:", keys.Events(pid).ToString());
    }

    [Fact]
    public void Distinct_ids_get_distinct_keys_even_when_escaping_is_involved() =>
        Assert.NotEqual(new KeyLayout("").Events("}").ToString(), new KeyLayout("").Events("%7D").ToString());

    [Fact]
    public void Refuses_a_prefix_that_would_break_the_hash_tag() =>
        Assert.Throws<ArgumentException>(() => new KeyLayout("app{1}:"));
}
