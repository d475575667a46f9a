-- Schemas of FlowDB (FlowKit names). Idempotent; applied inside one transaction under an advisory lock.
-- Existence is checked first because CREATE ... IF NOT EXISTS still demands CREATE rights on the database,
-- which a non-owner role re-running the DDL may lack.
DO $$
DECLARE
    s TEXT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') THEN
        CREATE EXTENSION postgis;
    END IF;
    FOREACH s IN ARRAY ARRAY['events', 'infrastructure', 'geography', 'etl', 'cache', 'dfs'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = s) THEN
            EXECUTE format('CREATE SCHEMA %I', s);
        END IF;
    END LOOP;
END
$$;
