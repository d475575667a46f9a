// Every action over a real ZMQ socket against one node with Redis persistence and a real FlowDB.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Tests.Support;
using FlowAkka.Queries;
using Npgsql;
using Xunit;

namespace FlowAkka.Cluster.Tests.Queries;

public sealed class QueryServiceActionSpecs(SingleNodeServiceFixture fixture) : IClassFixture<SingleNodeServiceFixture>
{
    private readonly FlowDbTestDatabase _db = fixture.Db;
    private readonly QueryServiceCluster _service = fixture.Service;

    [Fact]
    public async Task Ping_answers_pong_byte_for_byte()
    {
        var body = await _service.Client().SendRawAsync("""{"request_id":"r1","action":"ping"}"""u8.ToArray());
        Assert.Equal("""{"status":"success","msg":"pong","payload":{}}""", System.Text.Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task Catalog_actions_list_the_kinds_and_their_schemas()
    {
        var client = _service.Client();
        var queries = await client.RequestAsync("get_available_queries");
        Assert.Equal(QueryCatalog.AvailableQueries, queries.Payload["available_queries"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("dummy_query", queries.Payload["available_queries"]![0]!.GetValue<string>());

        var schemas = await client.RequestAsync("get_query_schemas");
        var oneOf = schemas.Payload["query_schemas"]!["FlowmachineQuerySchema"]!["oneOf"]!.AsArray();
        Assert.Equal(QueryCatalog.AvailableQueries.Count, oneOf.Count);
    }

    [Fact]
    public async Task Available_dates_come_from_the_etl_records()
    {
        var reply = await _service.Client().RequestAsync("get_available_dates");
        Assert.True(reply.IsSuccess, reply.ToString());
        Assert.Equal(["2016-01-01", "2016-01-02", "2016-01-03"], reply.Payload["calls"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["calls", "mds", "sms", "topups"], reply.Payload.Select(p => p.Key).Order());
    }

    [Fact]
    public async Task QA_check_actions_answer_from_the_etl_checks()
    {
        var client = _service.Client();
        var list = await client.RequestAsync("list_qa_checks");
        Assert.True(list.IsSuccess, list.ToString());
        var available = list.Payload["available_qa_checks"]!.AsArray();
        Assert.Equal(await _db.ScalarAsync<long>("SELECT count(DISTINCT (cdr_type, type_of_query_or_check)) FROM etl.post_etl_queries"), available.Count);
        Assert.Contains(available, c => c!["cdr_type"]!.GetValue<string>() == "calls"
                                        && c["type_of_query_or_check"]!.GetValue<string>() == "count_duplicated");

        var checks = await client.RequestAsync("get_qa_checks", new JsonObject
        {
            ["start_date"] = "2016-01-01", ["end_date"] = "2016-01-02", ["cdr_type"] = "calls", ["check_type"] = "count_added_rows",
        });
        Assert.True(checks.IsSuccess, checks.ToString());
        var rows = checks.Payload["qa_checks"]!.AsArray();
        Assert.Equal(["2016-01-01", "2016-01-02"], rows.Select(r => r!["cdr_date"]!.GetValue<string>()));
        var expected = await _db.ScalarAsync<string>(
            "SELECT outcome FROM etl.post_etl_queries WHERE cdr_type = 'calls' AND type_of_query_or_check = 'count_added_rows' AND cdr_date = '2016-01-01'");
        Assert.Equal(expected, rows[0]!["outcome"]!.GetValue<string>());
        Assert.Equal(["cdr_date", "outcome", "type_of_query_or_check"], rows[0]!.AsObject().Select(p => p.Key));

        var bad = await client.RequestAsync("get_qa_checks", new JsonObject
        {
            ["start_date"] = "yesterday", ["end_date"] = "2016-01-02", ["cdr_type"] = "faxes", ["check_type"] = "count_added_rows",
        });
        Assert.StartsWith("Parameter validation failed.", bad.Msg);
        Assert.Equal("Must be one of: calls, sms, mds, topups.", bad.Payload["validation_error_messages"]!["cdr_type"]![0]!.GetValue<string>());
        Assert.Equal("Not a valid date.", bad.Payload["validation_error_messages"]!["start_date"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_query_stores_the_result_and_every_query_action_answers_for_it()
    {
        var client = _service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-02", unit: "admin1");
        var run = await client.RequestAsync("run_query", spec);
        Assert.True(run.IsSuccess, run.ToString());
        Assert.Equal(["query_id", "progress"], run.Payload.Select(p => p.Key));
        var id = run.Payload["query_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", id);

        var settled = await client.PollUntilSettledAsync(id);
        Assert.Equal("completed", settled.Payload["query_state"]!.GetValue<string>());
        Assert.Equal("spatial_aggregate", settled.Payload["query_kind"]!.GetValue<string>());
        Assert.Equal(0, settled.Payload["progress"]!["eligible"]!.GetValue<int>());

        var kind = await client.RequestAsync("get_query_kind", new JsonObject { ["query_id"] = id });
        Assert.Equal("spatial_aggregate", kind.Payload["query_kind"]!.GetValue<string>());

        var parameters = await client.RequestAsync("get_query_params", new JsonObject { ["query_id"] = id });
        Assert.True(JsonNode.DeepEquals(spec, parameters.Payload["query_params"]), $"{parameters} vs {spec.ToJsonString()}");

        var sql = await client.RequestAsync("get_sql_for_query_result", new JsonObject { ["query_id"] = id });
        Assert.Equal($"SELECT * FROM cache.x{id}", sql.Payload["sql"]!.GetValue<string>());
        Assert.Equal("completed", sql.Payload["query_state"]!.GetValue<string>());

        // The stored table answers what the same SQL computes, and the metadata rows exist (with the touch).
        var rows = await _db.ScalarAsync<long>($"SELECT count(*) FROM cache.x{id}");
        var parsed = QueryCatalog.Parse(spec).Query!;
        var expected = await _db.ScalarAsync<long>($"SELECT count(*) FROM ({parsed.BuildSql(InlineSqlSource.Instance)}) _");
        Assert.Equal(expected, rows);
        Assert.True(rows > 0);
        Assert.True(await _db.ScalarAsync<int>("SELECT access_count FROM cache.cached WHERE query_id = @id", ("id", id)) >= 2);
        var dependency = parsed.Dependencies.Single().QueryId;
        Assert.Equal(1L, await _db.ScalarAsync<long>(
            "SELECT count(*) FROM cache.dependencies WHERE query_id = @id AND depends_on = @dep", ("id", id), ("dep", dependency)));

        var geo = await client.RequestAsync("get_geo_sql_for_query_result", new JsonObject { ["query_id"] = id });
        Assert.True(geo.IsSuccess, geo.ToString());
        Assert.Equal("admin1", geo.Payload["aggregation_unit"]!.GetValue<string>());
        var features = await _db.ScalarAsync<long>($"SELECT count(*) FROM ({geo.Payload["sql"]!.GetValue<string>()}) _");
        Assert.Equal(rows, features);
    }

    [Fact]
    public async Task Aggregation_unit_and_geography_follow_the_spec()
    {
        var client = _service.Client();
        var unit = await client.RequestAsync("get_aggregation_unit", Specs.SpatialAggregate(unit: "admin2"));
        Assert.Equal("admin2", unit.Payload["aggregation_unit"]!.GetValue<string>());

        var geography = await client.RequestAsync("get_geography", new JsonObject { ["aggregation_unit"] = "admin1" });
        Assert.True(geography.IsSuccess, geography.ToString());
        Assert.Equal("completed", geography.Payload["query_state"]!.GetValue<string>());
        var admin1 = await _db.ScalarAsync<long>("SELECT count(*) FROM geography.admin1");
        Assert.Equal(admin1, await _db.ScalarAsync<long>($"SELECT count(*) FROM ({geography.Payload["sql"]!.GetValue<string>()}) _"));

        var bad = await client.RequestAsync("get_geography", new JsonObject { ["aggregation_unit"] = "admin4" });
        Assert.Equal("error", bad.Status.ToString().ToLowerInvariant());
        Assert.Equal("Parameter validation failed.", bad.Msg);
        Assert.Equal("Must be one of: admin0, admin1, admin2, admin3, lon-lat.", bad.Payload["aggregation_unit"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_have_flowmachines_exact_texts()
    {
        var client = _service.Client();
        const string unknown = "0123456789abcdef0123456789abcdef";
        foreach (var action in new[] { "poll_query", "get_query_kind", "get_query_params", "get_sql_for_query_result", "cancel_query", "reset_query" })
        {
            var awol = await client.RequestAsync(action, new JsonObject { ["query_id"] = unknown });
            Assert.Equal($$$"""{"status":"error","msg":"Unknown query id: '{{{unknown}}}'","payload":{"query_id":"{{{unknown}}}","query_state":"awol"}}""", awol.ToString());
        }

        var wrong = await client.RequestAsync("poll_query", new JsonObject { ["query_id"] = unknown, ["extra"] = 1 });
        Assert.Equal("Internal flowmachine server error: wrong arguments passed to handler for action 'poll_query'.", wrong.Msg);

        var invalid = await client.RequestAsync("run_query", Specs.SpatialAggregate(date: "not-a-date"));
        Assert.StartsWith("Parameter validation failed.\n\nThe action parameters were:\n", invalid.Msg);
        Assert.Equal("Not a valid datetime.", invalid.Payload["validation_error_messages"]!["locations"]!["date"]![0]!.GetValue<string>());

        var method = await client.RequestAsync("run_query", Specs.SpatialAggregate(method: "first"));
        Assert.Equal("Must be one of: last, most-common.", method.Payload["validation_error_messages"]!["locations"]!["method"]![0]!.GetValue<string>());

        var raw = await client.SendRawAsync("""{"request_id":"r","action":"no_such_action"}"""u8.ToArray());
        Assert.Contains("\"msg\":\"Invalid action request.\"", System.Text.Encoding.UTF8.GetString(raw));
    }

    [Fact]
    public async Task Reset_drops_the_table_and_a_later_run_recomputes_it()
    {
        var client = _service.Client();
        var id = await client.RunAsync(Specs.SpatialAggregate(date: "2016-01-03", method: "most-common"));
        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await _db.CreateCountAsync(id));

        var reset = await client.RequestAsync("reset_query", new JsonObject { ["query_id"] = id });
        Assert.Equal($$$"""{"status":"success","msg":"","payload":{"query_id":"{{{id}}}","query_state":"known"}}""", reset.ToString());
        Assert.False(await _db.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"cache.x{id}")));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM cache.cached WHERE query_id = @id", ("id", id)));

        var notReady = await client.RequestAsync("get_sql_for_query_result", new JsonObject { ["query_id"] = id });
        Assert.Equal($"Query with id '{id}' is known, but has not yet been run.", notReady.Msg);

        Assert.Equal(id, await client.RunAsync(Specs.SpatialAggregate(date: "2016-01-03", method: "most-common")));
        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(2, await _db.CreateCountAsync(id));
    }

    [Fact]
    public async Task Resetting_a_dependency_cascades_to_its_dependants()
    {
        var client = _service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-01", unit: "admin1");
        var id = await client.RunAsync(spec);
        await client.PollUntilSettledAsync(id);
        var dependency = QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId;

        var reset = await client.RequestAsync("reset_query", new JsonObject { ["query_id"] = dependency });
        Assert.True(reset.IsSuccess, reset.ToString());
        var parent = await client.Poll(id);
        Assert.Equal("known", parent.Payload["query_state"]!.GetValue<string>());
        Assert.False(await _db.ScalarAsync<bool>("SELECT to_regclass(@t) IS NOT NULL", ("t", $"cache.x{id}")));
    }

    [Fact]
    public async Task A_slow_dummy_query_does_not_delay_a_fast_one()
    {
        using var slowClient = new Client.FlowKitClient(new Client.FlowKitClientOptions { Endpoint = _service.Endpoint(0) });
        var fastClient = _service.Client();
        var slow = slowClient.RequestAsync("run_query", Specs.Dummy("slow_dummy", delaySeconds: 3));
        var fast = await fastClient.RequestAsync("run_query", Specs.Dummy("fast_dummy"));
        Assert.False(slow.IsCompleted);
        Assert.Equal("dummy_query_fast_dummy", fast.Payload["query_id"]!.GetValue<string>());
        Assert.Equal("dummy_query_slow_dummy", (await slow).Payload["query_id"]!.GetValue<string>());
        var poll = await fastClient.PollUntilSettledAsync("dummy_query_fast_dummy");
        Assert.Equal("completed", poll.Payload["query_state"]!.GetValue<string>());
        Assert.Equal("dummy_query", poll.Payload["query_kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_hundred_concurrent_run_query_of_one_spec_create_one_table()
    {
        var spec = Specs.SpatialAggregate(date: "2016-01-02", unit: "admin2");
        var ids = await ConcurrentRuns.SendAsync([_service.Endpoint(0)], spec, sockets: 20, perSocket: 10);
        Assert.Equal(200, ids.Count);
        var id = Assert.Single(ids.Distinct());
        await _service.Client().PollUntilSettledAsync(id);
        Assert.Equal(1, await _db.CreateCountAsync(id));
    }

    [Fact]
    public async Task Cancel_query_stops_the_statement_in_postgresql()
    {
        var client = _service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-03", unit: "admin0");
        var id = QueryCatalog.Parse(spec).Query!.QueryId;
        await using var blocker = new NpgsqlConnection(_db.ConnectionString);
        await blocker.OpenAsync();
        // Hold the lock the worker takes before CREATE TABLE, so the statement waits in PostgreSQL until cancelled.
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('flowakka-cache'), hashtext(@id))", blocker))
        {
            hold.Parameters.AddWithValue("id", id);
            await hold.ExecuteNonQueryAsync();
        }
        Assert.Equal(id, await client.RunAsync(spec));
        await Eventually.ValueAsync(() => ActiveStatementsAsync(id), n => n == 1);

        var cancel = await client.RequestAsync("cancel_query", new JsonObject { ["query_id"] = id });
        Assert.Equal($$$"""{"status":"success","msg":"","payload":{"query_id":"{{{id}}}","query_state":"cancelled"}}""", cancel.ToString());
        await Eventually.ValueAsync(() => ActiveStatementsAsync(id), n => n == 0);

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", blocker)) await release.ExecuteNonQueryAsync();
        Assert.Equal("cancelled", (await client.Poll(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(0, await _db.CreateCountAsync(id));

        // A cancelled query runs again on the next run_query.
        Assert.Equal(id, await client.RunAsync(spec));
        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await _db.CreateCountAsync(id));
    }

    [Fact]
    public async Task A_query_that_lost_its_connection_is_run_again_and_completes()
    {
        var client = _service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-02", method: "most-common", unit: "admin0");
        var id = QueryCatalog.Parse(spec).Query!.QueryId;
        await using var blocker = await LockAsync(id);
        Assert.Equal(id, await client.RunAsync(spec));
        await Eventually.ValueAsync(() => ActiveStatementsAsync(id), n => n == 1);
        // FlowDB drops the worker's connection mid-statement (a restart, a network cut): a transient failure.
        await TerminateStatementsAsync(blocker, id);
        await UnlockAsync(blocker);

        Assert.Equal("completed", (await client.PollUntilSettledAsync(id)).Payload["query_state"]!.GetValue<string>());
        Assert.Equal(1, await _db.CreateCountAsync(id));
    }

    internal static async Task<NpgsqlConnection> LockAsync(FlowDbTestDatabase db, string queryId)
    {
        var blocker = new NpgsqlConnection(db.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('flowakka-cache'), hashtext(@id))", blocker);
        hold.Parameters.AddWithValue("id", queryId);
        await hold.ExecuteNonQueryAsync();
        return blocker;
    }

    private Task<NpgsqlConnection> LockAsync(string queryId) => LockAsync(_db, queryId);

    internal static async Task TerminateStatementsAsync(NpgsqlConnection connection, string queryId)
    {
        await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @app", connection);
        kill.Parameters.AddWithValue("app", "flowakka:" + queryId);
        await kill.ExecuteNonQueryAsync();
    }

    internal static async Task UnlockAsync(NpgsqlConnection connection)
    {
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
        await release.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_parent_starts_only_after_its_dependency_is_stored()
    {
        var client = _service.Client();
        var spec = Specs.SpatialAggregate(date: "2016-01-01", method: "most-common", unit: "lon-lat");
        var id = await client.RunAsync(spec);
        await client.PollUntilSettledAsync(id);
        var dependency = QueryCatalog.Parse(spec).Query!.Dependencies.Single().QueryId;
        var dependencyLogged = await _db.ScalarAsync<DateTime>("SELECT logged FROM public.ddl_log WHERE object = @o", ("o", $"cache.x{dependency}"));
        var parentStarted = await _db.ScalarAsync<DateTime>("SELECT started FROM public.ddl_log WHERE object = @o", ("o", $"cache.x{id}"));
        Assert.True(parentStarted >= dependencyLogged, $"parent started {parentStarted:O}, dependency finished {dependencyLogged:O}");
    }

    private Task<long> ActiveStatementsAsync(string queryId) => _db.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = @app AND state = 'active'", ("app", "flowakka:" + queryId));
}
