-- The day an assessment or a daily-activity rating happened (issue 11): it may be typed in
-- later. recorded_at stays, for when it was written. Earlier rows get the Dutch calendar day
-- of their recorded_at.
ALTER TABLE assessments ADD COLUMN happened_on DATE;
UPDATE assessments SET happened_on = (recorded_at AT TIME ZONE 'Europe/Amsterdam')::date;
CREATE INDEX assessments_trajectory_day ON assessments (trajectory_id, happened_on);

ALTER TABLE activity_records ADD COLUMN happened_on DATE;
UPDATE activity_records SET happened_on = (recorded_at AT TIME ZONE 'Europe/Amsterdam')::date;
CREATE INDEX activity_records_trajectory_day ON activity_records (trajectory_id, happened_on);
