//! Life-domain self-reliance ratings from several perspectives, and the rule that flags where
//! the client's view and the professional's view differ (seed 003: clients are both over- and
//! underestimated, and self-reliance differs per life domain).

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// Whose view a rating records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    Client,
    Professional,
    NetworkMember,
}

impl Perspective {
    pub const ALL: [Perspective; 3] = [
        Perspective::Client,
        Perspective::Professional,
        Perspective::NetworkMember,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Client => "client",
            Perspective::Professional => "professional",
            Perspective::NetworkMember => "network_member",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == value)
            .ok_or(FieldError::new("perspective", "error-perspective-unknown"))
    }
}

/// A self-reliance level on a five-point scale (1 acute problematiek … 5 volledig
/// zelfredzaam). The labels and descriptions come from the instrument, which is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Level(u8);

impl Level {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Result<Self, FieldError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(FieldError::new("level", "error-level-range"))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// One domain's rating: a level, or "niet besproken" (not discussed — not the same as unknown
/// or as a low level, so it never counts in comparisons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "level")]
pub enum DomainRating {
    NotDiscussed,
    Rated(Level),
}

impl DomainRating {
    /// Parses a form value: `"1"`–`"5"`, or `"niet_besproken"`.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value.trim() {
            "niet_besproken" => Ok(DomainRating::NotDiscussed),
            "" => Err(FieldError::new("level", "error-required")),
            number => {
                let n: u8 = number
                    .parse()
                    .map_err(|_| FieldError::new("level", "error-level-range"))?;
                Level::new(n).map(DomainRating::Rated)
            }
        }
    }

    pub fn level(self) -> Option<Level> {
        match self {
            DomainRating::Rated(level) => Some(level),
            DomainRating::NotDiscussed => None,
        }
    }
}

/// How a domain's self-reliance is carried, like the ZRM-Krachtenwijzer: by the client's own
/// strength, by their network, and by professional help, in whole percentages adding up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrengthSplit {
    pub own: u8,
    pub network: u8,
    pub professional: u8,
}

impl StrengthSplit {
    pub fn new(own: u8, network: u8, professional: u8) -> Result<Self, FieldError> {
        let total = u16::from(own) + u16::from(network) + u16::from(professional);
        if own > 100 || network > 100 || professional > 100 || total != 100 {
            return Err(FieldError::new("split", "error-split-total"));
        }
        Ok(Self {
            own,
            network,
            professional,
        })
    }
}

/// Where the client and the professional see the same domain clearly differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Discrepancy {
    /// The professional rates the client as more self-reliant than the client does: the
    /// professional may overestimate the client (seed 003: 40% of clients feel this).
    ProfessionalRatesHigher { gap: u8 },
    /// The client rates themselves as more self-reliant than the professional does: the
    /// client may overestimate themselves, or the professional underestimate them.
    ClientRatesHigher { gap: u8 },
}

/// A difference of this many levels or more is worth talking about.
pub const DISCREPANCY_THRESHOLD: u8 = 2;

/// Compares the client's and the professional's rating of one domain at one moment. Only two
/// actual levels are compared; "niet besproken" on either side means there is nothing to flag.
pub fn discrepancy(client: DomainRating, professional: DomainRating) -> Option<Discrepancy> {
    let (client, professional) = (client.level()?, professional.level()?);
    let gap = client.value().abs_diff(professional.value());
    if gap < DISCREPANCY_THRESHOLD {
        return None;
    }
    Some(if professional > client {
        Discrepancy::ProfessionalRatesHigher { gap }
    } else {
        Discrepancy::ClientRatesHigher { gap }
    })
}

/// How much support a daily activity takes, on the 0–4 scale of the Danish FSIII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportLevel {
    /// 0 — zelfstandig
    Independent,
    /// 1 — lichte hulp: the client is active, a little help
    Light,
    /// 2 — matige hulp
    Moderate,
    /// 3 — veel hulp: the client participates
    Substantial,
    /// 4 — volledig overgenomen
    Full,
}

impl SupportLevel {
    pub const ALL: [SupportLevel; 5] = [
        SupportLevel::Independent,
        SupportLevel::Light,
        SupportLevel::Moderate,
        SupportLevel::Substantial,
        SupportLevel::Full,
    ];

    pub fn value(self) -> u8 {
        self as u8
    }

    pub fn from_value(value: u8) -> Result<Self, FieldError> {
        Self::ALL
            .get(usize::from(value))
            .copied()
            .ok_or(FieldError::new("support", "error-support-range"))
    }
}

/// A daily activity's support: a level, or "niet van toepassing" (the activity does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "level")]
pub enum SupportRating {
    NotApplicable,
    Level(SupportLevel),
}

impl SupportRating {
    /// Parses a form value: `"0"`–`"4"`, or `"nvt"`.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value.trim() {
            "nvt" => Ok(SupportRating::NotApplicable),
            "" => Err(FieldError::new("support", "error-required")),
            number => {
                let n: u8 = number
                    .parse()
                    .map_err(|_| FieldError::new("support", "error-support-range"))?;
                SupportLevel::from_value(n).map(SupportRating::Level)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(n: u8) -> DomainRating {
        DomainRating::Rated(Level::new(n).unwrap())
    }

    #[test]
    fn levels_run_from_one_to_five_or_not_discussed() {
        assert_eq!(DomainRating::parse("3"), Ok(rated(3)));
        assert_eq!(
            DomainRating::parse("niet_besproken"),
            Ok(DomainRating::NotDiscussed)
        );
        for bad in ["0", "6", "-1", "drie", "2.5", "256"] {
            assert_eq!(
                DomainRating::parse(bad).unwrap_err().key,
                "error-level-range",
                "{bad}"
            );
        }
        assert_eq!(DomainRating::parse(" ").unwrap_err().key, "error-required");
    }

    #[test]
    fn a_gap_of_two_or_more_levels_is_flagged_with_its_direction() {
        assert_eq!(
            discrepancy(rated(2), rated(4)),
            Some(Discrepancy::ProfessionalRatesHigher { gap: 2 })
        );
        assert_eq!(
            discrepancy(rated(5), rated(1)),
            Some(Discrepancy::ClientRatesHigher { gap: 4 })
        );
        assert_eq!(
            discrepancy(rated(3), rated(4)),
            None,
            "one level apart is not flagged"
        );
        assert_eq!(discrepancy(rated(4), rated(3)), None);
        assert_eq!(discrepancy(rated(3), rated(3)), None);
    }

    #[test]
    fn not_discussed_is_never_compared() {
        assert_eq!(discrepancy(DomainRating::NotDiscussed, rated(5)), None);
        assert_eq!(discrepancy(rated(1), DomainRating::NotDiscussed), None);
    }

    #[test]
    fn the_strength_split_adds_up_to_one_hundred() {
        assert_eq!(StrengthSplit::new(50, 30, 20).unwrap().own, 50);
        assert!(StrengthSplit::new(100, 0, 0).is_ok());
        for (own, network, professional) in [
            (50, 30, 30),
            (0, 0, 0),
            (99, 0, 0),
            (200, 0, 0),
            (255, 255, 2),
        ] {
            assert_eq!(
                StrengthSplit::new(own, network, professional)
                    .unwrap_err()
                    .key,
                "error-split-total"
            );
        }
    }

    #[test]
    fn support_runs_from_zero_to_four_or_not_applicable() {
        assert_eq!(
            SupportRating::parse("0"),
            Ok(SupportRating::Level(SupportLevel::Independent))
        );
        assert_eq!(
            SupportRating::parse("4"),
            Ok(SupportRating::Level(SupportLevel::Full))
        );
        assert_eq!(
            SupportRating::parse("nvt"),
            Ok(SupportRating::NotApplicable)
        );
        for bad in ["5", "-1", "veel", "1.5"] {
            assert_eq!(
                SupportRating::parse(bad).unwrap_err().key,
                "error-support-range",
                "{bad}"
            );
        }
        for level in SupportLevel::ALL {
            assert_eq!(SupportLevel::from_value(level.value()), Ok(level));
        }
        assert!(
            SupportLevel::Light < SupportLevel::Full,
            "more support compares higher"
        );
    }

    #[test]
    fn perspectives_round_trip() {
        for perspective in Perspective::ALL {
            assert_eq!(Perspective::parse(perspective.as_str()), Ok(perspective));
        }
        assert_eq!(
            Perspective::parse("buurman").unwrap_err().key,
            "error-perspective-unknown"
        );
    }
}
