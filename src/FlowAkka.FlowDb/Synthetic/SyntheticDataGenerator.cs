// Deterministic synthetic country generator: geography, infrastructure, subscribers and per-day CDRs, all built
// inside PostgreSQL with set-based SQL.
using System.Diagnostics;
using System.Globalization;
using FlowAkka.FlowDb.Schema;
using Npgsql;
using NpgsqlTypes;
using static FlowAkka.FlowDb.Synthetic.SqlRandom;

namespace FlowAkka.FlowDb.Synthetic;

/// <summary>
/// Fills an empty FlowDB with a made-up country: nested admin0..admin3 rectangles, sites and cells inside admin3
/// units (some units stay empty), a TAC database, subscribers with a home cell and a few nearby frequent cells, and
/// per-day calls and sms (two-line form), mds and topups, plus etl.etl_records and QA checks. Every value is a hash
/// of (seed, stream, key), so the same options give identical data in any database.
/// </summary>
public sealed class SyntheticDataGenerator
{
    private static readonly string[] ScratchTables =
        ["etl.synthetic_admin3", "etl.synthetic_sites", "etl.synthetic_subscribers", "etl.synthetic_location_days"];

    /// <summary>True when FlowDB holds no events, cells or boundaries (or its schema does not exist yet).</summary>
    public static async Task<bool> IsEmptyAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        foreach (var table in new[] { "events.calls", "events.sms", "events.mds", "events.topups", "infrastructure.cells", "infrastructure.sites", "geography.admin0" })
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", conn);
            exists.Parameters.AddWithValue(table);
            if (!(bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                continue;
            }
            // The name is one of the constants above, never input.
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", conn);
            if ((bool)(await any.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                return false;
            }
        }
        return true;
    }

    public async Task GenerateAsync(NpgsqlDataSource db, DatagenOptions options, IProgress<DatagenProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        // Largest loads first, so the big call days run side by side and small loads fill the gaps at the end.
        var loads = EventLoads(options).OrderByDescending(l => l.Count).ThenBy(l => l.Date).ToList();
        var total = 6 + loads.Count;
        var done = 0;
        void Report(string step) => progress?.Report(new DatagenProgress(step, Interlocked.Increment(ref done), total, clock.Elapsed));

        await FlowDbSchema.EnsureAsync(db, ct).ConfigureAwait(false);
        if (!await IsEmptyAsync(db, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("FlowDB already holds data; the synthetic generator only fills an empty database.");
        }
        Report("schema");

        await using (var conn = await OpenTunedAsync(db, ct).ConfigureAwait(false))
        {
            await DropScratchAsync(conn, ct).ConfigureAwait(false);
            await RunInTransactionAsync(conn, options, GeographySql(options), ct).ConfigureAwait(false);
            Report("geography");
            await RunInTransactionAsync(conn, options, InfrastructureSql(), ct).ConfigureAwait(false);
            Report("infrastructure");
            await RunInTransactionAsync(conn, options, SubscribersSql(), ct).ConfigureAwait(false);
            Report("subscribers");
        }

        // Each (table, day) is created as a standalone table, loaded, indexed and checked, then attached as the
        // day's partition; independent loads run side by side on separate connections.
        using var gate = new SemaphoreSlim(options.Parallelism);
        var tasks = loads.Select(async load =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await LoadDayAsync(db, options, load, ct).ConfigureAwait(false);
                Report($"{load.Table} {load.Date:yyyy-MM-dd}");
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        // Mobile money (dfs schema) for dfs_metric_total_amount, routed through the cells just loaded.
        await DfsData.GenerateAsync(db, options, ct).ConfigureAwait(false);

        await using (var conn = await OpenTunedAsync(db, ct).ConfigureAwait(false))
        {
            await RunInTransactionAsync(conn, options, FinishSql, ct).ConfigureAwait(false);
            Report("location ids");
            await DropScratchAsync(conn, ct).ConfigureAwait(false);
            await using var analyze = new NpgsqlCommand(
                "ANALYZE events.calls; ANALYZE events.sms; ANALYZE events.mds; ANALYZE events.topups; ANALYZE events.location_ids; "
                + "ANALYZE infrastructure.cells; ANALYZE infrastructure.sites; ANALYZE infrastructure.tacs; "
                + "ANALYZE geography.admin0; ANALYZE geography.admin1; ANALYZE geography.admin2; ANALYZE geography.admin3; "
                + "ANALYZE etl.etl_records; ANALYZE etl.post_etl_queries", conn) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            Report("analyze");
        }
    }

    private sealed record EventLoad(string Table, DateOnly Date, int DayIndex, int Count);

    private static IEnumerable<EventLoad> EventLoads(DatagenOptions o)
    {
        for (var d = 0; d < o.NDays; d++)
        {
            foreach (var (table, count) in new[] { ("calls", o.NCalls), ("sms", o.NSms), ("mds", o.NMds), ("topups", o.NTopups) })
            {
                if (count > 0)
                {
                    yield return new EventLoad(table, o.StartDate.AddDays(d), d, count);
                }
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenTunedAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        // Bulk-load settings for this session only: UTC days, big sort memory for index builds, no commit flush wait,
        // no parallel workers (loads already run side by side; results do not depend on plans anyway).
        await using var cmd = new NpgsqlCommand(
            "SET TimeZone = 'UTC'; SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; SET work_mem = '128MB'; "
            + "SET max_parallel_workers_per_gather = 0; SET max_parallel_maintenance_workers = 0; SET statement_timeout = 0", conn);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return conn;
    }

    private static async Task DropScratchAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(string.Join("; ", ScratchTables.Select(t => $"DROP TABLE IF EXISTS {t}")), conn);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task RunInTransactionAsync(NpgsqlConnection conn, DatagenOptions o, IEnumerable<string> statements, CancellationToken ct, Action<NpgsqlParameterCollection>? extra = null)
    {
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
            AddParameters(cmd.Parameters, o);
            extra?.Invoke(cmd.Parameters);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    // Every statement gets the same parameter set; Npgsql only sends the ones the text references.
    private static void AddParameters(NpgsqlParameterCollection p, DatagenOptions o)
    {
        void Big(string name, long value) => p.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value });
        void Dbl(string name, double value) => p.Add(new NpgsqlParameter(name, NpgsqlDbType.Double) { Value = value });
        void Txt(string name, string value) => p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = value });
        Big("subSeed", o.SubscribersSeed);
        Big("cellSeed", o.CellsSeed);
        Big("callSeed", o.CallsSeed);
        Big("nSubs", o.NSubscribers);
        Big("nCells", o.NCells);
        Big("nSites", o.NSites);
        Big("nTacs", o.NTacs);
        Big("siteMix", Mix(o.CellsSeed, 1));
        Big("cellMix", Mix(o.CellsSeed, 2));
        Big("msisdnMix", Mix(o.SubscribersSeed, 3));
        Big("imeiMix", Mix(o.SubscribersSeed, 4));
        Big("imsiMix", Mix(o.SubscribersSeed, 5));
        Big("eventMix", Mix(o.CallsSeed, 6));
        Dbl("x0", o.MinLon);
        Dbl("y0", o.MinLat);
        Dbl("x1", o.MaxLon);
        Dbl("y1", o.MaxLat);
        Dbl("emptyShare", o.EmptyAdmin3Share);
        Txt("cc", o.CountryCode);
        Txt("cn", o.CountryName);
        p.Add(new NpgsqlParameter("startDate", NpgsqlDbType.Date) { Value = o.StartDate });
    }

    // ---------------------------------------------------------------- geography

    private static IEnumerable<string> GeographySql(DatagenOptions o)
    {
        yield return "INSERT INTO geography.admin0 (admin0pcod, admin0name, geom) "
                     + "VALUES (@cc, @cn, ST_Multi(ST_MakeEnvelope(@x0, @y0, @x1, @y1, 4326)))";
        yield return SplitLevelSql(1, 1, o.Admin1Count);
        yield return SplitLevelSql(2, o.Admin2Rows, o.Admin2Columns);
        yield return SplitLevelSql(3, o.Admin3Rows, o.Admin3Columns);
    }

    /// <summary>
    /// Splits every unit of level-1 into rows of random heights, and each row into cells of random widths (a brick
    /// pattern). Neighbouring edges come from the same running sum and outer edges are the parent's own
    /// coordinates, so children tile their parent exactly and nest without gaps or overlaps.
    /// </summary>
    private static string SplitLevelSql(int level, int rows, int cols)
    {
        var parent = level - 1;
        var inherited = string.Join(", ", Enumerable.Range(0, level).SelectMany(l => new[] { $"admin{l}pcod", $"admin{l}name" }));
        var inheritedP = string.Join(", ", Enumerable.Range(0, level).SelectMany(l => new[] { $"p.admin{l}pcod", $"p.admin{l}name" }));
        var ri = $"(p.gid::bigint * 1000 + r.r)";
        var ci = $"((p.gid::bigint * 1000 + r.r) * 1000 + c.c)";
        var childKey = $"({level}::bigint * 1000000000 + p.gid::bigint * 1000 + (rs.r - 1) * {cols} + cs.c)";
        return $"""
            WITH p AS (
                SELECT gid, {inherited}, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1
                FROM geography.admin{parent}),
            rw AS (
                SELECT p.gid, r.r, 0.6 + 0.8 * {U("@cellSeed", 10 + level, ri)} AS w
                FROM p CROSS JOIN generate_series(1, {rows}) AS r(r)),
            rs AS (
                SELECT gid, r, coalesce(lag(s) OVER (PARTITION BY gid ORDER BY r), 0) AS lo, s AS hi, t
                FROM (SELECT gid, r, w, sum(w) OVER (PARTITION BY gid ORDER BY r) AS s, sum(w) OVER (PARTITION BY gid) AS t FROM rw) q),
            cw AS (
                SELECT p.gid, r.r, c.c, 0.6 + 0.8 * {U("@cellSeed", 20 + level, ci)} AS w
                FROM p CROSS JOIN generate_series(1, {rows}) AS r(r) CROSS JOIN generate_series(1, {cols}) AS c(c)),
            cs AS (
                SELECT gid, r, c, coalesce(lag(s) OVER (PARTITION BY gid, r ORDER BY c), 0) AS lo, s AS hi, t
                FROM (SELECT gid, r, c, w, sum(w) OVER (PARTITION BY gid, r ORDER BY c) AS s, sum(w) OVER (PARTITION BY gid, r) AS t FROM cw) q)
            INSERT INTO geography.admin{level} ({inherited}, admin{level}pcod, admin{level}name, geom)
            SELECT {inheritedP},
                   p.admin{parent}pcod || '.' || ((rs.r - 1) * {cols} + cs.c)::text,
                   {Name("@cellSeed", 30 + 10 * level, childKey)},
                   ST_Multi(ST_MakeEnvelope(
                       CASE WHEN cs.c = 1 THEN p.x0 ELSE p.x0 + (p.x1 - p.x0) * (cs.lo / cs.t) END,
                       CASE WHEN rs.r = 1 THEN p.y0 ELSE p.y0 + (p.y1 - p.y0) * (rs.lo / rs.t) END,
                       CASE WHEN cs.c = {cols} THEN p.x1 ELSE p.x0 + (p.x1 - p.x0) * (cs.hi / cs.t) END,
                       CASE WHEN rs.r = {rows} THEN p.y1 ELSE p.y0 + (p.y1 - p.y0) * (rs.hi / rs.t) END,
                       4326))
            FROM p
            JOIN rs ON rs.gid = p.gid
            JOIN cs ON cs.gid = p.gid AND cs.r = rs.r
            ORDER BY p.gid, rs.r, cs.c
            """;
    }

    // ---------------------------------------------------------------- infrastructure

    /// <summary>The 8-digit TAC of TAC number <paramref name="index"/>: a bijection of 1..89 999 998 (7919 is coprime to 89 999 999).</summary>
    private static string TacId(string index) => $"(10000000 + mod(({index})::bigint * 7919, 89999999))::numeric(8)";

    private static string CellId(string index) => Hex(index, "@cellMix");

    private static IEnumerable<string> InfrastructureSql()
    {
        // Admin3 units that get sites, with cumulative shares of the sites: some units get none, the rest get
        // uneven numbers. Ordered by gid, so consecutive sites (and cells) fall in the same or neighbouring units.
        yield return $"""
            CREATE UNLOGGED TABLE etl.synthetic_admin3 AS
            WITH w AS (
                SELECT gid, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1,
                       CASE WHEN {U("@cellSeed", 50, "gid")} < @emptyShare THEN 0.0
                            ELSE 0.2 + {U("@cellSeed", 51, "gid")} END AS w
                FROM geography.admin3),
            w2 AS (
                SELECT *, CASE WHEN (SELECT max(w) FROM w) = 0 THEN 1.0 ELSE w END AS weight FROM w),
            e AS (
                SELECT *, row_number() OVER (ORDER BY gid) AS k,
                       sum(weight) OVER (ORDER BY gid) AS s, sum(weight) OVER () AS t
                FROM w2 WHERE weight > 0)
            SELECT k, gid, x0, y0, x1, y1, coalesce(lag(s) OVER (ORDER BY k), 0) / t AS lo FROM e
            """;
        yield return $"""
            CREATE UNLOGGED TABLE etl.synthetic_sites AS
            WITH th AS (SELECT array_agg(lo ORDER BY k) AS los FROM etl.synthetic_admin3),
            s AS (
                SELECT s, width_bucket(((s - 0.5) / @nSites)::float8, (SELECT los FROM th)) AS k
                FROM generate_series(1::bigint, @nSites) AS s)
            SELECT s.s, {Hex("s.s", "@siteMix")} AS id,
                   ST_SetSRID(ST_MakePoint(a.x0 + (0.05 + 0.9 * {U("@cellSeed", 52, "s.s")}) * (a.x1 - a.x0),
                                           a.y0 + (0.05 + 0.9 * {U("@cellSeed", 53, "s.s")}) * (a.y1 - a.y0)), 4326) AS geom
            FROM s JOIN etl.synthetic_admin3 a ON a.k = s.k
            """;
        yield return "ALTER TABLE etl.synthetic_sites ADD PRIMARY KEY (s)";
        yield return $"""
            INSERT INTO infrastructure.sites (id, version, name, type, status, structure_type, is_cow,
                                              date_of_first_service, date_of_last_service, geom_point)
            SELECT id, 0, 'Site ' || s, (ARRAY['macro', 'micro', 'pico'])[1 + mod(s, 3)], 'active',
                   (ARRAY['tower', 'rooftop', 'mast', 'pole'])[{Pick("@cellSeed", 54, "s", "4")}],
                   {U("@cellSeed", 55, "s")} < 0.02,
                   @startDate - (365 + floor({U("@cellSeed", 56, "s")} * 1000))::int, NULL, geom
            FROM etl.synthetic_sites ORDER BY s
            """;
        // Cells sit on sites (round-robin, so every site gets one before any gets two), each with its own azimuth.
        yield return $"""
            INSERT INTO infrastructure.cells (id, version, site_id, name, type, msc, bsc_rnc, antenna_type, status, lac,
                height, azimuth, transmitter, max_range, min_range, electrical_tilt, mechanical_downtilt,
                date_of_first_service, date_of_last_service, geom_point)
            SELECT {CellId("c")}, 0, st.id, 'Cell ' || c,
                   (ARRAY['2G', '3G', '4G'])[{Pick("@cellSeed", 60, "c", "3")}],
                   'MSC' || (1 + mod(st.s, 5)), 'BSC' || (1 + mod(st.s, 40)),
                   (ARRAY['omni', 'sector', 'panel'])[{Pick("@cellSeed", 61, "c", "3")}], 'active',
                   lpad((1 + mod(st.s, 250))::text, 4, '0'),
                   round((15 + 45 * {U("@cellSeed", 62, "c")})::numeric, 1),
                   (mod((c - 1) / @nSites, 3) * 120 + floor(30 * {U("@cellSeed", 63, "c")}))::numeric,
                   'TX' || c, round((2000 + 18000 * {U("@cellSeed", 64, "c")})::numeric), 0,
                   floor(10 * {U("@cellSeed", 65, "c")})::numeric, floor(6 * {U("@cellSeed", 66, "c")})::numeric,
                   @startDate - (365 + floor({U("@cellSeed", 67, "c")} * 1000))::int, NULL, st.geom
            FROM generate_series(1::bigint, @nCells) AS c
            JOIN etl.synthetic_sites st ON st.s = 1 + mod(c - 1, @nSites)
            ORDER BY c
            """;
        yield return $"""
            INSERT INTO infrastructure.tacs (id, brand, model, width, height, depth, weight, display_type, display_colors,
                hardware_gprs, hardware_edge, hardware_umts, hardware_wifi, hardware_bluetooth, hardware_gps,
                software_os_vendor, software_os_name, software_os_version, hnd_type)
            SELECT {TacId("t")}, b.brand,
                   b.brand || ' ' || upper(substr(md5(@subSeed::text || ':' || t), 1, 3)) || '-' || (100 + mod(t * 37, 900)),
                   (45 + mod(t, 40))::text, (100 + mod(t, 60))::text, (8 + mod(t, 10))::text, (80 + mod(t, 120))::text,
                   CASE h.hnd WHEN 'Smart' THEN 'TFT touch' ELSE 'LCD' END, CASE h.hnd WHEN 'Basic' THEN '65K' ELSE '16M' END,
                   'Y', 'Y', CASE h.hnd WHEN 'Basic' THEN 'N' ELSE 'Y' END, CASE h.hnd WHEN 'Smart' THEN 'Y' ELSE 'N' END,
                   'Y', CASE h.hnd WHEN 'Smart' THEN 'Y' ELSE 'N' END,
                   CASE WHEN h.hnd <> 'Smart' THEN b.brand WHEN b.brand = 'Apple' THEN 'Apple' ELSE 'Google' END,
                   CASE WHEN h.hnd <> 'Smart' THEN 'Proprietary' WHEN b.brand = 'Apple' THEN 'iOS' ELSE 'Android' END,
                   CASE WHEN h.hnd = 'Smart' THEN (4 + mod(t, 8))::text ELSE NULL END,
                   h.hnd
            FROM generate_series(1::bigint, @nTacs) AS t
            CROSS JOIN LATERAL (SELECT (ARRAY['Samsung', 'Nokia', 'Apple', 'Huawei', 'Xiaomi', 'Tecno', 'Itel', 'Oppo', 'Motorola', 'Vivo'])
                                       [{Pick("@subSeed", 70, "t", "10")}] AS brand) b
            CROSS JOIN LATERAL (SELECT CASE WHEN {U("@subSeed", 71, "t")} < 0.6 THEN 'Smart'
                                            WHEN {U("@subSeed", 71, "t")} < 0.9 THEN 'Feature' ELSE 'Basic' END AS hnd) h
            ORDER BY t
            """;
    }

    // ---------------------------------------------------------------- subscribers

    private static string Neighbour(string home, int stream)
    {
        // home ± 1..8 (wrapping): neighbouring cell numbers are on neighbouring sites, so mostly the same area.
        var offset = $"(CASE WHEN {U("@subSeed", stream, "n")} < 0.5 THEN -1 ELSE 1 END * (1 + floor(8 * {U("@subSeed", stream + 1, "n")}))::bigint)";
        return CellId($"(1 + mod(mod({home} - 1 + {offset}, @nCells) + @nCells, @nCells))");
    }

    private static IEnumerable<string> SubscribersSql()
    {
        yield return $"""
            CREATE UNLOGGED TABLE etl.synthetic_subscribers AS
            SELECT n, {Hex("n", "@msisdnMix")} AS msisdn, {Hex("n", "@imeiMix")} AS imei, {Hex("n", "@imsiMix")} AS imsi,
                   {TacId(Pick("@subSeed", 80, "n", "@nTacs"))} AS tac,
                   (1 + mod(n, 2))::numeric AS operator_code,
                   ARRAY[{CellId("home")}, {Neighbour("home", 82)}, {Neighbour("home", 84)}, {Neighbour("home", 86)}, {Neighbour("home", 88)}] AS cells
            FROM (SELECT n, {Pick("@subSeed", 81, "n", "@nCells")} AS home FROM generate_series(1::bigint, @nSubs) AS n) q
            """;
        yield return "ALTER TABLE etl.synthetic_subscribers ADD PRIMARY KEY (n)";
        yield return "ANALYZE etl.synthetic_subscribers";
        yield return "CREATE UNLOGGED TABLE etl.synthetic_location_days (cdr_type TEXT, location_id TEXT, first_day DATE, last_day DATE)";
    }

    // ---------------------------------------------------------------- events

    /// <summary>Where subscriber <paramref name="s"/> is: home half the time, a frequent cell 40 %, anywhere 10 %.</summary>
    private static string Location(string s, string u, string u2) =>
        $"CASE WHEN {u} < 0.5 THEN {s}.cells[1] WHEN {u} < 0.9 THEN {s}.cells[2 + floor(({u} - 0.5) * 10)::int] "
        + $"ELSE {CellId($"(1 + floor({u2} * @nCells))::bigint")} END";

    /// <summary>Seconds into the day: 80 % of events between 06:00 and 22:00, the rest spread over the whole day.</summary>
    private static string SecondOfDay(int stream) =>
        $"floor(CASE WHEN {U("@callSeed", stream, "k")} < 0.8 THEN 21600 + {U("@callSeed", stream, "k")} / 0.8 * 57600 "
        + $"ELSE ({U("@callSeed", stream, "k")} - 0.8) / 0.2 * 86400 END)";

    private static string EventBase(int stream, string extraColumns) => $"""
            SELECT k, {Hex("k", "@eventMix")} AS id,
                   @dayStart + make_interval(secs => {SecondOfDay(stream)}) AS datetime,
                   1 + floor(@nSubs * power({U("@callSeed", stream + 1, "k")}, 1.3))::bigint AS a,
                   {U("@callSeed", stream + 2, "k")} AS b_draw,
                   {U("@callSeed", stream + 3, "k")} AS ua, {U("@callSeed", stream + 4, "k")} AS ua2,
                   {U("@callSeed", stream + 5, "k")} AS ub, {U("@callSeed", stream + 6, "k")} AS ub2
                   {extraColumns}
            FROM generate_series(@firstKey, @lastKey) AS k
            """;

    /// <summary>
    /// One side of the two-line form: the outgoing rows carry the caller (msisdn) and callee (counterpart) at the
    /// caller's cell, the incoming rows the same call seen from the callee at the callee's cell. Both statements
    /// derive every value from the same (seed, key) hashes, so the two rows of a call agree on id, time and duration.
    /// Recomputing the cheap hashes in two plain INSERTs is faster than fanning each call out with a lateral join.
    /// </summary>
    private static string TwoLineInsertSql(string table, string partition, bool outgoing)
    {
        var (self, other, u, u2) = outgoing ? ("sa", "sb", "e.ua", "e.ua2") : ("sb", "sa", "e.ub", "e.ub2");
        var calls = table == "calls";
        var extra = calls ? $", floor(2601 * {U("@callSeed", 107, "k")})::numeric AS duration" : "";
        return $"""
            INSERT INTO events.{partition} (id, outgoing, datetime, {(calls ? "duration, " : "")}network, msisdn, msisdn_counterpart,
                                            location_id, imsi, imei, tac, operator_code, country_code)
            SELECT e.id, {(outgoing ? "true" : "false")}, e.datetime, {(calls ? "e.duration, " : "")}NULL, {self}.msisdn, {other}.msisdn,
                   {Location(self, u, u2)}, {self}.imsi, {self}.imei, {self}.tac, {self}.operator_code, 977
            FROM ({EventBase(calls ? 100 : 200, extra)} OFFSET 0) e
            JOIN etl.synthetic_subscribers sa ON sa.n = e.a
            -- The counterpart is any other subscriber.
            JOIN etl.synthetic_subscribers sb ON sb.n = 1 + mod(e.a + floor(e.b_draw * (@nSubs - 1))::bigint, @nSubs)
            """;
    }

    private static string[] EventInsertSql(string table, string partition) => table switch
    {
        "calls" or "sms" => [TwoLineInsertSql(table, partition, outgoing: true), TwoLineInsertSql(table, partition, outgoing: false)],
        "mds" => [$"""
            INSERT INTO events.{partition} (id, datetime, duration, volume_total, volume_upload, volume_download,
                                            msisdn, location_id, imsi, imei, tac, operator_code, country_code)
            SELECT e.id, e.datetime, e.duration, e.up + e.down, e.up, e.down,
                   s.msisdn, {Location("s", "e.ua", "e.ua2")}, s.imsi, s.imei, s.tac, s.operator_code, 977
            FROM ({EventBase(300, $", floor(3600 * {U("@callSeed", 307, "k")})::numeric AS duration, round((5000000 * power({U("@callSeed", 308, "k")}, 2))::numeric) AS up, round((20000000 * power({U("@callSeed", 309, "k")}, 2))::numeric) AS down")} OFFSET 0) e
            JOIN etl.synthetic_subscribers s ON s.n = e.a
            """],
        "topups" => [$"""
            INSERT INTO events.{partition} (id, datetime, type, recharge_amount, airtime_fee, tax_and_fee,
                                            pre_event_balance, post_event_balance, msisdn, location_id, imsi, imei, tac,
                                            operator_code, country_code)
            SELECT e.id, e.datetime, e.type, e.amount, round(e.amount * 0.87, 2), e.amount - round(e.amount * 0.87, 2),
                   e.pre, e.pre + round(e.amount * 0.87, 2),
                   s.msisdn, {Location("s", "e.ua", "e.ua2")}, s.imsi, s.imei, s.tac, s.operator_code, 977
            FROM ({EventBase(400, $", (ARRAY['airtime', 'bundle', 'data'])[{Pick("@callSeed", 407, "k", "3")}] AS type, (ARRAY[10, 20, 50, 100, 200, 500, 1000])[{Pick("@callSeed", 408, "k", "7")}]::numeric AS amount, round((500 * {U("@callSeed", 409, "k")})::numeric, 2) AS pre")} OFFSET 0) e
            JOIN etl.synthetic_subscribers s ON s.n = e.a
            """],
        _ => throw new ArgumentException($"Unknown event table {table}.", nameof(table)),
    };

    private static string[] IndexColumns(string table) =>
        table is "calls" or "sms"
            ? ["msisdn", "msisdn_counterpart", "tac", "location_id", "datetime"]
            : ["msisdn", "tac", "location_id", "datetime"];

    private static async Task LoadDayAsync(NpgsqlDataSource db, DatagenOptions o, EventLoad load, CancellationToken ct)
    {
        var partition = FlowDbSchema.DayPartitionName(load.Table, load.Date);
        var from = load.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
        var to = load.Date.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";
        var firstKey = (long)load.DayIndex * load.Count;
        void Extra(NpgsqlParameterCollection p)
        {
            p.Add(new NpgsqlParameter("dayStart", NpgsqlDbType.TimestampTz) { Value = load.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) });
            p.Add(new NpgsqlParameter("day", NpgsqlDbType.Date) { Value = load.Date });
            p.Add(new NpgsqlParameter("cdrType", NpgsqlDbType.Text) { Value = load.Table });
            p.Add(new NpgsqlParameter("firstKey", NpgsqlDbType.Bigint) { Value = firstKey });
            p.Add(new NpgsqlParameter("lastKey", NpgsqlDbType.Bigint) { Value = firstKey + load.Count - 1 });
        }

        var statements = new List<string>
        {
            // An empty day partition may exist (IsEmptyAsync checked there are no events at all), so it is safe to replace.
            $"DROP TABLE IF EXISTS events.{partition}",
            $"CREATE TABLE events.{partition} (LIKE events.{load.Table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
        };
        statements.AddRange(EventInsertSql(load.Table, partition));
        statements.AddRange(IndexColumns(load.Table).Select(c => $"CREATE INDEX {partition}_{c}_idx ON events.{partition} ({c})"));
        statements.Add($"ALTER TABLE events.{partition} ADD CONSTRAINT {partition}_datetime_check CHECK (datetime >= '{from}' AND datetime < '{to}')");
        statements.Add($"""
            INSERT INTO etl.synthetic_location_days (cdr_type, location_id, first_day, last_day)
            SELECT @cdrType, location_id, @day, @day FROM events.{partition} GROUP BY location_id
            """);
        if (o.QaChecks)
        {
            // The duplicate check groups by every column; enough memory keeps that hash aggregate off disk.
            statements.Add("SET LOCAL work_mem = '512MB'");
            statements.Add(QaChecks.Sql(load.Table, partition));
        }

        await using var conn = await OpenTunedAsync(db, ct).ConfigureAwait(false);
        await RunInTransactionAsync(conn, o, statements, ct, Extra).ConfigureAwait(false);
        // Attaching is short (the CHECK constraint proves the bounds, the indexes match the parent's), so it takes the
        // parent's lock only briefly; the day becomes visible together with its etl record.
        await RunInTransactionAsync(conn, o,
        [
            $"ALTER TABLE events.{load.Table} ATTACH PARTITION events.{partition} FOR VALUES FROM ('{from}') TO ('{to}')",
            "INSERT INTO etl.etl_records (cdr_type, cdr_date, state, timestamp) VALUES (@cdrType, @day, 'ingested', now())",
        ], ct, Extra).ConfigureAwait(false);
    }

    private static readonly string[] FinishSql =
    [
        """
        INSERT INTO events.location_ids (location_id, cdr_type, first_active_date, last_active_date)
        SELECT location_id, cdr_type, min(first_day), max(last_day)
        FROM etl.synthetic_location_days WHERE location_id IS NOT NULL
        GROUP BY location_id, cdr_type
        ON CONFLICT (location_id, cdr_type) DO UPDATE
            SET first_active_date = least(events.location_ids.first_active_date, excluded.first_active_date),
                last_active_date = greatest(events.location_ids.last_active_date, excluded.last_active_date)
        """,
    ];
}
