//! Samen Beslissen (shared decision making, seed 001): the question, the options with their
//! pros and cons, what matters to the client, the decision and who took it.

use crate::validation::{FieldError, collect, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    Client,
    ClientWithNetwork,
    ClientWithProfessional,
}

impl DecidedBy {
    pub const ALL: [DecidedBy; 3] = [
        DecidedBy::Client,
        DecidedBy::ClientWithNetwork,
        DecidedBy::ClientWithProfessional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecidedBy::Client => "client",
            DecidedBy::ClientWithNetwork => "client_with_network",
            DecidedBy::ClientWithProfessional => "client_with_professional",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or(FieldError::new("decided_by", "error-choice-unknown"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionOption {
    pub name: String,
    pub pros: String,
    pub cons: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDecision {
    pub question: String,
    pub options: Vec<DecisionOption>,
    pub what_matters: String,
    pub decision: String,
    pub decided_by: DecidedBy,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionInput {
    pub question: String,
    /// Options as typed; rows without a name are left out.
    pub options: Vec<DecisionOption>,
    pub what_matters: String,
    pub decision: String,
    pub decided_by: String,
}

impl DecisionInput {
    /// A decision weighs at least two options (one of which may be "niets veranderen").
    pub fn validate(&self) -> Result<SharedDecision, Vec<FieldError>> {
        let mut errors = Vec::new();
        let question = collect(text("question", &self.question, true), &mut errors).flatten();
        let mut options = Vec::new();
        for option in &self.options {
            let name = collect(text("options", &option.name, false), &mut errors).flatten();
            let pros = collect(text("options", &option.pros, false), &mut errors).flatten();
            let cons = collect(text("options", &option.cons, false), &mut errors).flatten();
            match name {
                Some(name) => options.push(DecisionOption {
                    name,
                    pros: pros.unwrap_or_default(),
                    cons: cons.unwrap_or_default(),
                }),
                None if pros.is_some() || cons.is_some() => {
                    errors.push(FieldError::new("options", "error-option-name"))
                }
                None => {}
            }
        }
        if options.len() < 2 {
            errors.push(FieldError::new("options", "error-two-options"));
        }
        let what_matters =
            collect(text("what_matters", &self.what_matters, true), &mut errors).flatten();
        let decision = collect(text("decision", &self.decision, true), &mut errors).flatten();
        let decided_by = collect(DecidedBy::parse(&self.decided_by), &mut errors);
        match (question, what_matters, decision, decided_by) {
            (Some(question), Some(what_matters), Some(decision), Some(decided_by))
                if errors.is_empty() =>
            {
                Ok(SharedDecision {
                    question,
                    options,
                    what_matters,
                    decision,
                    decided_by,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(name: &str, pros: &str) -> DecisionOption {
        DecisionOption {
            name: name.into(),
            pros: pros.into(),
            cons: String::new(),
        }
    }

    #[test]
    fn a_decision_weighs_at_least_two_named_options() {
        let mut input = DecisionInput {
            question: "Zelf insuline spuiten of de wijkverpleging laten komen?".into(),
            options: vec![
                option("Zelf spuiten met een hulpmiddel", "Zelf bepalen wanneer"),
                option("", ""),
            ],
            what_matters: "Niet op de zorg hoeven wachten".into(),
            decision: "Proberen met een insulinepen met grote knop".into(),
            decided_by: "client_with_professional".into(),
        };
        assert_eq!(
            input.validate().unwrap_err(),
            vec![FieldError::new("options", "error-two-options")]
        );
        input.options[1] = option("Wijkverpleging blijft spuiten", "Zeker van de dosis");
        let decision = input.validate().unwrap();
        assert_eq!(decision.options.len(), 2);
        assert_eq!(decision.decided_by, DecidedBy::ClientWithProfessional);
        input.options.push(option("", "alleen voordelen"));
        input.decided_by = "arts".into();
        let fields: Vec<_> = input
            .validate()
            .unwrap_err()
            .iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(fields, vec!["error-option-name", "error-choice-unknown"]);
    }
}
