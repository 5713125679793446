//! Where "now" comes from. Every use case asks the clock it was given, so tests set the time
//! instead of backdating rows.

use std::sync::{Arc, Mutex};
use time::{Date, OffsetDateTime};

#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    /// The machine's clock.
    pub fn system() -> Self {
        Self(Arc::new(OffsetDateTime::now_utc))
    }

    pub fn new(now: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// A clock that stands still at `at` until moved with the returned handle.
    pub fn fixed(at: OffsetDateTime) -> (Self, ClockHand) {
        let hand = ClockHand(Arc::new(Mutex::new(at)));
        let reading = hand.clone();
        (Self::new(move || reading.now()), hand)
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.0)()
    }

    /// Today as people in the Netherlands count days: between midnight and 01:00 or 02:00 UTC
    /// it is already tomorrow there.
    pub fn today(&self) -> Date {
        regie_domain::dutch_time::dutch_time(self.now()).date()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}

/// Sets or moves a [`Clock::fixed`] clock.
#[derive(Clone, Debug)]
pub struct ClockHand(Arc<Mutex<OffsetDateTime>>);

impl ClockHand {
    pub fn now(&self) -> OffsetDateTime {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn set(&self, at: OffsetDateTime) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
    }

    pub fn advance(&self, by: time::Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn today_is_the_dutch_date() {
        let (clock, hand) = Clock::fixed(datetime!(2026-12-01 23:30 UTC));
        assert_eq!(clock.today(), date!(2026 - 12 - 02));
        hand.set(datetime!(2026-07-01 21:59 UTC));
        assert_eq!(clock.today(), date!(2026 - 07 - 01));
        hand.advance(time::Duration::minutes(2));
        assert_eq!(clock.today(), date!(2026 - 07 - 02));
    }
}
