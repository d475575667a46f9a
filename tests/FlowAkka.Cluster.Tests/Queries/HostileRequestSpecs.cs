// Hostile specs against the real query service: every one is refused before any SQL exists, and the node keeps serving.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Tests.Support;
using Xunit;

namespace FlowAkka.Cluster.Tests.Queries;

public sealed class HostileRequestSpecs(SingleNodeServiceFixture fixture) : IClassFixture<SingleNodeServiceFixture>
{
    private static readonly string[] HostileStrings =
    [
        "2016-01-01'; DROP TABLE events.calls; --", "admin3\"; DELETE FROM cache.cached; --", "last/* comment */",
        "'); SELECT pg_sleep(10); --", "admin3;", "x' OR '1'='1", "\\'", "${jndi:ldap://x}", new string('a', 100_000),
        "2016-01-01\u0000", "🙂", "",
    ];

    [Fact]
    public async Task Two_thousand_mutated_run_query_specs_reach_no_sql_and_the_node_still_answers()
    {
        var client = fixture.Service.Client();
        var before = await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM public.ddl_log");
        var calls = await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM events.calls");
        var random = new Random(4053);
        var paths = new (string Parent, string Key)[]
        {
            ("locations", "date"), ("locations", "method"), ("locations", "aggregation_unit"), ("locations", "subscriber_subset"),
            ("locations", "query_kind"), ("", "query_kind"), ("locations", "event_types"), ("locations", "hours"),
        };
        for (var i = 0; i < 2000; i++)
        {
            var spec = Specs.SpatialAggregate();
            var (parent, key) = paths[random.Next(paths.Length)];
            var target = parent.Length == 0 ? spec : spec[parent]!.AsObject();
            target[key] = random.Next(6) switch
            {
                0 => JsonValue.Create(random.Next()),
                1 => new JsonArray(HostileStrings[random.Next(HostileStrings.Length)]),
                2 => new JsonObject { ["start_hour"] = HostileStrings[random.Next(HostileStrings.Length)], ["end_hour"] = 3 },
                3 => JsonValue.Create(random.NextDouble() < 0.5),
                _ => JsonValue.Create(HostileStrings[random.Next(HostileStrings.Length)]),
            };
            if (random.Next(10) == 0) target["'; DROP TABLE x; --"] = 1; // unknown field with a hostile name
            var reply = await client.RequestAsync("run_query", spec);
            Assert.False(reply.IsSuccess, $"accepted a hostile spec: {spec.ToJsonString()}");
            Assert.StartsWith("Parameter validation failed.", reply.Msg);
        }

        Assert.Equal(before, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM public.ddl_log"));
        Assert.Equal(calls, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM events.calls"));
        Assert.Equal("pong", (await client.RequestAsync("ping")).Msg);
    }
}
