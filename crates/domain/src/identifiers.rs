//! Validated Dutch identifiers: the citizen service number (BSN) and the postcode.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// A burgerservicenummer: nine digits that pass the elfproef.
///
/// Shown masked ([`Bsn::masked`]); found by exact match only.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bsn(String);

impl Bsn {
    /// Accepts spaces, dots and hyphens as separators; an eight-digit number (issued before
    /// 2007) gets its leading zero back.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("bsn", "error-bsn-invalid");
        let cleaned: String = value
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if cleaned.is_empty() {
            return Err(FieldError::new("bsn", "error-required"));
        }
        if !cleaned.chars().all(|c| c.is_ascii_digit()) || !(8..=9).contains(&cleaned.len()) {
            return Err(invalid());
        }
        let digits = format!("{cleaned:0>9}");
        if !passes_elfproef(&digits) {
            return Err(invalid());
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the last three digits are shown, as is usual in Dutch care records.
    pub fn masked(&self) -> String {
        format!("******{}", &self.0[6..])
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a positive multiple of 11.
fn passes_elfproef(nine_digits: &str) -> bool {
    let sum: i64 = nine_digits
        .bytes()
        .map(|b| i64::from(b - b'0'))
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(digit, weight)| digit * weight)
        .sum();
    sum > 0 && sum % 11 == 0
}

// A BSN is personal data: keep it out of debug output and logs.
impl std::fmt::Debug for Bsn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bsn({})", self.masked())
    }
}

/// A Dutch postcode, normalised to `1234 AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let cleaned: String = value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if cleaned.is_empty() {
            return Err(FieldError::new("postcode", "error-required"));
        }
        let invalid = || FieldError::new("postcode", "error-postcode-invalid");
        let bytes = cleaned.as_bytes();
        let well_formed = bytes.len() == 6
            && (b'1'..=b'9').contains(&bytes[0])
            && bytes[1..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_uppercase);
        // PostNL does not issue the letter pairs SA, SD and SS.
        if !well_formed || matches!(&cleaned[4..], "SA" | "SD" | "SS") {
            return Err(invalid());
        }
        Ok(Self(format!("{} {}", &cleaned[..4], &cleaned[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_bsns_pass_the_elfproef() {
        for (input, stored) in [
            ("111222333", "111222333"),
            ("123456782", "123456782"),
            ("1234.56.782", "123456782"),
            (" 111 222 333 ", "111222333"),
            // Eight digits: the leading zero is restored (9·0 adds nothing to the sum).
            ("10000021", "010000021"),
        ] {
            assert_eq!(Bsn::parse(input).unwrap().as_str(), stored, "{input}");
        }
    }

    #[test]
    fn invalid_bsns_are_refused_with_a_reason() {
        for bad in [
            "123456789",
            "000000000",
            "12345678a",
            "1234567",
            "1234567890",
            "111222334",
        ] {
            assert_eq!(
                Bsn::parse(bad).unwrap_err().key,
                "error-bsn-invalid",
                "{bad}"
            );
        }
        assert_eq!(Bsn::parse("  ").unwrap_err().key, "error-required");
    }

    #[test]
    fn a_bsn_is_masked_everywhere_it_is_shown() {
        let bsn = Bsn::parse("123456782").unwrap();
        assert_eq!(bsn.masked(), "******782");
        assert!(!format!("{bsn:?}").contains("123456"));
    }

    #[test]
    fn postcodes_are_normalised() {
        for input in ["1234AB", "1234 ab", " 1234  Ab ", "1234\tAB"] {
            assert_eq!(
                Postcode::parse(input).unwrap().as_str(),
                "1234 AB",
                "{input:?}"
            );
        }
        assert_eq!(Postcode::parse("9999 ZZ").unwrap().as_str(), "9999 ZZ");
    }

    #[test]
    fn malformed_postcodes_are_refused() {
        for bad in [
            "0123 AB", "123 AB", "12345 AB", "1234 A", "1234 A1", "1234 SA", "1234 ss", "1234 SD",
            "ABCD 12", "1234 ÅB",
        ] {
            assert_eq!(
                Postcode::parse(bad).unwrap_err().key,
                "error-postcode-invalid",
                "{bad}"
            );
        }
        assert_eq!(Postcode::parse("").unwrap_err().key, "error-required");
    }
}
