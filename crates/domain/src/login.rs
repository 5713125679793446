//! Slowing down password guessing: a growing wait after repeated failures, then a lock.
//!
//! The state is kept per account, so an attacker guessing one account does not lock out
//! anyone else.

use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failures allowed before any waiting is imposed.
    pub free_failures: u32,
    /// The first wait; each further failure doubles it.
    pub base_delay: Duration,
    /// After this many consecutive failures the account is locked.
    pub lock_after: u32,
    pub lock_for: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            free_failures: 2,
            base_delay: Duration::seconds(2),
            lock_after: 5,
            lock_for: Duration::minutes(15),
        }
    }
}

/// The failed-login bookkeeping stored with an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailedLogins {
    pub count: u32,
    pub last_failed_at: Option<OffsetDateTime>,
    pub locked_until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// The password may be checked.
    Open,
    /// Too soon after the last failure; try again after this many seconds.
    Wait {
        seconds: i64,
    },
    Locked {
        until: OffsetDateTime,
    },
}

impl LoginPolicy {
    /// Whether a login attempt may be checked now.
    pub fn gate(&self, state: &FailedLogins, now: OffsetDateTime) -> LoginGate {
        if let Some(until) = state.locked_until
            && now < until
        {
            return LoginGate::Locked { until };
        }
        if self.lock_expired(state, now) {
            return LoginGate::Open;
        }
        if let (Some(delay), Some(last)) = (self.delay_after(state.count), state.last_failed_at) {
            let ready_at = last + delay;
            if now < ready_at {
                let seconds = (ready_at - now).as_seconds_f64().ceil() as i64;
                return LoginGate::Wait {
                    seconds: seconds.max(1),
                };
            }
        }
        LoginGate::Open
    }

    /// The state after one more wrong password at `now`.
    pub fn after_failure(&self, state: &FailedLogins, now: OffsetDateTime) -> FailedLogins {
        let previous = if self.lock_expired(state, now) {
            0
        } else {
            state.count
        };
        let count = previous.saturating_add(1);
        let locked_until = (count >= self.lock_after).then(|| now + self.lock_for);
        FailedLogins {
            count,
            last_failed_at: Some(now),
            locked_until,
        }
    }

    /// The wait imposed after `failures` consecutive failures, if any.
    pub fn delay_after(&self, failures: u32) -> Option<Duration> {
        let beyond_free = failures
            .checked_sub(self.free_failures)
            .filter(|n| *n > 0)?;
        let factor = 2i32.saturating_pow(beyond_free - 1);
        Some(self.base_delay * factor)
    }

    fn lock_expired(&self, state: &FailedLogins, now: OffsetDateTime) -> bool {
        state.locked_until.is_some_and(|until| now >= until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-23 09:00 UTC);

    fn fail(policy: &LoginPolicy, times: u32, now: OffsetDateTime) -> FailedLogins {
        (0..times).fold(FailedLogins::default(), |s, _| {
            policy.after_failure(&s, now)
        })
    }

    #[test]
    fn the_first_failures_are_free_then_the_wait_doubles() {
        let policy = LoginPolicy::default();
        assert_eq!(policy.delay_after(1), None);
        assert_eq!(policy.delay_after(2), None);
        assert_eq!(policy.delay_after(3), Some(Duration::seconds(2)));
        assert_eq!(policy.delay_after(4), Some(Duration::seconds(4)));
        assert_eq!(policy.gate(&fail(&policy, 2, T0), T0), LoginGate::Open);
        assert_eq!(
            policy.gate(&fail(&policy, 3, T0), T0),
            LoginGate::Wait { seconds: 2 }
        );
        let after_four = fail(&policy, 4, T0);
        assert_eq!(
            policy.gate(&after_four, T0 + Duration::seconds(1)),
            LoginGate::Wait { seconds: 3 }
        );
        assert_eq!(
            policy.gate(&after_four, T0 + Duration::seconds(4)),
            LoginGate::Open
        );
    }

    #[test]
    fn five_failures_lock_the_account_for_a_while() {
        let policy = LoginPolicy::default();
        let state = fail(&policy, 5, T0);
        let until = T0 + Duration::minutes(15);
        assert_eq!(state.locked_until, Some(until));
        assert_eq!(
            policy.gate(&state, T0 + Duration::minutes(14)),
            LoginGate::Locked { until }
        );
        assert_eq!(policy.gate(&state, until), LoginGate::Open);
    }

    #[test]
    fn after_a_lock_expires_counting_starts_again() {
        let policy = LoginPolicy::default();
        let locked = fail(&policy, 5, T0);
        let later = T0 + Duration::minutes(16);
        let next = policy.after_failure(&locked, later);
        assert_eq!(next.count, 1);
        assert_eq!(next.locked_until, None);
        assert_eq!(policy.gate(&next, later), LoginGate::Open);
    }
}
