-- flowmachine-compatible cache schema: result metadata, dependencies between cached results, the global touch
-- counter, configuration, and the scoring functions (cachey-style: recency-weighted access x compute time / size).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'cache') THEN
        CREATE SCHEMA cache;
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS cache.cached (
    query_id CHARACTER(32) NOT NULL,
    version CHARACTER VARYING,
    query TEXT,
    created TIMESTAMPTZ,
    access_count INTEGER,
    last_accessed TIMESTAMPTZ,
    compute_time NUMERIC,
    cache_score_multiplier NUMERIC,
    class CHARACTER VARYING,
    schema CHARACTER VARYING,
    tablename CHARACTER VARYING,
    obj BYTEA,
    CONSTRAINT cache_pkey PRIMARY KEY (query_id)
);

CREATE TABLE IF NOT EXISTS cache.dependencies (
    query_id CHARACTER(32) NOT NULL,
    depends_on CHARACTER(32) NOT NULL,
    CONSTRAINT dependencies_pkey PRIMARY KEY (depends_on, query_id),
    CONSTRAINT cache_dependency_id FOREIGN KEY (depends_on) REFERENCES cache.cached (query_id) ON DELETE CASCADE,
    CONSTRAINT cache_dependent_id FOREIGN KEY (query_id) REFERENCES cache.cached (query_id) ON DELETE CASCADE
);
-- Looking up the dependants of a query (query_id side) would otherwise scan the table.
CREATE INDEX IF NOT EXISTS dependencies_query_id_idx ON cache.dependencies (query_id);

-- Global count of cache retrievals; the exponent of the recency weight in touch_cache.
CREATE SEQUENCE IF NOT EXISTS cache.cache_touches START 1;

CREATE TABLE IF NOT EXISTS cache.cache_config (key TEXT, value TEXT);
INSERT INTO cache.cache_config (key, value)
SELECT d.key, d.value
FROM (VALUES ('half_life', '1000'),
             ('cache_size', '10737418240'),
             ('cache_protected_period', '86400')) AS d (key, value)
WHERE NOT EXISTS (SELECT 1 FROM cache.cache_config c WHERE c.key = d.key);

-- Classes of cached objects that are base tables, not computed results: their score stays 0 and the janitor
-- never removes them.
CREATE TABLE IF NOT EXISTS cache.zero_cache (object_class TEXT PRIMARY KEY);
INSERT INTO cache.zero_cache (object_class)
VALUES ('Table'), ('GeoTable'), ('CallsTable'), ('SmsTable'), ('MdsTable'), ('TopupsTable'),
       ('ForwardsTable'), ('TacsTable'), ('CellsTable'), ('SitesTable')
ON CONFLICT (object_class) DO NOTHING;

-- The functions live in public (flowmachine calls them unqualified). They are (re)defined only by a role that may
-- create in public, so a node connecting as flowmachine can re-run this script once a superuser has set it up.
DO $do$
BEGIN
    IF has_schema_privilege('public', 'CREATE')
       OR NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = 'public' AND p.proname = 'touch_cache') THEN
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.cache_half_life() RETURNS float AS $$
    SELECT value::float FROM cache.cache_config WHERE key = 'half_life' LIMIT 1;
$$ LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.cache_max_size() RETURNS bigint AS $$
    SELECT value::bigint FROM cache.cache_config WHERE key = 'cache_size' LIMIT 1;
$$ LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.cache_protected_period() RETURNS bigint AS $$
    SELECT value::bigint FROM cache.cache_config WHERE key = 'cache_protected_period' LIMIT 1;
$$ LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
-- Size on disk (table, indexes, toast) of an ordinary table; NULL when there is no such table.
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.table_size(tablename TEXT, table_schema TEXT) RETURNS float AS $$
    SELECT pg_total_relation_size(c.oid)::float
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND c.relname = tablename AND n.nspname = table_schema;
$$ LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
-- Seconds of compute saved per byte, weighted by the recency multiplier: higher means more worth keeping.
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.cache_score(cache_score_multiplier NUMERIC, compute_time NUMERIC, tablesize DOUBLE PRECISION)
RETURNS float AS $$
    SELECT (cache_score_multiplier * ((compute_time / 1000) / tablesize::numeric))::float;
$$ LANGUAGE sql IMMUTABLE SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
-- Records one retrieval of a cached result: bumps access_count and last_accessed and adds the recency weight
-- (1 + ln2/half_life)^(touches - 2) to the multiplier (kept at 0 for class 'Table'); returns the new score.
EXECUTE $fn$
CREATE OR REPLACE FUNCTION public.touch_cache(cached_query_id TEXT) RETURNS float AS $$
DECLARE
    score float;
BEGIN
    UPDATE cache.cached
       SET last_accessed = NOW(),
           access_count = access_count + 1,
           cache_score_multiplier = CASE WHEN class = 'Table' THEN 0
               ELSE cache_score_multiplier
                    + POWER(1 + ln(2) / public.cache_half_life(), nextval('cache.cache_touches') - 2)::numeric
           END
     WHERE query_id = cached_query_id
    RETURNING public.cache_score(cache_score_multiplier, compute_time,
                                 greatest(public.table_size(tablename, schema), 0.00001))
      INTO score;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Cache record % not found', cached_query_id;
    END IF;
    RETURN score;
END
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
$fn$;
    END IF;
END
$do$;
