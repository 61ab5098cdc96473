-- Comparisons at national scale (strategy.ComparisonStore).
--
-- Organisation groups are Kolada's "Liknande kommuner socioekonomi,
-- <kommun>, <år>" peer groups and other named sets of organisations to
-- compare with (strategy.OrgGroup). Members are codes, not references: a
-- group may name kommuner that are not stored, as observations may.
--
-- observations_ranking serves the comparisons (internal/store/compare.go).
-- A ranking reads one indicator, year and gender of every kommun, which
-- the primary key (indicator_id, org_code, year, gender) scatters one row
-- per organisation among all its years and genders: at 25 years and three
-- genders, 75 rows read for each one used. A profile does that for every
-- indicator. With this index both read only the rows they use, already in
-- value order, and never the table (it holds org_code). Measured on the
-- national demo (bench/national/README.md).

-- +goose Up
CREATE TABLE organisation_groups (
    id     TEXT PRIMARY KEY,
    title  TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('peers', 'other')),
    -- The kommun a peer group is of; '' for other groups.
    of_org TEXT NOT NULL DEFAULT '',
    year   INTEGER,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX organisation_groups_of ON organisation_groups (of_org, kind);

CREATE TABLE organisation_group_members (
    group_id TEXT NOT NULL REFERENCES organisation_groups (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    org_code TEXT NOT NULL,
    PRIMARY KEY (group_id, org_code)
);

CREATE INDEX observations_ranking ON observations (indicator_id, year, gender, value, org_code);

-- +goose Down
DROP INDEX observations_ranking;
DROP TABLE organisation_group_members;
DROP TABLE organisation_groups;
