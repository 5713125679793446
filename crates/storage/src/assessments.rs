//! Life-domain assessments and their ratings.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::TrajectoryAccess;
use regie_domain::{
    DomainAssessment, DomainRating, Level, Moment, NewAssessment, Perspective, StrengthSplit,
};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub id: i64,
    pub trajectory_id: i64,
    pub instrument_key: String,
    pub instrument_version: String,
    pub perspective: Perspective,
    pub moment: Moment,
    pub respondent: Option<String>,
    /// The day the view was given; `recorded_at` is when it was written down.
    pub happened_on: Date,
    pub recorded_by: i64,
    pub recorded_at: OffsetDateTime,
    pub domains: Vec<DomainAssessment>,
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: i64,
    trajectory_id: i64,
    instrument_key: String,
    instrument_version: String,
    perspective: String,
    moment: String,
    respondent: Option<String>,
    happened_on: Date,
    recorded_by: i64,
    recorded_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    assessment_id: i64,
    item_key: String,
    level: Option<i64>,
    own_pct: Option<i64>,
    network_pct: Option<i64>,
    professional_pct: Option<i64>,
    wants_to_work_on: bool,
    strengths: Option<String>,
    note: Option<String>,
}

fn pct(value: Option<i64>) -> Option<u8> {
    value.and_then(|v| u8::try_from(v).ok())
}

impl RatingRow {
    fn into_domain(self) -> Result<DomainAssessment> {
        let corrupt = || {
            StorageError::Corrupt(format!(
                "rating {} of assessment {}",
                self.item_key, self.assessment_id
            ))
        };
        let rating = match self.level {
            None => DomainRating::NotDiscussed,
            Some(level) => DomainRating::Rated(
                Level::new(u8::try_from(level).map_err(|_| corrupt())?).map_err(|_| corrupt())?,
            ),
        };
        let split = match (
            pct(self.own_pct),
            pct(self.network_pct),
            pct(self.professional_pct),
        ) {
            (Some(own), Some(network), Some(professional)) => {
                Some(StrengthSplit::new(own, network, professional).map_err(|_| corrupt())?)
            }
            _ => None,
        };
        Ok(DomainAssessment {
            item_key: self.item_key,
            rating,
            split,
            wants_to_work_on: self.wants_to_work_on,
            strengths: self.strengths,
            note: self.note,
        })
    }
}

impl Tx {
    pub async fn assessment_create(
        &mut self,
        trajectory_id: i64,
        instrument: (&str, &str),
        assessment: &NewAssessment,
        recorded_by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        on_tx!(self, |c| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO assessments (trajectory_id, instrument_key, instrument_version, perspective, moment, \
                 respondent, recorded_by, recorded_at, happened_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 RETURNING id",
            )
            .bind(trajectory_id)
            .bind(instrument.0)
            .bind(instrument.1)
            .bind(assessment.perspective.as_str())
            .bind(assessment.moment.as_str())
            .bind(&assessment.respondent)
            .bind(recorded_by)
            .bind(now)
            .bind(assessment.happened_on)
            .fetch_one(&mut *c)
            .await?;
            for domain in &assessment.domains {
                let split = domain.split;
                sqlx::query(
                    "INSERT INTO assessment_ratings (assessment_id, item_key, level, own_pct, network_pct, \
                     professional_pct, wants_to_work_on, strengths, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(&domain.item_key)
                .bind(domain.rating.level().map(|l| i64::from(l.value())))
                .bind(split.map(|s| i64::from(s.own)))
                .bind(split.map(|s| i64::from(s.network)))
                .bind(split.map(|s| i64::from(s.professional)))
                .bind(domain.wants_to_work_on)
                .bind(&domain.strengths)
                .bind(&domain.note)
                .execute(&mut *c)
                .await?;
            }
            Ok(id)
        })
    }

    /// A trajectory's assessments by the day they were given, oldest first, with their ratings.
    pub async fn assessments_for_trajectory(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<StoredAssessment>> {
        let trajectory_id = access.trajectory_id();
        let (rows, ratings): (Vec<AssessmentRow>, Vec<RatingRow>) = on_tx!(self, |c| {
            let rows = sqlx::query_as(
                "SELECT id, trajectory_id, instrument_key, instrument_version, perspective, moment, respondent, \
                 happened_on, recorded_by, recorded_at FROM assessments WHERE trajectory_id = $1 \
                 ORDER BY happened_on, recorded_at, id",
            )
            .bind(trajectory_id)
            .fetch_all(&mut *c)
            .await?;
            let ratings = sqlx::query_as(
                "SELECT r.assessment_id, r.item_key, r.level, r.own_pct, r.network_pct, r.professional_pct, \
                 r.wants_to_work_on, r.strengths, r.note FROM assessment_ratings r \
                 JOIN assessments a ON a.id = r.assessment_id WHERE a.trajectory_id = $1",
            )
            .bind(trajectory_id)
            .fetch_all(&mut *c)
            .await?;
            (rows, ratings)
        });
        let mut ratings = ratings;
        rows.into_iter()
            .map(|row| {
                let corrupt =
                    |what: &str| StorageError::Corrupt(format!("assessment {}: {what}", row.id));
                let (mine, rest): (Vec<RatingRow>, Vec<RatingRow>) = std::mem::take(&mut ratings)
                    .into_iter()
                    .partition(|r| r.assessment_id == row.id);
                ratings = rest;
                Ok(StoredAssessment {
                    perspective: Perspective::parse(&row.perspective)
                        .map_err(|_| corrupt("perspective"))?,
                    moment: Moment::parse(&row.moment).map_err(|_| corrupt("moment"))?,
                    domains: mine
                        .into_iter()
                        .map(RatingRow::into_domain)
                        .collect::<Result<_>>()?,
                    id: row.id,
                    trajectory_id: row.trajectory_id,
                    instrument_key: row.instrument_key,
                    instrument_version: row.instrument_version,
                    respondent: row.respondent,
                    happened_on: row.happened_on,
                    recorded_by: row.recorded_by,
                    recorded_at: row.recorded_at,
                })
            })
            .collect()
    }
}

/// The most recent daily-activities record of a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    pub id: i64,
    /// The day the support was rated; `recorded_at` is when it was written down.
    pub happened_on: Date,
    pub recorded_by: i64,
    pub recorded_at: OffsetDateTime,
    pub activities: Vec<regie_domain::ActivityAssessment>,
}

impl Tx {
    pub async fn activities_create(
        &mut self,
        trajectory_id: i64,
        instrument: (&str, &str),
        record: &regie_domain::NewActivities,
        recorded_by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        on_tx!(self, |c| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO activity_records (trajectory_id, instrument_key, instrument_version, recorded_by, \
                 recorded_at, happened_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(trajectory_id)
            .bind(instrument.0)
            .bind(instrument.1)
            .bind(recorded_by)
            .bind(now)
            .bind(record.happened_on)
            .fetch_one(&mut *c)
            .await?;
            for activity in &record.activities {
                let support = match activity.support {
                    regie_domain::SupportRating::NotApplicable => None,
                    regie_domain::SupportRating::Level(level) => Some(i64::from(level.value())),
                };
                sqlx::query(
                    "INSERT INTO activity_ratings (record_id, item_key, support, wants_to_learn) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(&activity.item_key)
                .bind(support)
                .bind(activity.wants_to_learn)
                .execute(&mut *c)
                .await?;
            }
            Ok(id)
        })
    }

    pub async fn activities_latest(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Option<ActivityRecord>> {
        let trajectory_id = access.trajectory_id();
        on_tx!(self, |c| {
            // The latest by the day it happened: a rating typed in late does not hide a newer one.
            let record: Option<(i64, Date, i64, OffsetDateTime)> = sqlx::query_as(
                "SELECT id, happened_on, recorded_by, recorded_at FROM activity_records WHERE trajectory_id = $1 \
                 ORDER BY happened_on DESC, recorded_at DESC, id DESC LIMIT 1",
            )
            .bind(trajectory_id)
            .fetch_optional(&mut *c)
            .await?;
            let Some((id, happened_on, recorded_by, recorded_at)) = record else {
                return Ok(None);
            };
            let rows: Vec<(String, Option<i64>, bool)> =
                sqlx::query_as("SELECT item_key, support, wants_to_learn FROM activity_ratings WHERE record_id = $1")
                    .bind(id)
                    .fetch_all(&mut *c)
                    .await?;
            let activities = rows
                .into_iter()
                .map(|(item_key, support, wants_to_learn)| {
                    let support = match support {
                        None => regie_domain::SupportRating::NotApplicable,
                        Some(value) => regie_domain::SupportRating::Level(
                            u8::try_from(value)
                                .ok()
                                .and_then(|v| regie_domain::SupportLevel::from_value(v).ok())
                                .ok_or_else(|| {
                                    StorageError::Corrupt(format!("activity record {id}: support"))
                                })?,
                        ),
                    };
                    Ok(regie_domain::ActivityAssessment {
                        item_key,
                        support,
                        wants_to_learn,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(ActivityRecord {
                id,
                happened_on,
                recorded_by,
                recorded_at,
                activities,
            }))
        })
    }
}

impl Tx {
    /// The days daily activities were rated for a trajectory, when each was written and by
    /// whom, oldest day first.
    pub async fn activity_record_times(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<(Date, OffsetDateTime, i64)>> {
        let trajectory_id = access.trajectory_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT happened_on, recorded_at, recorded_by FROM activity_records WHERE trajectory_id = $1 \
                 ORDER BY happened_on, recorded_at, id",
            )
                .bind(trajectory_id)
                .fetch_all(c)
                .await?
        }))
    }
}
