//! Every user-facing string lives in `locales/{nl,en}/main.ftl`; Dutch is the default.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use regie_domain::Language;
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // No Unicode isolation marks around arguments: they show up as stray characters in HTML.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

/// Translates for one request's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Language,
}

impl Tr {
    pub fn new(lang: Language) -> Self {
        Self { lang }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.lang {
            Language::Nl => &NL,
            Language::En => &EN,
        }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// A message with named arguments, e.g. `("name", "Anna")` for `{ $name }`.
    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// A message with one number argument, so plural rules apply.
    pub fn t_count(&self, key: &str, name: &'static str, count: i64) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            HashMap::from([(Cow::Borrowed(name), FluentValue::from(count))]);
        LOCALES.lookup_with_args(self.id(), key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn keys(language: &str) -> BTreeSet<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(language)
            .join("main.ftl");
        let text = std::fs::read_to_string(path).expect("locale file");
        text.lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_string()))
            .collect()
    }

    #[test]
    fn dutch_and_english_have_exactly_the_same_keys() {
        let nl = keys("nl");
        let en = keys("en");
        assert!(
            nl.len() > 50,
            "expected the full set of messages, found {}",
            nl.len()
        );
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(
            only_nl.is_empty() && only_en.is_empty(),
            "only in nl: {only_nl:?}; only in en: {only_en:?}"
        );
    }

    /// Every key the code or the templates ask for exists, so no page shows a raw key.
    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let nl = keys("nl");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        // The domain's validation errors carry message keys too.
        for dir in ["src", "templates", "../domain/src"] {
            // This file's own tests name keys on purpose; skip it.
            for file in walk(&root.join(dir))
                .into_iter()
                .filter(|f| !f.ends_with("i18n.rs"))
            {
                let text = std::fs::read_to_string(&file).unwrap();
                for key in quoted_keys(&text) {
                    if !nl.contains(&key) {
                        missing.push(format!("{key} ({})", file.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a message: {missing:#?}");
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    /// Keys passed to a lookup (`.t("…")`, `t_args("…"`, `t_count("…"`), and `error-…` keys,
    /// which travel in `FieldError`s and `AppError` before they are looked up.
    fn quoted_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for call in [".t(\"", ".t_args(\"", ".t_count(\""] {
            for (start, _) in text.match_indices(call) {
                let rest = &text[start + call.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push(rest[..end].to_string());
                }
            }
        }
        keys.extend(
            text.split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| {
                    s.starts_with("error-") && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                })
                .filter(|s| !s.ends_with('-'))
                .map(str::to_string),
        );
        keys
    }

    /// Keys composed at run time from domain values.
    #[test]
    fn every_role_discipline_event_and_outcome_has_a_label() {
        use regie_domain::audit::{AuditEvent, Outcome};
        use regie_domain::{Discipline, Role};
        let nl = keys("nl");
        let mut wanted: Vec<String> = Vec::new();
        wanted.extend(
            Role::ALL
                .iter()
                .map(|r| format!("role-{}", r.as_str().replace('_', "-"))),
        );
        wanted.extend(
            Discipline::ALL
                .iter()
                .map(|d| format!("discipline-{}", d.as_str().replace('_', "-"))),
        );
        wanted.extend(
            AuditEvent::ALL
                .iter()
                .map(|e| format!("audit-event-{}", e.code().replace('.', "-"))),
        );
        wanted.extend(
            Outcome::ALL
                .iter()
                .map(|o| format!("audit-outcome-{}", o.code())),
        );
        let composed = |prefix: &str, codes: &[&str]| -> Vec<String> {
            codes
                .iter()
                .map(|c| format!("{prefix}-{}", c.replace('_', "-")))
                .collect()
        };
        use regie_domain::{
            DecidedBy, ExpressedBy, GoalStatus, InterventionCategory, WorkingElement,
        };
        wanted.extend(composed(
            "goal-status",
            &GoalStatus::ALL.map(GoalStatus::as_str),
        ));
        wanted.extend(composed(
            "expressed-by",
            &ExpressedBy::ALL.map(ExpressedBy::as_str),
        ));
        wanted.extend(composed(
            "intervention-category",
            &InterventionCategory::ALL.map(InterventionCategory::as_str),
        ));
        wanted.extend(composed(
            "working-element",
            &WorkingElement::ALL.map(WorkingElement::as_str),
        ));
        wanted.extend(composed(
            "decided-by",
            &DecidedBy::ALL.map(DecidedBy::as_str),
        ));
        let missing: Vec<_> = wanted.iter().filter(|k| !nl.contains(*k)).collect();
        assert!(missing.is_empty(), "missing labels: {missing:?}");
    }

    #[test]
    fn messages_are_translated_and_take_arguments() {
        let nl = Tr::new(Language::Nl);
        let en = Tr::new(Language::En);
        assert_eq!(nl.t("nav-clients"), "Cliënten");
        assert_eq!(en.t("nav-clients"), "Clients");
        assert_eq!(en.t_count("clients-count", "count", 1), "1 client");
        assert_eq!(nl.t_count("clients-count", "count", 3), "3 cliënten");
    }
}
