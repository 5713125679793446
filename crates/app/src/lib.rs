//! Regie's use cases. Each takes the caller, typed input and the [`App`] (database and clock),
//! and does its access check, reads, audit row and writes in one transaction. The web layer
//! and the command line call these; neither opens a transaction itself.

pub mod accounts;
pub mod admin;
pub mod audit_log;
mod caller;
pub mod catalogue;
mod clock;
pub mod demo;
mod error;
pub mod passwords;
pub mod records;

pub use caller::Caller;
pub use clock::{Clock, ClockHand};
pub use error::Error;

use regie_storage::{Db, Tx};
use time::{Date, OffsetDateTime};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What every use case runs against: the database and the clock.
#[derive(Clone, Debug)]
pub struct App {
    db: Db,
    clock: Clock,
}

impl App {
    pub fn new(db: Db, clock: Clock) -> Self {
        Self { db, clock }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Today in the Netherlands.
    pub fn today(&self) -> Date {
        self.clock.today()
    }

    /// Starts the transaction of a use case.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(self.db.begin().await?)
    }
}
