//! Slowing down password guessing: a growing wait after repeated failures, then a lock; and how
//! long a signed-in session may last at most.
//!
//! Failures are counted twice: per typed user name and per source address. The per-name state
//! is keyed by a hash of the name and kept for unknown names exactly as for real accounts, so
//! the answers do not reveal which accounts exist. The per-address state slows one address that
//! tries many names (or locks accounts for others) before any account could be locked from it;
//! it only slows, it never locks the account itself.

use sha2::{Digest, Sha256};
use std::net::IpAddr;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Failures allowed before any waiting is imposed.
    pub free_failures: u32,
    /// The first wait; each further failure doubles it.
    pub base_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
    /// After this many consecutive failures the key is locked; `None`: only ever slowed.
    pub lock_after: Option<u32>,
    pub lock_for: Duration,
    /// A run of failures is forgotten after this long without another failure.
    pub forget_after: Duration,
}

impl Default for LoginPolicy {
    /// The per-account policy: two free failures, then 2 s, 4 s, and a 15-minute lock at five.
    fn default() -> Self {
        Self {
            free_failures: 2,
            base_delay: Duration::seconds(2),
            max_delay: Duration::minutes(15),
            lock_after: Some(5),
            lock_for: Duration::minutes(15),
            forget_after: Duration::hours(24),
        }
    }
}

impl LoginPolicy {
    /// The per-address policy: an address waits from its third failure on (2 s, 4 s, 8 s, …
    /// up to 5 minutes), whichever names it tries. It is never locked: a whole office behind
    /// one address must not be shut out, only slowed. A quarter of an hour without failures
    /// forgets the run.
    pub fn per_address() -> Self {
        Self {
            free_failures: 2,
            base_delay: Duration::seconds(2),
            max_delay: Duration::minutes(5),
            lock_after: None,
            lock_for: Duration::ZERO,
            forget_after: Duration::minutes(15),
        }
    }
}

/// The failed-login bookkeeping for one key (a user name or an address).
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
        if self.starts_over(state, now) {
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
        let previous = if self.starts_over(state, now) {
            0
        } else {
            state.count
        };
        let count = previous.saturating_add(1);
        let locked_until = self
            .lock_after
            .is_some_and(|limit| count >= limit)
            .then(|| now + self.lock_for);
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
        let delay = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay);
        Some(delay.min(self.max_delay))
    }

    /// A lock that has run out, or a long quiet spell, lets counting start again.
    fn starts_over(&self, state: &FailedLogins, now: OffsetDateTime) -> bool {
        let lock_expired = state.locked_until.is_some_and(|until| now >= until);
        let quiet = state
            .last_failed_at
            .is_some_and(|last| now - last >= self.forget_after)
            && state.locked_until.is_none_or(|until| now >= until);
        lock_expired || quiet
    }

    /// Whether a stored state no longer affects anything at `now` and may be deleted.
    pub fn is_stale(&self, state: &FailedLogins, now: OffsetDateTime) -> bool {
        state.count == 0 || self.starts_over(state, now)
    }
}

/// Which of the two counts refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottledBy {
    /// The typed user name (a real account or not: the answer is the same).
    Account,
    /// The address the attempt came from.
    Address,
}

/// An attempt refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub by: ThrottledBy,
    /// `Wait` or `Locked`; a wait is the longer of the two, so retrying after it can succeed.
    pub gate: LoginGate,
}

/// Both policies together: the one decision taken before a password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub account: LoginPolicy,
    pub address: LoginPolicy,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            account: LoginPolicy::default(),
            address: LoginPolicy::per_address(),
        }
    }
}

impl LoginThrottle {
    /// `None` when the password may be checked; otherwise why not and for how long.
    pub fn check(
        &self,
        account: &FailedLogins,
        address: &FailedLogins,
        now: OffsetDateTime,
    ) -> Option<Refusal> {
        let by_account = self.account.gate(account, now);
        let by_address = self.address.gate(address, now);
        let seconds = |gate: LoginGate| match gate {
            LoginGate::Wait { seconds } => seconds,
            _ => 0,
        };
        match (by_account, by_address) {
            (LoginGate::Open, LoginGate::Open) => None,
            (LoginGate::Locked { until }, _) => Some(Refusal {
                by: ThrottledBy::Account,
                gate: LoginGate::Locked { until },
            }),
            (LoginGate::Wait { seconds: own }, other) => Some(Refusal {
                by: ThrottledBy::Account,
                gate: LoginGate::Wait {
                    seconds: own.max(seconds(other)),
                },
            }),
            (LoginGate::Open, gate) => Some(Refusal {
                by: ThrottledBy::Address,
                gate,
            }),
        }
    }

    /// How old a stored state must at least be before it can be purged (the longer quiet spell).
    pub fn forget_after(&self) -> Duration {
        self.account.forget_after.max(self.address.forget_after)
    }
}

/// The throttle key of a typed user name: a SHA-256 of the name as it would be looked up
/// (trimmed, lower case). Never the name itself: people sometimes type their password there.
pub fn account_key(typed_name: &str) -> String {
    let normalised = typed_name.trim().to_lowercase();
    format!(
        "user:{}",
        hex::encode(Sha256::digest(normalised.as_bytes()))
    )
}

/// The throttle key of a source address. IPv6 counts per /64, the block one subscriber usually
/// gets: otherwise every guess could come from a new address.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("addr:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("addr:{v4}"),
            None => {
                let s = v6.segments();
                format!("addr:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Whether a session signed in at `signed_in_at` has outlived the absolute lifetime `max_age`,
/// however active it has been.
pub fn session_outlived(
    signed_in_at: OffsetDateTime,
    now: OffsetDateTime,
    max_age: Duration,
) -> bool {
    now - signed_in_at >= max_age
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

    #[test]
    fn waits_grow_to_a_ceiling_and_a_quiet_spell_forgets_the_run() {
        let policy = LoginPolicy::per_address();
        assert_eq!(policy.delay_after(3), Some(Duration::seconds(2)));
        assert_eq!(policy.delay_after(9), Some(Duration::seconds(128)));
        assert_eq!(policy.delay_after(10), Some(Duration::seconds(256)));
        assert_eq!(policy.delay_after(11), Some(Duration::minutes(5)));
        assert_eq!(policy.delay_after(u32::MAX), Some(Duration::minutes(5)));
        let many = fail(&policy, 40, T0);
        assert_eq!(many.locked_until, None, "an address is never locked");
        assert_eq!(
            policy.gate(&many, T0 + Duration::seconds(10)),
            LoginGate::Wait { seconds: 290 }
        );
        let quiet = T0 + Duration::minutes(15);
        assert!(policy.is_stale(&many, quiet));
        assert_eq!(policy.after_failure(&many, quiet).count, 1);
        assert!(!policy.is_stale(&many, quiet - Duration::seconds(1)));
    }

    #[test]
    fn an_address_is_slowed_before_any_account_can_be_locked_from_it() {
        let throttle = LoginThrottle::default();
        let lock_after = throttle.account.lock_after.unwrap();
        let first_wait = (1..).find(|n| throttle.address.delay_after(*n).is_some());
        assert!(first_wait.unwrap() < lock_after);
        // Even if the account policy imposed no waits, six quick tries from one address reach
        // three failures for the account, and the rest are refused by the address.
        let account = LoginPolicy {
            base_delay: Duration::ZERO,
            ..LoginPolicy::default()
        };
        let throttle = LoginThrottle {
            account,
            ..throttle
        };
        let (mut name, mut addr) = (FailedLogins::default(), FailedLogins::default());
        let mut refused = Vec::new();
        for _ in 0..6 {
            match throttle.check(&name, &addr, T0) {
                None => {
                    name = throttle.account.after_failure(&name, T0);
                    addr = throttle.address.after_failure(&addr, T0);
                }
                Some(refusal) => refused.push(refusal),
            }
        }
        assert_eq!(name.count, 3);
        assert_eq!(name.locked_until, None, "the account is not locked");
        assert_eq!(
            refused,
            vec![
                Refusal {
                    by: ThrottledBy::Address,
                    gate: LoginGate::Wait { seconds: 2 }
                };
                3
            ]
        );
    }

    #[test]
    fn the_account_reason_comes_first_and_the_longer_wait_is_given() {
        let throttle = LoginThrottle::default();
        let name = fail(&throttle.account, 3, T0); // waits 2 s
        let addr = fail(&throttle.address, 6, T0); // waits 16 s
        assert_eq!(
            throttle.check(&name, &addr, T0),
            Some(Refusal {
                by: ThrottledBy::Account,
                gate: LoginGate::Wait { seconds: 16 }
            })
        );
        let locked = fail(&throttle.account, 5, T0);
        assert_eq!(
            throttle.check(&locked, &addr, T0).unwrap().gate,
            LoginGate::Locked {
                until: T0 + Duration::minutes(15)
            }
        );
        assert_eq!(
            throttle.check(&FailedLogins::default(), &addr, T0),
            Some(Refusal {
                by: ThrottledBy::Address,
                gate: LoginGate::Wait { seconds: 16 }
            })
        );
        assert_eq!(
            throttle.check(&name, &addr, T0 + Duration::seconds(16)),
            None
        );
    }

    #[test]
    fn names_are_keyed_by_a_hash_of_the_normalised_name() {
        let key = account_key("  Coordinator ");
        assert_eq!(key, account_key("coordinator"));
        assert!(key.starts_with("user:") && key.len() == 5 + 64);
        assert!(!key.contains("coordinator"));
        assert_ne!(key, account_key("coordinator2"));
        // Anything typed has a key, valid user name or not.
        assert!(account_key("mijn geheime wachtwoord!").starts_with("user:"));
    }

    #[test]
    fn addresses_are_keyed_per_ipv4_address_and_per_ipv6_block() {
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(address_key(v4), "addr:192.0.2.7");
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), "addr:2001:db8:1:2::/64");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), address_key(v4));
    }

    #[test]
    fn a_session_ends_at_its_absolute_lifetime() {
        let twelve = Duration::hours(12);
        let later = |d: Duration| T0 + d;
        assert!(!session_outlived(T0, later(Duration::hours(11)), twelve));
        assert!(!session_outlived(
            T0,
            later(twelve - Duration::seconds(1)),
            twelve
        ));
        assert!(session_outlived(T0, later(twelve), twelve));
        assert!(session_outlived(T0, later(Duration::days(3)), twelve));
    }
}
