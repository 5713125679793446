//! A Samen Beslissen record as stored (`shared_decisions.content`).

use super::codes;
use regie_domain::{DecidedBy, DecisionOption, SharedDecision};
use serde::{Deserialize, Serialize};

/// The format decisions are written in.
const CURRENT: u64 = 1;

pub(crate) fn to_json(decision: &SharedDecision) -> Result<String, String> {
    super::write(CURRENT, &DecisionV1::from(decision))
}

pub(crate) fn from_json(json: &str) -> Result<SharedDecision, String> {
    match super::open(json)? {
        (1, fields) => Ok(super::fields::<DecisionV1>(fields)?.into()),
        (format, _) => Err(super::unknown(format, CURRENT)),
    }
}

/// Format 1, as the domain's `SharedDecision` serialised itself until formats were numbered.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DecisionV1 {
    question: String,
    options: Vec<OptionV1>,
    what_matters: String,
    decision: String,
    decided_by: DecidedByV1,
}

#[derive(Debug, Serialize, Deserialize)]
struct OptionV1 {
    name: String,
    #[serde(default)]
    pros: String,
    #[serde(default)]
    cons: String,
}

codes! {
    DecidedByV1 <=> DecidedBy {
        "client" => Client,
        "client_with_network" => ClientWithNetwork,
        "client_with_professional" => ClientWithProfessional,
    }
}

impl From<&SharedDecision> for DecisionV1 {
    fn from(decision: &SharedDecision) -> Self {
        DecisionV1 {
            question: decision.question.clone(),
            options: decision
                .options
                .iter()
                .map(|o| OptionV1 {
                    name: o.name.clone(),
                    pros: o.pros.clone(),
                    cons: o.cons.clone(),
                })
                .collect(),
            what_matters: decision.what_matters.clone(),
            decision: decision.decision.clone(),
            decided_by: decision.decided_by.into(),
        }
    }
}

impl From<DecisionV1> for SharedDecision {
    fn from(stored: DecisionV1) -> Self {
        SharedDecision {
            question: stored.question,
            options: stored
                .options
                .into_iter()
                .map(|o| DecisionOption {
                    name: o.name,
                    pros: o.pros,
                    cons: o.cons,
                })
                .collect(),
            what_matters: stored.what_matters,
            decision: stored.decision,
            decided_by: stored.decided_by.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(name: &str, pros: &str, cons: &str) -> DecisionOption {
        DecisionOption {
            name: name.into(),
            pros: pros.into(),
            cons: cons.into(),
        }
    }

    /// A decision with every field set.
    fn full_decision() -> SharedDecision {
        SharedDecision {
            question: "Zelf insuline spuiten?".into(),
            options: vec![
                option("Zelf spuiten", "Zelf bepalen wanneer", "Spannend"),
                option("Wijkverpleging", "Zeker van de dosis", ""),
            ],
            what_matters: "Niet wachten".into(),
            decision: "Proberen met een pen".into(),
            decided_by: DecidedBy::ClientWithProfessional,
        }
    }

    /// Format 1 of [`full_decision`]: any change to what is stored shows up here.
    const FULL_DECISION_V1: &str = concat!(
        r#"{"format":1,"question":"Zelf insuline spuiten?","options":["#,
        r#"{"name":"Zelf spuiten","pros":"Zelf bepalen wanneer","cons":"Spannend"},"#,
        r#"{"name":"Wijkverpleging","pros":"Zeker van de dosis","cons":""}],"#,
        r#""what_matters":"Niet wachten","decision":"Proberen met een pen","#,
        r#""decided_by":"client_with_professional"}"#
    );

    #[test]
    fn a_full_decision_is_written_in_format_1_exactly() {
        assert_eq!(to_json(&full_decision()).unwrap(), FULL_DECISION_V1);
        assert_eq!(from_json(FULL_DECISION_V1).unwrap(), full_decision());
    }

    #[test]
    fn every_variant_reads_back_as_it_was_written() {
        for decided_by in DecidedBy::ALL {
            let decision = SharedDecision {
                decided_by,
                ..full_decision()
            };
            assert_eq!(from_json(&to_json(&decision).unwrap()).unwrap(), decision);
        }
    }

    #[test]
    fn a_row_written_before_formats_were_numbered_reads_as_format_1() {
        let unnumbered = FULL_DECISION_V1.replacen(r#""format":1,"#, "", 1);
        assert_eq!(from_json(&unnumbered).unwrap(), full_decision());
        // Options were read without their pros and cons.
        let sparse = unnumbered.replace(r#","pros":"Zeker van de dosis","cons":"""#, "");
        let mut expected = full_decision();
        expected.options[1].pros = String::new();
        assert_eq!(from_json(&sparse).unwrap(), expected);
    }

    #[test]
    fn an_unknown_format_is_refused_with_its_number() {
        let error =
            from_json(&FULL_DECISION_V1.replace(r#""format":1"#, r#""format":9"#)).unwrap_err();
        assert_eq!(
            error,
            "format 9 is unknown (this version reads formats 1 to 1)"
        );
    }
}
