//! Regie's domain: the types, rules and calculations of reablement care.
//!
//! Nothing in this crate performs I/O. Storage and the web layer call into it, so the rules
//! can be tested on their own and stay the same whichever database or front end is used.

pub mod access;
pub mod assessment;
pub mod audit;
pub mod client;
pub mod identifiers;
pub mod instrument;
pub mod language;
pub mod login;
pub mod network;
pub mod people;
pub mod trajectory;
pub mod validation;

pub use access::{AccessDecision, Actor, ClientScope};
pub use assessment::{
    ActivityAssessment, ActivityInput, AssessmentInput, Discrepancy, DomainAssessment, DomainInput,
    DomainRating, Level, Moment, NewAssessment, Perspective, SideBySide, StrengthSplit,
    SupportLevel, SupportRating, discrepancy, side_by_side, validate_activities,
};
pub use audit::{AuditEntry, AuditEvent, ChainBreak, Outcome};
pub use client::{Address, ClientDetails, ClientInput, LivingSituation};
pub use identifiers::{Bsn, Postcode};
pub use instrument::{InstrumentDefinition, InstrumentKind};
pub use language::Language;
pub use login::{LoginGate, LoginPolicy};
pub use network::{Asks, Balance, NetworkMember, NetworkMemberInput, NetworkSummary};
pub use people::{Discipline, NewPassword, PersonName, Role, TeamName, Username};
pub use trajectory::{
    Closure, MattersKind, NewTrajectory, Phase, QuestionType, TrajectoryInput, parse_matters_note,
};
pub use validation::FieldError;
