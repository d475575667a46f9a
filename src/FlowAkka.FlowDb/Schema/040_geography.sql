-- Administrative boundaries. Every level repeats the pcode and name of each of its parents, as FlowKit's
-- test data does, so a query can aggregate a lower level to a higher one without a spatial join.
CREATE TABLE IF NOT EXISTS geography.admin0 (
    gid SERIAL PRIMARY KEY,
    admin0pcod TEXT,
    admin0name TEXT,
    geom geometry(MultiPolygon, 4326)
);
CREATE TABLE IF NOT EXISTS geography.admin1 (
    gid SERIAL PRIMARY KEY,
    admin0pcod TEXT,
    admin0name TEXT,
    admin1pcod TEXT,
    admin1name TEXT,
    geom geometry(MultiPolygon, 4326)
);
CREATE TABLE IF NOT EXISTS geography.admin2 (
    gid SERIAL PRIMARY KEY,
    admin0pcod TEXT,
    admin0name TEXT,
    admin1pcod TEXT,
    admin1name TEXT,
    admin2pcod TEXT,
    admin2name TEXT,
    geom geometry(MultiPolygon, 4326)
);
CREATE TABLE IF NOT EXISTS geography.admin3 (
    gid SERIAL PRIMARY KEY,
    admin0pcod TEXT,
    admin0name TEXT,
    admin1pcod TEXT,
    admin1name TEXT,
    admin2pcod TEXT,
    admin2name TEXT,
    admin3pcod TEXT,
    admin3name TEXT,
    geom geometry(MultiPolygon, 4326)
);
CREATE INDEX IF NOT EXISTS admin0_geom_gist ON geography.admin0 USING GIST (geom);
CREATE INDEX IF NOT EXISTS admin1_geom_gist ON geography.admin1 USING GIST (geom);
CREATE INDEX IF NOT EXISTS admin2_geom_gist ON geography.admin2 USING GIST (geom);
CREATE INDEX IF NOT EXISTS admin3_geom_gist ON geography.admin3 USING GIST (geom);
CREATE INDEX IF NOT EXISTS admin1_admin1pcod_idx ON geography.admin1 (admin1pcod);
CREATE INDEX IF NOT EXISTS admin2_admin2pcod_idx ON geography.admin2 (admin2pcod);
CREATE INDEX IF NOT EXISTS admin3_admin3pcod_idx ON geography.admin3 (admin3pcod);
