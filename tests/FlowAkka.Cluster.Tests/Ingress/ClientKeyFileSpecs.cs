using System.Text;
using FlowAkka.Cluster.Ingress.Authentication;
using Xunit;

namespace FlowAkka.Cluster.Tests.Ingress;

public sealed class ClientKeyFileSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("flowakka-keys-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string KeysJson(params (string Id, byte[] Key)[] clients) =>
        "{\"clients\":{" + string.Join(",", clients.Select(c => $"\"{c.Id}\":\"{Convert.ToBase64String(c.Key)}\"")) + "}}";

    private static byte[] Key(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    [Fact]
    public void A_valid_file_is_read_into_the_key_set()
    {
        var path = PathOf("keys.json");
        File.WriteAllText(path, KeysJson(("alice", Key(1)), ("bob", Key(2))));
        using var file = new ClientKeyFile(path);
        Assert.Equal(2, file.Current.Count);
        Assert.True(file.Current.TryGetKey("bob", out var bob));
        Assert.Equal(Key(2), bob);
        Assert.False(file.Current.TryGetKey("carol", out _));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"client":{}}""")]
    [InlineData("""{"clients":{"alice":"AAAA"}}""")]
    [InlineData("""{"clients":{"alice":"!!!"}}""")]
    [InlineData("""{"clients":{"alice":7}}""")]
    [InlineData("""{"clients":{"a b":"AAAAAAAAAAAAAAAAAAAAAA=="}}""")]
    [InlineData("""{"clients":{"alice":"AAAAAAAAAAAAAAAAAAAAAA==","alice":"AAAAAAAAAAAAAAAAAAAAAA=="}}""")]
    public void An_invalid_file_at_start_is_an_error_not_an_open_door(string text)
    {
        var path = PathOf("keys.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<ClientKeySetException>(() => new ClientKeyFile(path));
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("AAAAAAAAAAAAAAAAAAAAAA", e.Message);
    }

    [Fact]
    public void A_missing_file_at_start_is_an_error() =>
        Assert.Throws<ClientKeySetException>(() => new ClientKeyFile(PathOf("missing.json")));

    [Fact]
    public void A_rewritten_file_replaces_the_set_without_a_restart()
    {
        var path = PathOf("keys.json");
        ClientKeyFile.Write(path, new ClientKeySet([new("alice", Key(1))]));
        using var file = new ClientKeyFile(path, checkInterval: TimeSpan.FromMilliseconds(50));
        ClientKeyFile.Write(path, new ClientKeySet([new("alice", Key(9)), new("bob", Key(2))]));
        AssertEventually(() =>
        {
            Assert.True(file.Current.TryGetKey("alice", out var alice));
            Assert.Equal(Key(9), alice);
        });
        Assert.Equal(2, file.Current.Count);
        Assert.True(file.Reloads >= 1);
    }

    [Fact]
    public void A_broken_new_file_keeps_the_previous_set_and_reports_why()
    {
        var path = PathOf("keys.json");
        ClientKeyFile.Write(path, new ClientKeySet([new("alice", Key(1))]));
        using var file = new ClientKeyFile(path, checkInterval: TimeSpan.FromMilliseconds(50));
        File.WriteAllText(path, """{"clients": {"alice": "truncat""");
        AssertEventually(() =>
        {
            _ = file.Current; // the check runs when the set is used
            Assert.NotNull(file.LastError);
        });
        Assert.Contains("not valid JSON", file.LastError);
        Assert.True(file.Current.TryGetKey("alice", out var alice));
        Assert.Equal(Key(1), alice);

        // Fixed again: the new set applies and the error clears.
        ClientKeyFile.Write(path, new ClientKeySet([new("alice", Key(5))]));
        AssertEventually(() =>
        {
            _ = file.Current;
            Assert.Null(file.LastError);
        });
        Assert.True(file.Current.TryGetKey("alice", out alice));
        Assert.Equal(Key(5), alice);
    }

    [Fact]
    public void Written_files_are_owner_only_and_round_trip()
    {
        if (OperatingSystem.IsWindows())
            return; // POSIX modes only
        var path = PathOf("sub/keys.json");
        var keys = new ClientKeySet([new("bob", Key(2)), new("alice", Key(1))]);
        ClientKeyFile.Write(path, keys);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("{\n  \"clients\": {\n    \"alice\"", File.ReadAllText(path, Encoding.UTF8));
        Assert.Equal(["alice", "bob"], ClientKeyFile.Read(path).ClientIds.Order());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Add_or_rotate_creates_the_file_then_replaces_only_that_client_key()
    {
        var path = PathOf("keys.json");
        var first = ClientKeyFile.AddOrRotate(path, "alice");
        var bob = ClientKeyFile.AddOrRotate(path, "bob");
        var rotated = ClientKeyFile.AddOrRotate(path, "alice");
        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, rotated);
        var set = ClientKeyFile.Read(path);
        Assert.True(set.TryGetKey("alice", out var alice));
        Assert.Equal(rotated, alice);
        Assert.True(set.TryGetKey("bob", out var bobNow));
        Assert.Equal(bob, bobNow);
    }

    // Polling with a generous deadline: the reload is driven by a watcher event or the stat interval.
    private static void AssertEventually(Action assertion)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
