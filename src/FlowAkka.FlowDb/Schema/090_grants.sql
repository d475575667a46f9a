-- Privileges: flowmachine computes and owns cache tables, flowapi reads them (and the FlowDB tables). Only
-- applied for roles that exist, and default privileges only where the applying role may set them.
DO $$
DECLARE
    s TEXT;
    r RECORD;
    -- CacheSchema applies this script without the other FlowDB schemas, so only existing ones are handled.
    schemas TEXT[] := ARRAY(SELECT nspname::text FROM pg_namespace
                            WHERE nspname IN ('events', 'infrastructure', 'geography', 'etl', 'cache', 'dfs') ORDER BY nspname);
BEGIN
    -- When a superuser sets the database up, hand the objects to flowmachine so the node (connecting as
    -- flowmachine) can re-run this idempotent DDL and owns the cache, as FlowKit requires (issue #4714).
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowmachine')
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        FOREACH s IN ARRAY schemas LOOP
            EXECUTE format('ALTER SCHEMA %I OWNER TO flowmachine', s);
        END LOOP;
        FOR r IN
            SELECT n.nspname, c.relname, c.relkind
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('events', 'infrastructure', 'geography', 'etl', 'cache', 'dfs')
              AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
              AND pg_get_userbyid(c.relowner) <> 'flowmachine'
              -- Sequences owned by a column follow their table.
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
        LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO flowmachine',
                           CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.nspname, r.relname);
        END LOOP;
        FOR r IN
            SELECT p.oid::regprocedure AS fn
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public'
              AND p.proname IN ('cache_half_life', 'cache_max_size', 'cache_protected_period', 'table_size',
                                'cache_score', 'touch_cache')
              AND pg_get_userbyid(p.proowner) <> 'flowmachine'
        LOOP
            EXECUTE format('ALTER FUNCTION %s OWNER TO flowmachine', r.fn);
        END LOOP;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowmachine') AND current_user <> 'flowmachine' THEN
        FOREACH s IN ARRAY schemas LOOP
            EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO flowmachine', s);
            EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO flowmachine', s);
            EXECUTE format('GRANT ALL ON ALL SEQUENCES IN SCHEMA %I TO flowmachine', s);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT ALL ON TABLES TO flowmachine', s);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT ALL ON SEQUENCES TO flowmachine', s);
        END LOOP;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowapi') THEN
        FOREACH s IN ARRAY schemas LOOP
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO flowapi', s);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO flowapi', s);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO flowapi', s);
        END LOOP;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowmachine')
           AND pg_has_role(current_user, 'flowmachine', 'USAGE') THEN
            -- Cache result tables are created by flowmachine at run time; flowapi must be able to read them.
            ALTER DEFAULT PRIVILEGES FOR ROLE flowmachine IN SCHEMA cache GRANT SELECT ON TABLES TO flowapi;
        END IF;
    END IF;
END
$$;
