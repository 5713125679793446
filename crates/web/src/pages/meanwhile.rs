//! What someone else changed meanwhile, in words, for a form whose save was refused.

use super::FormErrors;
use crate::format::moment;
use crate::i18n::Tr;
use regie_app::records::conflict::{ClientVersionChange, Meanwhile};
use regie_storage::StoredTeamChange;
use time::OffsetDateTime;

fn by(tr: Tr, author: Option<&str>, at: OffsetDateTime) -> String {
    tr.t_args(
        "stale-by",
        &[
            ("who", author.unwrap_or("—").to_string()),
            ("when", moment(at)),
        ],
    )
}

/// The translated label of a client field (`client-phone`, …).
fn client_field(tr: Tr, field: &str) -> String {
    tr.t(&format!("client-{}", field.replace('_', "-")))
}

fn client_lines(tr: Tr, versions: &[ClientVersionChange]) -> Vec<String> {
    versions
        .iter()
        .map(|v| {
            let mut what: Vec<String> = v
                .fields
                .iter()
                .map(|(field, value)| {
                    let value = if value.is_empty() { "—" } else { value };
                    format!("{}: {value}", client_field(tr, field))
                })
                .collect();
            if v.teams {
                what.push(tr.t("stale-client-teams"));
            }
            if what.is_empty() {
                what.push(tr.t("stale-unknown-change"));
            }
            format!(
                "{} — {}",
                by(tr, v.author.as_deref(), v.at),
                what.join("; ")
            )
        })
        .collect()
}

fn team_lines(tr: Tr, changes: &[StoredTeamChange]) -> Vec<String> {
    changes
        .iter()
        .map(|c| {
            let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "—".into());
            let what = match c.kind.as_str() {
                "joined" => tr.t_args("stale-team-joined", &[("name", name(&c.user_name))]),
                "left" => tr.t_args("stale-team-left", &[("name", name(&c.user_name))]),
                "handed_over" => tr.t_args(
                    "stale-team-handed-over",
                    &[
                        ("from", name(&c.user_name)),
                        ("to", name(&c.other_user_name)),
                    ],
                ),
                _ => match &c.network_member_name {
                    Some(member) => tr.t_args("stale-team-network", &[("name", member.clone())]),
                    None => tr.t("stale-team-network-none"),
                },
            };
            format!("{} — {what}", by(tr, Some(&c.author), c.changed_at))
        })
        .collect()
}

/// The messages for a form refused because of `meanwhile`, and the version the form is now
/// based on. Plans are described by the plan page, which knows goal and activity names.
pub(crate) fn messages(
    tr: Tr,
    meanwhile: &Meanwhile,
    describe_plan: impl Fn(&[regie_domain::PlanChange]) -> Vec<String>,
) -> FormErrors {
    let lines = match meanwhile {
        Meanwhile::Plan { versions, .. } => versions
            .iter()
            .map(|v| {
                let changes = describe_plan(&v.changes);
                let what = if changes.is_empty() {
                    v.reason.clone()
                } else {
                    changes.join("; ")
                };
                format!(
                    "{} — {}",
                    tr.t_args(
                        "stale-plan-version",
                        &[
                            ("number", v.number.to_string()),
                            ("by", by(tr, Some(&v.author), v.at)),
                        ],
                    ),
                    what
                )
            })
            .collect(),
        Meanwhile::Client { versions, .. } => client_lines(tr, versions),
        Meanwhile::Team { changes, .. } => team_lines(tr, changes),
        Meanwhile::Visit { author, at, .. } => {
            vec![tr.t_args("stale-visit", &[("by", by(tr, Some(author), *at))])]
        }
    };
    FormErrors::changed_meanwhile(tr, lines)
}
