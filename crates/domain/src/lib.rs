//! Regie's domain: the types, rules and calculations of reablement care.
//!
//! Nothing in this crate performs I/O. Storage and the web layer call into it, so the rules
//! can be tested on their own and stay the same whichever database or front end is used.

pub mod access;
pub mod assessment;
pub mod audit;
pub mod catalogue;
pub mod client;
pub mod closure;
pub mod core_team;
pub mod decision;
pub mod dutch_time;
pub mod evaluation;
pub mod goal;
pub mod identifiers;
pub mod instrument;
pub mod language;
pub mod login;
pub mod network;
pub mod people;
pub mod permissions;
pub mod plan;
pub mod trajectory;
pub mod validation;
pub mod visit;

pub use access::{Actor, ClientScope};
pub use assessment::{
    ActivityAssessment, ActivityInput, AssessmentInput, DayWindow, Discrepancy, DomainAssessment,
    DomainInput, DomainRating, Level, Moment, NewActivities, NewAssessment, Perspective,
    SideBySide, StrengthSplit, SupportLevel, SupportRating, discrepancy, side_by_side,
    validate_activities,
};
pub use audit::{AuditEntry, AuditEvent, ChainBreak, Outcome};
pub use catalogue::{
    AidEntry, CatalogueInput, InterventionCategory, InterventionEntry, WorkingElement,
};
pub use client::{Address, Client, ClientDetails, ClientInput, LivingSituation, serving_teams};
pub use closure::{
    CareNow, CareNowInput, Closure, ClosureDecision, ClosureInput, ClosureOption, FinalScoreInput,
    GoalOutcomeInput, ReferralTo, StopReason,
};
pub use core_team::{CoreTeam, TeamChange, TeamProfessional};
pub use decision::{DecidedBy, DecisionInput, DecisionOption, SharedDecision};
pub use dutch_time::{dutch_time, start_of_dutch_day};
pub use evaluation::{
    AgreementForwardInput, Due, Evaluation, EvaluationContext, EvaluationInput, GoalDecision,
    GoalEvaluationInput, GoalScore, Participants, ScoreChange, ScoreMoment, Trend,
};
pub use goal::{
    CopmScores, ExpressedBy, GasScale, Goal, GoalContent, GoalInput, GoalStatus, GoalStatusChange,
    GoalStatusInput, gas_t_score,
};
pub use identifiers::{Bsn, Postcode};
pub use instrument::{InstrumentDefinition, InstrumentKind};
pub use language::Language;
pub use login::{LoginGate, LoginPolicy, LoginThrottle};
pub use network::{Asks, Balance, NetworkMember, NetworkMemberInput, NetworkSummary};
pub use people::{Discipline, NewPassword, PersonName, Role, TeamName, Username};
pub use permissions::{
    Capabilities, ClientAccess, Decision, Permission, Refusal, Relation, STATED_REASON_VALIDITY,
    StatedReason, TrajectoryAccess,
};
pub use plan::{
    Agreement, AgreementInput, CareInput, CareTaper, ChangeKind, InterventionInput, Plan,
    PlanChange, PlanError, PlannedCare, PlannedIntervention, Responsible, Subject, week_of,
};
pub use trajectory::{
    MattersKind, NewTrajectory, Phase, QuestionType, Trajectory, TrajectoryInput,
    parse_matters_note,
};
pub use validation::FieldError;
