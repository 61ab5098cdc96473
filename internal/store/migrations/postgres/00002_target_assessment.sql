-- A status set by hand on a target (the verdict on a qualitative target, or
-- an override of the computed one) with its justification. No assessment is
-- status ''.

-- +goose Up
ALTER TABLE targets ADD COLUMN assessment_status TEXT NOT NULL DEFAULT '';
ALTER TABLE targets ADD COLUMN assessment_justification TEXT NOT NULL DEFAULT '';
ALTER TABLE targets ADD COLUMN assessment_by TEXT NOT NULL DEFAULT '';
ALTER TABLE targets ADD COLUMN assessment_on DATE;

-- +goose Down
ALTER TABLE targets DROP COLUMN assessment_on;
ALTER TABLE targets DROP COLUMN assessment_by;
ALTER TABLE targets DROP COLUMN assessment_justification;
ALTER TABLE targets DROP COLUMN assessment_status;
