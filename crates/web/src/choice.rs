//! Choices in forms: one shape of option for every select, radio group and checkbox list, and
//! one trait that offers a domain code (a discipline, a phase, a reason …) as such options.

use crate::i18n::Tr;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::visit::OverReason;
use regie_domain::{
    Asks, Balance, DecidedBy, Discipline, ExpressedBy, GoalDecision, GoalStatus,
    InterventionCategory, LivingSituation, MattersKind, Moment, NetworkSummary, Perspective, Phase,
    QuestionType, ReferralTo, Role, StopReason, WorkingElement,
};

/// One option of a select, radio group or checkbox list, as the templates show it.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The translated label of a domain code: `prefix-code`, with `_` written as `-`.
pub(crate) fn label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// A domain code a form offers: every value, the code it is stored and sent as, and its label.
pub(crate) trait Choosable: Copy + PartialEq + 'static {
    /// Every value, in the order forms show them.
    const ALL: &'static [Self];
    /// The prefix of the labels' message keys: `discipline` for `discipline-ergotherapeut`.
    const LABELS: &'static str;

    fn code(self) -> &'static str;

    fn label(self, tr: Tr) -> String {
        label(tr, Self::LABELS, self.code())
    }

    /// Every value as an option; the one whose code is `chosen` is selected.
    fn choices(tr: Tr, chosen: &str) -> Vec<Choice> {
        Self::choices_where(tr, |code| code == chosen)
    }

    /// Every value as an option, selected where `selected(code)` holds (checkbox lists).
    fn choices_where(tr: Tr, selected: impl Fn(&str) -> bool) -> Vec<Choice> {
        Self::ALL
            .iter()
            .map(|value| Choice {
                value: value.code().to_string(),
                label: value.label(tr),
                selected: selected(value.code()),
            })
            .collect()
    }
}

/// Domain enums with an `ALL` array and `as_str` codes.
macro_rules! choosable {
    ($($ty:ident => $labels:literal),+ $(,)?) => {$(
        impl Choosable for $ty {
            const ALL: &'static [Self] = &$ty::ALL;
            const LABELS: &'static str = $labels;
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}

choosable! {
    DecidedBy => "decided-by",
    Discipline => "discipline",
    ExpressedBy => "expressed-by",
    GoalDecision => "goal-decision",
    GoalStatus => "goal-status",
    InterventionCategory => "intervention-category",
    LivingSituation => "living",
    MattersKind => "matters",
    Moment => "moment",
    OverReason => "over-reason",
    Perspective => "perspective",
    Phase => "phase",
    QuestionType => "question-type",
    ReferralTo => "closure-referral",
    Role => "role",
    StopReason => "closure-stop",
    WorkingElement => "working-element",
}

/// The network's codes, whose `ALL` is a slice.
macro_rules! choosable_slice {
    ($($ty:ident => $labels:literal),+ $(,)?) => {$(
        impl Choosable for $ty {
            const ALL: &'static [Self] = $ty::ALL;
            const LABELS: &'static str = $labels;
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    )+};
}

choosable_slice! {
    Asks => "network-asks",
    Balance => "network-balance",
    NetworkSummary => "network-summary",
}

impl Choosable for AuditEvent {
    const ALL: &'static [Self] = &AuditEvent::ALL;
    const LABELS: &'static str = "audit-event";

    fn code(self) -> &'static str {
        AuditEvent::code(self)
    }

    /// Event codes are dotted (`client.read`), keys are not; underscores stay, as the keys
    /// were written (`audit-event-client-break_glass`).
    fn label(self, tr: Tr) -> String {
        tr.t(&format!(
            "{}-{}",
            Self::LABELS,
            self.code().replace('.', "-")
        ))
    }
}

impl Choosable for Outcome {
    const ALL: &'static [Self] = &Outcome::ALL;
    const LABELS: &'static str = "audit-outcome";

    fn code(self) -> &'static str {
        Outcome::code(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regie_domain::Language;

    #[test]
    fn choices_carry_code_label_and_selection() {
        let tr = Tr::new(Language::Nl);
        let roles = Role::choices(tr, "team_lead");
        assert_eq!(roles.len(), Role::ALL.len());
        let chosen: Vec<&str> = roles
            .iter()
            .filter(|c| c.selected)
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(chosen, ["team_lead"]);
        assert_eq!(Role::TeamLead.label(tr), tr.t("role-team-lead"));
        assert_eq!(
            AuditEvent::ClientRead.label(tr),
            tr.t("audit-event-client-read")
        );
    }

    /// Every label of every choosable code exists in both languages.
    #[test]
    fn every_choice_has_a_label() {
        fn missing<T: Choosable>(tr: Tr) -> Vec<String> {
            T::ALL
                .iter()
                .map(|v| v.label(tr))
                .filter(|l| l.starts_with("Unknown") || l.contains(T::LABELS))
                .collect()
        }
        for lang in [Language::Nl, Language::En] {
            let tr = Tr::new(lang);
            let all = [
                missing::<DecidedBy>(tr),
                missing::<Discipline>(tr),
                missing::<ExpressedBy>(tr),
                missing::<GoalStatus>(tr),
                missing::<InterventionCategory>(tr),
                missing::<LivingSituation>(tr),
                missing::<MattersKind>(tr),
                missing::<Moment>(tr),
                missing::<OverReason>(tr),
                missing::<Perspective>(tr),
                missing::<Phase>(tr),
                missing::<QuestionType>(tr),
                missing::<Role>(tr),
                missing::<WorkingElement>(tr),
                missing::<Asks>(tr),
                missing::<Balance>(tr),
                missing::<NetworkSummary>(tr),
                missing::<AuditEvent>(tr),
                missing::<Outcome>(tr),
            ]
            .concat();
            assert!(all.is_empty(), "{lang:?}: {all:?}");
        }
    }
}
