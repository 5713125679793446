-- The day an assessment or a daily-activity rating happened (issue 11): it may be typed in
-- later. recorded_at stays, for when it was written. Earlier rows get the Dutch calendar day
-- of their recorded_at (Dutch summer time runs from the last Sunday of March to the last
-- Sunday of October, 01:00 UTC; the last Sunday of a month of 31 days is the first Sunday
-- from the 25th). SQLite has no time zones, so the rule is spelled out here.
ALTER TABLE assessments ADD COLUMN happened_on TEXT;
UPDATE assessments SET happened_on = CASE
    WHEN recorded_at >= date(substr(recorded_at, 1, 4) || '-03-25', 'weekday 0') || 'T01:00'
     AND recorded_at < date(substr(recorded_at, 1, 4) || '-10-25', 'weekday 0') || 'T01:00'
    THEN date(recorded_at, '+2 hours') ELSE date(recorded_at, '+1 hour') END;
CREATE INDEX assessments_trajectory_day ON assessments (trajectory_id, happened_on);

ALTER TABLE activity_records ADD COLUMN happened_on TEXT;
UPDATE activity_records SET happened_on = CASE
    WHEN recorded_at >= date(substr(recorded_at, 1, 4) || '-03-25', 'weekday 0') || 'T01:00'
     AND recorded_at < date(substr(recorded_at, 1, 4) || '-10-25', 'weekday 0') || 'T01:00'
    THEN date(recorded_at, '+2 hours') ELSE date(recorded_at, '+1 hour') END;
CREATE INDEX activity_records_trajectory_day ON activity_records (trajectory_id, happened_on);
