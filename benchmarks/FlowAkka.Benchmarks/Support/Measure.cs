// Percentiles and the number formats the result table uses (invariant culture, so the table reads the same everywhere).
using System.Globalization;

namespace FlowAkka.Benchmarks.Support;

public static class Measure
{
    /// <summary>Nearest-rank percentile of <paramref name="values"/> (need not be sorted).</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Rate(double perSecond, string unit = "msg/s") =>
        string.Create(CultureInfo.InvariantCulture, $"{perSecond:N0} {unit}");

    public static string Ms(double milliseconds) =>
        milliseconds >= 100
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds:N0} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0#} ms");

    public static string Us(double microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds:N0} µs");

    public static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):N0} MiB");

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Resident memory of this process after a full, compacting, blocking collection.</summary>
    public static long WorkingSetAfterGc()
    {
        for (var i = 0; i < 2; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}

/// <summary>Where the benchmark's own Redis keys live; every benchmark deletes its prefix when it ends.</summary>
public static class RedisKeys
{
    public static string UniquePrefix(string benchmark) => $"bench:{benchmark}:{Guid.NewGuid():N}:";

    public static async Task DeleteAsync(string redis, string prefix)
    {
        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
        var db = mux.GetDatabase();
        foreach (var endpoint in mux.GetEndPoints())
        {
            var batch = new List<StackExchange.Redis.RedisKey>();
            await foreach (var key in mux.GetServer(endpoint).KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                batch.Add(key);
                if (batch.Count == 1000) { await db.KeyDeleteAsync([.. batch]); batch.Clear(); }
            }
            if (batch.Count > 0) await db.KeyDeleteAsync([.. batch]);
        }
    }

    /// <summary>Pipelined ZADD of ~160-byte members, up to 1 000 in flight: what Redis itself can take from this process.</summary>
    public static async Task<double> RawZaddRateAsync(string redis, string prefix, int count)
    {
        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
        var db = mux.GetDatabase();
        var member = new byte[160];
        Random.Shared.NextBytes(member);
        var inFlight = new List<Task>(1000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var value = (byte[])member.Clone();
            BitConverter.TryWriteBytes(value, i);
            inFlight.Add(db.SortedSetAddAsync($"{prefix}raw:{i % 100}", value, i));
            if (inFlight.Count == 1000) { await Task.WhenAll(inFlight); inFlight.Clear(); }
        }
        await Task.WhenAll(inFlight);
        return count / clock.Elapsed.TotalSeconds;
    }
}
