//! What the API promises about its requests, stated in the OpenAPI document exactly as the
//! server checks it, so that a client (or schemathesis) can tell a valid request from an
//! invalid one without sending it.
//!
//! Two kinds of rules live here:
//!
//! * **Per schema** ([`request_rules`]): JSON Schema fragments merged into the request bodies
//!   utoipa derives, for what derive attributes cannot say: texts as the domain trims and
//!   bounds them, enums from the domain's own lists, ranges, array sizes, dates relative to
//!   today, and rules between fields (`if`/`then`, `anyOf`). A test requires a rule for every
//!   property of every request body, so a new field cannot go out undescribed.
//! * **Per operation** ([`apply`]): the problem statuses that follow from an operation's shape
//!   (see [`super::problems`]), and path ids as whole numbers from 1.
//!
//! Five rules JSON Schema cannot state are given in words instead: a BSN passes the elfproef,
//! a strength split adds up to 100, an intervention does not end before it starts, a closure
//! names each discipline of its care hours once, and an
//! `Idempotency-Key` is not reused for another request. The contract check in
//! `.ci/schemathesis` teaches them to its generator (`.ci/schemathesis_hooks.py`).

use super::problems;
use regie_domain::assessment::{Moment, Perspective};
use regie_domain::network::Asks;
use regie_domain::plan::MAX_STEPS;
use regie_domain::validation::MAX_TEXT;
use regie_domain::visit::{MAX_MINUTES, OverReason};
use regie_domain::{
    Discipline, ExpressedBy, GoalDecision, LivingSituation, QuestionType, ReferralTo, StopReason,
};
use serde_json::{Map, Value, json};
use time::{Date, Duration, Month};

/// Characters `str::trim` removes (Unicode `White_Space`), as a regex class body that
/// ECMA-262, Python and Rust read alike.
const WS: &str =
    r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// Characters `char::is_control` reports (Unicode `Cc`).
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";
/// Characters that take no room (`permissions::is_invisible`).
const INVISIBLE: &str = r"\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF";
/// Control characters other than tab and line breaks (`validation::is_stray_control`).
const STRAY: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// Whether a text may span lines (a note) or not (a name).
#[derive(Clone, Copy)]
pub enum Lines {
    One,
    Many,
}

/// A text as the domain reads it: trimmed, then at most `max` characters, without control
/// characters (for [`Lines::Many`]: other than tabs and line breaks); blank is absent unless
/// `required`. The length is counted inside the pattern because `maxLength` would count the
/// whitespace the server trims away.
pub fn text_pattern(max: usize, required: bool, lines: Lines) -> String {
    let forbidden = match lines {
        Lines::One => CONTROL,
        Lines::Many => STRAY,
    };
    let edge = format!("[^{WS}{forbidden}]");
    let body = match max {
        0 => String::new(),
        1 => edge,
        _ => format!("{edge}(?:[^{forbidden}]{{0,{}}}{edge})?", max - 2),
    };
    let body = if required {
        body
    } else {
        format!("(?:{body})?")
    };
    format!("^[{WS}]*{body}[{WS}]*$")
}

fn text(max: usize, required: bool, lines: Lines) -> Value {
    json!({ "pattern": text_pattern(max, required, lines) })
}

/// A free text of the plan, visits and assessments (`validation::text`).
fn note(required: bool) -> Value {
    text(MAX_TEXT, required, Lines::Many)
}

/// A string with something besides whitespace in it.
fn non_blank() -> Value {
    json!({ "type": "string", "pattern": format!("[^{WS}]") })
}

/// Absent for the domain: null or only whitespace.
fn blank_or_null() -> Value {
    json!({ "type": ["string", "null"], "pattern": format!("^[{WS}]*$") })
}

fn one_of_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Value {
    Value::from(codes.into_iter().collect::<Vec<_>>())
}

/// A regex alternation of the codes, for codes inside a larger pattern.
fn alternation<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    format!("(?:{})", codes.into_iter().collect::<Vec<_>>().join("|"))
}

/// An item key of an installed instrument (`instrument::valid_key`): which keys exist is data,
/// so only their form is stated; a key that is not installed is answered with 409.
const ITEM_KEY: &str = "[a-z0-9_-]{1,64}";

/// Zero-padded numbers from `lo` to `hi` (equal-length digit strings) as a regex; for fixed
/// widths the order of the strings is the order of the numbers.
fn digits_between(lo: &[u8], hi: &[u8]) -> String {
    let n = lo.len();
    if n == 0 {
        return String::new();
    }
    if lo[0] == hi[0] {
        return format!("{}{}", lo[0] as char, digits_between(&lo[1..], &hi[1..]));
    }
    let digit_class = |a: u8, b: u8| {
        if a == b {
            (a as char).to_string()
        } else {
            format!("[{}-{}]", a as char, b as char)
        }
    };
    let any_rest = match n - 1 {
        0 => String::new(),
        1 => "[0-9]".into(),
        rest => format!("[0-9]{{{rest}}}"),
    };
    let from_lowest = lo[1..].iter().all(|d| *d == b'0');
    let to_highest = hi[1..].iter().all(|d| *d == b'9');
    let first_whole = if from_lowest { lo[0] } else { lo[0] + 1 };
    let last_whole = if to_highest { hi[0] } else { hi[0] - 1 };
    let mut alternatives = Vec::new();
    if !from_lowest {
        let nines = vec![b'9'; n - 1];
        alternatives.push(format!(
            "{}{}",
            lo[0] as char,
            digits_between(&lo[1..], &nines)
        ));
    }
    if first_whole <= last_whole {
        alternatives.push(format!(
            "{}{any_rest}",
            digit_class(first_whole, last_whole)
        ));
    }
    if !to_highest {
        let zeros = vec![b'0'; n - 1];
        alternatives.push(format!(
            "{}{}",
            hi[0] as char,
            digits_between(&zeros, &hi[1..])
        ));
    }
    if alternatives.len() == 1 {
        alternatives.remove(0)
    } else {
        format!("(?:{})", alternatives.join("|"))
    }
}

fn number_between(lo: u32, hi: u32, width: usize) -> String {
    let lo = format!("{lo:0width$}");
    let hi = format!("{hi:0width$}");
    digits_between(lo.as_bytes(), hi.as_bytes())
}

const MONTH: &str = "(?:0[1-9]|1[0-2])";
const DAY: &str = "(?:0[1-9]|[12][0-9]|3[01])";

fn days_between(lo: u8, hi: u8) -> String {
    if (lo, hi) == (1, 31) {
        DAY.into()
    } else {
        number_between(lo.into(), hi.into(), 2)
    }
}

fn month_days_between(lo: (u8, u8), hi: (u8, u8)) -> String {
    if lo == (1, 1) && hi == (12, 31) {
        return format!("{MONTH}-{DAY}");
    }
    if lo.0 == hi.0 {
        return format!("{:02}-{}", lo.0, days_between(lo.1, hi.1));
    }
    let mut alternatives = vec![format!("{:02}-{}", lo.0, days_between(lo.1, 31))];
    if lo.0 + 1 < hi.0 {
        let months = if (lo.0 + 1, hi.0 - 1) == (1, 12) {
            MONTH.to_string()
        } else {
            number_between((lo.0 + 1).into(), (hi.0 - 1).into(), 2)
        };
        alternatives.push(format!("{months}-{DAY}"));
    }
    alternatives.push(format!("{:02}-{}", hi.0, days_between(1, hi.1)));
    format!("(?:{})", alternatives.join("|"))
}

/// `YYYY-MM-DD` from `lo` to `hi`, both included, as a pattern to go with `format: date`
/// (which rules out days a month does not have).
pub fn date_pattern(lo: Date, hi: Date) -> String {
    let md = |d: Date| (u8::from(d.month()), d.day());
    let (ly, hy) = (lo.year() as u32, hi.year() as u32);
    let body = if ly == hy {
        format!("{ly:04}-{}", month_days_between(md(lo), md(hi)))
    } else {
        let mut alternatives = vec![format!("{ly:04}-{}", month_days_between(md(lo), (12, 31)))];
        if ly + 1 < hy {
            alternatives.push(format!(
                "{}-{MONTH}-{DAY}",
                number_between(ly + 1, hy - 1, 4)
            ));
        }
        alternatives.push(format!("{hy:04}-{}", month_days_between((1, 1), md(hi))));
        format!("(?:{})", alternatives.join("|"))
    };
    format!("^{body}$")
}

fn date_between(lo: Date, hi: Date) -> Value {
    json!({ "type": "string", "format": "date", "pattern": date_pattern(lo, hi) })
}

/// The first and last day the API's dates can name (four-digit years).
fn first_day() -> Date {
    Date::from_calendar_date(0, Month::January, 1).expect("a valid date")
}

fn last_day() -> Date {
    Date::from_calendar_date(9999, Month::December, 31).expect("a valid date")
}

/// An optional date the domain reads with `validation::optional_date`: null, blank, or a day.
fn optional_date(lo: Date, hi: Date) -> Value {
    json!({ "anyOf": [blank_or_null(), date_between(lo, hi)] })
}

fn integer(min: i64, max: i64) -> Value {
    json!({ "minimum": min, "maximum": max })
}

/// Record ids are whole numbers from 1.
fn id() -> Value {
    json!({ "minimum": 1, "maximum": i64::MAX })
}

/// If `property` is present and not null, `then` applies.
fn when_given(property: &str, then: Value) -> Value {
    json!({
        "if": { "required": [property], "properties": { property: { "not": { "type": "null" } } } },
        "then": then
    })
}

/// The rules of each request body, by component name. `today` places the dates the domain
/// bounds by today (its UTC date, as the server's).
pub fn request_rules(today: Date) -> Vec<(&'static str, Value)> {
    let years_ago_120 =
        Date::from_calendar_date(today.year() - 120, Month::January, 1).unwrap_or(first_day());
    let start_range = (today - Duration::days(366), today + Duration::days(366));
    let disciplines = || Discipline::ALL.iter().map(|d| d.as_str());
    let address = ["street", "house_number", "postcode", "city"];
    vec![
        (
            "NewClient",
            json!({
                "properties": {
                    "name": text(200, true, Lines::One),
                    "date_of_birth": date_between(years_ago_120, today),
                    "living_situation": { "enum": one_of_codes(LivingSituation::ALL.iter().map(|l| l.as_str())) },
                    "team_ids": { "minItems": 1, "uniqueItems": true, "items": id() },
                    "bsn": {
                        "description": "Burgerservicenummer: 9 digits (or 8, a leading zero left out); spaces, dots and dashes are ignored. It must pass the elfproef (the 11-check). Stored in full, only ever shown masked.",
                        "pattern": format!(r"^(?:[{WS}]*|(?:[ .\-]*[0-9]){{8,9}}[ .\-]*)$"),
                    },
                    "street": text(200, false, Lines::One),
                    "house_number": text(20, false, Lines::One),
                    "postcode": {
                        "description": "A Dutch postcode, `1234 AB`; spaces and case do not matter.",
                        "pattern": format!(
                            r"^[{WS}]*(?:[1-9](?:[{WS}]*[0-9]){{3}}[{WS}]*(?:[A-RT-Za-rt-z][{WS}]*[A-Za-z]|[Ss][{WS}]*[B-CE-RT-Zb-ce-rt-z])[{WS}]*)?$"
                        ),
                    },
                    "city": text(100, false, Lines::One),
                    "phone": {
                        "description": "10 to 15 digits, with spaces, `+`, `-` and brackets as you like.",
                        "pattern": format!(r"^[{WS}]*(?:(?:[ +()\-]*[0-9]){{10,15}}[ +()\-]*[{WS}]*)?$"),
                    },
                    "email": {
                        "description": "At most 254 characters: something, `@`, and a domain with a dot in it.",
                        "allOf": [
                            { "pattern": format!(r"^[{WS}]*(?:[^{WS}{CONTROL}]{{1,254}}[{WS}]*)?$") },
                            { "pattern": format!(
                                r"^[{WS}]*(?:[^{WS}{CONTROL}@]+@[^{WS}{CONTROL}.][^{WS}{CONTROL}]*\.[^{WS}{CONTROL}]*[^{WS}{CONTROL}.][{WS}]*)?$"
                            ) },
                        ],
                    },
                    "referrer": text(200, false, Lines::One),
                },
                // An address is optional, but once begun it must be complete.
                "anyOf": [
                    { "properties": address.iter().map(|p| (p.to_string(), blank_or_null())).collect::<Map<_, _>>() },
                    {
                        "required": address,
                        "properties": address.iter().map(|p| (p.to_string(), non_blank())).collect::<Map<_, _>>(),
                    },
                ],
            }),
        ),
        (
            "NewTrajectoryBody",
            json!({
                "properties": {
                    "question": text(4000, true, Lines::Many),
                    "question_types": {
                        "description": "At least one; a type named twice counts once.",
                        "minItems": 1,
                        "items": { "enum": one_of_codes(QuestionType::ALL.iter().map(|q| q.as_str())) },
                    },
                    "start_date": date_between(start_range.0, start_range.1),
                    "coordinator_id": id(),
                    "referral_source": text(200, false, Lines::Many),
                },
            }),
        ),
        (
            "ClosureBody",
            json!({
                "properties": {
                    "option": { "enum": ["no_care_needed", "referred", "stopped_early"] },
                    "referral_to": { "anyOf": [{ "type": "null" }, { "enum": one_of_codes(ReferralTo::ALL.iter().map(|r| r.as_str())) }] },
                    "referral_detail": { "anyOf": [{ "type": "null" }, note(false)] },
                    "handover": { "anyOf": [{ "type": "null" }, note(false)] },
                    "stop_reason": { "anyOf": [{ "type": "null" }, { "enum": one_of_codes(StopReason::ALL.iter().map(|r| r.as_str())) }] },
                    "stop_detail": { "anyOf": [{ "type": "null" }, note(false)] },
                    "date": optional_date(first_day(), today),
                    "summary": note(true),
                    "care_now": { "description": "Each discipline at most once." },
                    "goals": { "description": "One entry per goal still active, none for others (409 otherwise)." },
                    "scores": { "description": "Final scores for goals of the plan, each goal once (409 for another goal)." },
                },
                "allOf": [
                    {
                        "if": { "required": ["option"], "properties": { "option": { "const": "referred" } } },
                        "then": {
                            "required": ["referral_to", "handover"],
                            "properties": { "referral_to": { "type": "string" }, "handover": non_blank() },
                        },
                    },
                    {
                        "if": { "required": ["option"], "properties": { "option": { "const": "stopped_early" } } },
                        "then": { "required": ["stop_reason"], "properties": { "stop_reason": { "type": "string" } } },
                    },
                    {
                        "if": { "required": ["option", "referral_to"], "properties": { "option": { "const": "referred" }, "referral_to": { "const": "other" } } },
                        "then": { "required": ["referral_detail"], "properties": { "referral_detail": non_blank() } },
                    },
                    {
                        "if": { "required": ["option", "stop_reason"], "properties": { "option": { "const": "stopped_early" }, "stop_reason": { "const": "other" } } },
                        "then": { "required": ["stop_detail"], "properties": { "stop_detail": non_blank() } },
                    },
                ],
            }),
        ),
        (
            "CareNowBody",
            json!({
                "properties": {
                    "discipline": { "enum": one_of_codes(disciplines()) },
                    "hours_per_week": { "type": "number", "minimum": 0, "maximum": 168 },
                },
            }),
        ),
        (
            "FinalScoreBody",
            json!({
                "properties": {
                    "goal_id": integer(1, i64::from(u32::MAX)),
                    "performance": { "anyOf": [{ "type": "null" }, integer(1, 10)] },
                    "satisfaction": { "anyOf": [{ "type": "null" }, integer(1, 10)] },
                },
            }),
        ),
        (
            "GoalOutcomeBody",
            json!({
                "properties": {
                    "goal_id": integer(1, i64::from(u32::MAX)),
                    "status": { "enum": ["achieved", "stopped"] },
                    "reason": { "anyOf": [{ "type": "null" }, note(false)] },
                    "attained": { "anyOf": [{ "type": "null" }, integer(-2, 2)] },
                },
                "if": { "required": ["status"], "properties": { "status": { "const": "stopped" } } },
                "then": { "required": ["reason"], "properties": { "reason": non_blank() } },
            }),
        ),
        (
            "AssessmentBody",
            json!({
                "properties": {
                    "perspective": { "enum": one_of_codes(Perspective::ALL.iter().map(|p| p.as_str())) },
                    "moment": { "enum": one_of_codes(Moment::ALL.iter().map(|m| m.as_str())) },
                    "respondent": note(false),
                    "date": optional_date(first_day(), today),
                    "domains": {
                        "description": "Every item of the newest installed life-domain instrument, by key (409 when one is missing or unknown); when a key appears twice, the first counts.",
                    },
                },
                "if": { "required": ["perspective"], "properties": { "perspective": { "const": "network_member" } } },
                "then": { "required": ["respondent"], "properties": { "respondent": non_blank() } },
            }),
        ),
        (
            "DomainBody",
            json!({
                "properties": {
                    "item_key": { "pattern": format!("^{ITEM_KEY}$") },
                    "level": integer(1, 5),
                    "split": {
                        "description": "Own strength / network / professional help in percent, in that order; the three add up to 100.",
                        "minItems": 3,
                        "maxItems": 3,
                        "items": integer(0, 100),
                    },
                    "strengths": note(false),
                    "note": note(false),
                },
            }),
        ),
        (
            "NewNetworkPerson",
            json!({
                "properties": {
                    "name": text(500, true, Lines::One),
                    "relation": text(500, true, Lines::One),
                    "asks": { "enum": one_of_codes(Asks::ALL.iter().map(|a| a.as_str())) },
                    "contact": text(500, false, Lines::One),
                    "helps_with": text(500, false, Lines::One),
                    "how_often": text(500, false, Lines::One),
                    "carer_load": integer(0, 10),
                    "carer_capacity": integer(0, 10),
                },
                // A mantelzorger has both a load and a capacity; anyone else neither.
                "allOf": [
                    when_given("carer_load", json!({ "required": ["carer_capacity"], "properties": { "carer_capacity": { "type": "integer" } } })),
                    when_given("carer_capacity", json!({ "required": ["carer_load"], "properties": { "carer_load": { "type": "integer" } } })),
                ],
            }),
        ),
        (
            "GoalBody",
            json!({
                "properties": {
                    "words": note(true),
                    "expressed_by": { "enum": one_of_codes(ExpressedBy::ALL.iter().map(|e| e.as_str())) },
                    "life_domains": {
                        "description": "Item keys of the installed life-domain instrument (409 when one is unknown); blanks are skipped, repeats count once.",
                        "items": { "pattern": format!("^[{WS}]*(?:{ITEM_KEY})?[{WS}]*$") },
                    },
                    "activities": {
                        "description": "Item keys of the installed daily-activities instrument (409 when one is unknown); blanks are skipped, repeats count once.",
                        "items": { "pattern": format!("^[{WS}]*(?:{ITEM_KEY})?[{WS}]*$") },
                    },
                    "importance": integer(1, 10),
                    "performance": integer(1, 10),
                    "satisfaction": integer(1, 10),
                    "gas_levels": {
                        "description": "Goal Attainment Scaling: descriptions of levels −2…+2, in order; all five, or all blank for no scale.",
                        "minItems": 5,
                        "maxItems": 5,
                        "anyOf": [
                            { "type": "null" },
                            { "type": "array", "items": { "type": "string", "pattern": format!("^[{WS}]*$") } },
                            { "type": "array", "items": { "type": "string", "pattern": text_pattern(MAX_TEXT, true, Lines::Many) } },
                        ],
                    },
                    "gas_weight": integer(1, 10),
                    "target_date": optional_date(first_day(), last_day()),
                    "reason": note(false),
                },
                // A weight means a scale: then every level needs its description.
                "allOf": [when_given("gas_weight", json!({
                    "required": ["gas_levels"],
                    "properties": { "gas_levels": { "type": "array", "items": non_blank() } },
                }))],
            }),
        ),
        (
            "InterventionBody",
            json!({
                "properties": {
                    "catalogue_id": id(),
                    "responsible": {
                        "pattern": format!(
                            r"^[{WS}]*(?:client|discipline:{}|(?:network|user):[+\-]?[0-9]{{1,18}})[{WS}]*$",
                            alternation(disciplines())
                        ),
                    },
                    "frequency": note(true),
                    "start": optional_date(first_day(), last_day()),
                    "end": {
                        "description": "`YYYY-MM-DD`, not before `start` (today when `start` is left out).",
                        "anyOf": [blank_or_null(), date_between(first_day(), last_day())],
                    },
                    "reason": note(false),
                },
                // Without a start the intervention starts today, so it cannot end before today.
                "if": {
                    "properties": { "start": blank_or_null() },
                },
                "then": {
                    "properties": { "end": { "anyOf": [blank_or_null(), date_between(today, last_day())] } },
                },
            }),
        ),
        (
            "AgreementBody",
            json!({
                "properties": {
                    "activity": { "pattern": format!("^[{WS}]*{ITEM_KEY}[{WS}]*$") },
                    "support": integer(0, 4),
                    "client_does": note(true),
                    "team_does": note(false),
                    "steps": {
                        "description": "Graded steps, in order; blank ones are left out.",
                        "maxItems": MAX_STEPS,
                        "items": { "pattern": text_pattern(MAX_TEXT, false, Lines::Many) },
                    },
                    "current_step": integer(0, MAX_STEPS as i64 - 1),
                    "aid_ids": { "description": "Aids from the catalogue (409 when one is unknown or retired); repeats count once.", "items": id() },
                    "reason": note(false),
                },
                "anyOf": current_step_rules(),
                // Unless the client does it alone, say what the team does.
                "if": { "required": ["support"], "properties": { "support": { "minimum": 1 } } },
                "then": { "required": ["team_does"], "properties": { "team_does": non_blank() } },
            }),
        ),
        (
            "NewTeamMember",
            json!({
                "properties": {
                    "user_id": id(),
                    "discipline": { "pattern": format!("^[{WS}]*{}?[{WS}]*$", alternation(disciplines())) },
                    "contact": note(false),
                },
            }),
        ),
        (
            "ServingTeams",
            json!({
                "properties": {
                    "team_ids": { "minItems": 1, "uniqueItems": true, "items": id() },
                },
            }),
        ),
        (
            "AccessReason",
            json!({
                "properties": {
                    "reason": {
                        "description": "At least 10 characters that are neither spaces nor invisible (a zero-width space does not count), at most 500 once trimmed.",
                        "allOf": [
                            text(500, true, Lines::Many),
                            { "pattern": format!("^(?:[{WS}{INVISIBLE}]*[^{WS}{INVISIBLE}]){{10}}") },
                        ],
                    },
                },
            }),
        ),
        (
            "VisitBody",
            json!({
                "properties": {
                    "date": optional_date(first_day(), today),
                    "minutes": integer(1, MAX_MINUTES.into()),
                    "given": { "description": "Exactly one entry per agreed activity, and none for an activity without an agreement (422 naming the field otherwise: which activities are agreed is the plan's, see `GET …/plan`); `level: null` when the activity was not part of this visit." },
                    "note": note(false),
                    "success": note(false),
                },
                // Something to record: support given for some activity, a note or a success.
                "anyOf": [
                    { "required": ["given"], "properties": { "given": { "contains": { "required": ["level"], "properties": { "level": { "type": "integer" } } } } } },
                    { "required": ["note"], "properties": { "note": non_blank() } },
                    { "required": ["success"], "properties": { "success": non_blank() } },
                ],
            }),
        ),
        (
            "EvaluationBody",
            json!({
                "properties": {
                    "held_on": date_between(first_day(), today),
                    "next_on": optional_date(first_day(), last_day()),
                    "client_took_part": { "description": "Whether the client sat at the table; someone must have (the client, a network member or a professional)." },
                    "network_member_ids": { "items": id(), "description": "People of the client's network (see `GET …/network`); another id is refused with 422." },
                    "professional_ids": { "items": id(), "description": "Professionals of the core team (see `GET …/team`); another id is refused with 422." },
                    "goals": { "description": "One entry per active goal of the plan, with a decision (422 naming the goal otherwise: which goals are active is the plan's, see `GET …/plan`)." },
                    "agreements": { "description": "Support going forward for agreements of the plan; an activity without an agreement is left out." },
                },
            }),
        ),
        (
            "GoalEvaluationBody",
            json!({
                "properties": {
                    "goal_id": integer(1, u32::MAX.into()),
                    "performance": integer(1, 10),
                    "satisfaction": integer(1, 10),
                    "gas_attained": integer(-2, 2),
                    "words": note(false),
                    "decision": { "enum": one_of_codes(GoalDecision::ALL.iter().map(|d| d.as_str())) },
                    "reason": note(false),
                },
                // Adjusting and stopping say why.
                "if": { "properties": { "decision": { "enum": ["adjust", "stop"] } } },
                "then": { "required": ["reason"], "properties": { "reason": non_blank() } },
            }),
        ),
        (
            "AgreementForwardBody",
            json!({
                "properties": {
                    "activity": { "pattern": format!("^{ITEM_KEY}$") },
                    "support": integer(0, 4),
                    "step": integer(1, MAX_STEPS as i64),
                },
            }),
        ),
        (
            "GivenBody",
            json!({
                "properties": {
                    "activity": { "pattern": format!("^{ITEM_KEY}$") },
                    "level": integer(0, 4),
                    "reason": {
                        "description": "Why more support was given than agreed; needed then (409 without it, as it depends on the agreement), checked whenever given.",
                        "pattern": format!("^[{WS}]*{}?[{WS}]*$", alternation(OverReason::ALL.iter().map(|r| r.as_str()))),
                    },
                    "reason_text": note(false),
                },
            }),
        ),
    ]
}

/// `current_step` is left out, or points at a step that is there and not blank. One branch
/// per position rather than one `if` per position: generators expand `if`s combinatorially.
fn current_step_rules() -> Vec<Value> {
    let none = json!({ "properties": { "current_step": { "type": "null" } } });
    let at = (0..MAX_STEPS).map(|k| {
        let mut prefix = vec![json!(true); k];
        prefix.push(non_blank());
        json!({
            "required": ["current_step", "steps"],
            "properties": {
                "current_step": { "const": k },
                "steps": { "minItems": k + 1, "prefixItems": prefix },
            },
        })
    });
    std::iter::once(none).chain(at).collect()
}

/// `Idempotency-Key`: printable ASCII, at most 200 characters once trimmed; blank is no key.
pub fn idempotency_key_schema() -> Value {
    json!({
        "type": "string",
        "pattern": r"^[ \t]*(?:[!-~](?:[ -~]{0,198}[!-~])?)?[ \t]*$",
    })
}

/// The rules of query parameters, by operation and name.
fn query_rule(operation: &str, name: &str) -> Option<Value> {
    match (operation, name) {
        ("list_clients", "q") => {
            Some(json!({ "type": "string", "pattern": format!("^[^{CONTROL}]{{0,200}}$") }))
        }
        ("list_clients", "limit") => {
            Some(json!({ "type": "integer", "format": "int64", "minimum": 1, "maximum": 100 }))
        }
        ("list_clients", "offset") => {
            Some(json!({ "type": "integer", "format": "int64", "minimum": 0, "maximum": i64::MAX }))
        }
        _ => None,
    }
}

/// Operations that act on a client, and on a trajectory, by the `{id}` in their path.
const ON_CLIENT: &[&str] = &[
    "get_client",
    "get_network",
    "add_network_member",
    "start_trajectory",
];
const ON_TRAJECTORY: &[&str] = &[
    "get_trajectory",
    "record_assessment",
    "get_plan",
    "add_goal",
    "set_agreement",
    "get_team",
    "add_team_member",
    "list_visits",
    "record_visit",
];

/// Where the ids in an answer lead (OpenAPI links): from an operation's response, by status,
/// to operations and the runtime expressions that fill their path parameters. This tells a
/// client what it can do next, and lets schemathesis's stateful phase reach real records.
fn links() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let mut links = Vec::new();
    let mut to_all =
        |from: &'static str, status: &'static str, targets: &[&'static str], id: &str| {
            for target in targets {
                links.push((from, status, *target, json!({ "id": id })));
            }
        };
    to_all(
        "list_clients",
        "200",
        ON_CLIENT,
        "$response.body#/items/0/id",
    );
    to_all("create_client", "201", ON_CLIENT, "$response.body#/id");
    to_all(
        "start_trajectory",
        "201",
        ON_TRAJECTORY,
        "$response.body#/id",
    );
    to_all("get_trajectory", "200", ON_TRAJECTORY, "$response.body#/id");
    to_all(
        "get_trajectory",
        "200",
        &["get_client"],
        "$response.body#/client_id",
    );
    links.push((
        "add_goal",
        "201",
        "add_intervention",
        json!({ "id": "$request.path.id", "goal": "$response.body#/id" }),
    ));
    links.push((
        "add_goal",
        "201",
        "get_plan_version",
        json!({ "id": "$request.path.id", "number": "$response.body#/version" }),
    ));
    links.push((
        "get_plan",
        "200",
        "get_plan_version",
        json!({ "id": "$response.body#/trajectory_id", "number": "$response.body#/version" }),
    ));
    links
}

/// Merges `fragment` into `target`: objects key by key, anything else replaced.
fn merge(target: &mut Value, fragment: &Value) {
    match (target, fragment) {
        (Value::Object(target), Value::Object(fragment)) => {
            for (key, value) in fragment {
                merge(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (target, fragment) => *target = fragment.clone(),
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Completes the document utoipa derives: request rules, path ids, and the problem statuses
/// that follow from each operation's shape.
pub fn apply(document: &mut Value, today: Date) {
    let schemas = &mut document["components"]["schemas"];
    for (name, rules) in request_rules(today) {
        assert!(schemas.get(name).is_some(), "no schema {name} to describe");
        merge(&mut schemas[name], &rules);
    }
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    let links = links();
    for item in paths.values_mut() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                complete_operation(operation);
                let id = operation["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                for (from, status, target, parameters) in &links {
                    if *from == id {
                        operation["responses"][status]["links"][target] =
                            json!({ "operationId": target, "parameters": parameters });
                    }
                }
            }
        }
    }
}

fn complete_operation(operation: &mut Value) {
    let mut statuses = Vec::new();
    let operation_id = operation["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // `security(())` on an operation means: no token needed.
    let public = operation["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(Map::is_empty)));
    if !public {
        statuses.push(401);
    }
    // `get_mut`, not indexing: indexing a missing key would add it as null.
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in parameters {
            match parameter["in"].as_str() {
                Some("path") => {
                    parameter["schema"] = json!({ "type": "integer", "format": "int64", "minimum": 1, "maximum": i64::MAX });
                    statuses.push(404);
                }
                Some("query") => {
                    let name = parameter["name"].as_str().unwrap_or_default();
                    // A parameter without a rule keeps its derived schema; a test catches it.
                    if let Some(rule) = query_rule(&operation_id, name) {
                        parameter["schema"] = rule;
                    }
                    statuses.extend([400, 422]);
                }
                Some("header") if parameter["name"] == "Idempotency-Key" => {
                    parameter["schema"] = idempotency_key_schema();
                    statuses.push(422);
                }
                _ => {}
            }
        }
    }
    if operation.get("requestBody").is_some() {
        statuses.extend([400, 413, 415, 422]);
    }
    let responses = operation["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    for status in statuses {
        responses
            .entry(status.to_string())
            .or_insert_with(|| serde_json::to_value(problems::response(status)).expect("JSON"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use regie_domain::validation;
    use time::macros::date;

    /// The `\uXXXX` escapes are ECMA-262 and Python; Rust's `regex` wants `\u{XXXX}`.
    fn rust(pattern: &str) -> Regex {
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(at) = rest.find(r"\u") {
            out.push_str(&rest[..at]);
            out.push_str(&format!(r"\u{{{}}}", &rest[at + 2..at + 6]));
            rest = &rest[at + 6..];
        }
        out.push_str(rest);
        Regex::new(&out).expect("a valid pattern")
    }

    const TRICKY: &[&str] = &[
        "",
        " ",
        "\t\n",
        "a",
        " a ",
        "\u{a0}a\u{3000}",
        "a\u{0}b",
        "\u{0}",
        "a\nb",
        "a\tb",
        "a\r\nb",
        "\u{85}a\u{85}",
        "a\u{85}b",
        "\u{1b}[0m",
        "a\u{7f}",
        "\u{feff}",
        "a\u{feff}",
        "é ü 🙂",
        "\u{1c}",
        "\u{200b}",
    ];

    fn samples(max: usize) -> Vec<String> {
        let mut all: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
        for n in [max - 1, max, max + 1] {
            all.push("x".repeat(n));
            all.push(format!("  {}  ", "x".repeat(n)));
            all.push(format!("\n{}\t", "é".repeat(n)));
            all.push(format!("a{}b", " ".repeat(n.saturating_sub(2))));
        }
        all
    }

    #[test]
    fn text_patterns_accept_exactly_what_the_domain_accepts() {
        let domain_line = |s: &str, max: usize| {
            let t = s.trim();
            t.chars().count() <= max && !t.chars().any(char::is_control)
        };
        for required in [true, false] {
            let pattern = rust(&text_pattern(200, required, Lines::One));
            for s in samples(200) {
                let expected = regie_domain::PersonName::parse("name", &s).is_ok()
                    || (!required && s.trim().is_empty());
                assert_eq!(pattern.is_match(&s), expected, "line {required} {s:?}");
                assert_eq!(
                    expected,
                    domain_line(&s, 200) && (!required || !s.trim().is_empty())
                );
            }
            let pattern = rust(&text_pattern(MAX_TEXT, required, Lines::Many));
            for s in samples(MAX_TEXT) {
                let expected = validation::text("note", &s, required).is_ok();
                assert_eq!(pattern.is_match(&s), expected, "note {required} {s:?}");
            }
        }
    }

    #[test]
    fn digit_ranges_match_exactly_their_numbers() {
        for width in 1..=3usize {
            let top = 10u32.pow(width as u32) - 1;
            for lo in (0..=top).step_by(7) {
                for hi in (lo..=top).step_by(13) {
                    let re = Regex::new(&format!("^{}$", number_between(lo, hi, width))).unwrap();
                    for n in 0..=top {
                        let s = format!("{n:0width$}");
                        assert_eq!(re.is_match(&s), (lo..=hi).contains(&n), "{lo}..={hi} {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn date_patterns_match_exactly_the_days_between() {
        let bounds = [
            (date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
            (date!(2025 - 11 - 30), date!(2027 - 01 - 02)),
            (date!(1906 - 01 - 01), date!(2026 - 06 - 15)),
            (date!(2026 - 02 - 28), date!(2026 - 03 - 01)),
            (date!(2026 - 06 - 15), date!(2026 - 06 - 15)),
            (date!(0000 - 01 - 01), date!(9999 - 12 - 31)),
            (date!(2024 - 02 - 29), date!(2024 - 10 - 09)),
        ];
        for (lo, hi) in bounds {
            let re = Regex::new(&date_pattern(lo, hi)).unwrap();
            // Every day around both ends, as far as four-digit years reach.
            for end in [lo, hi] {
                let mut day = end.checked_sub(Duration::days(400)).unwrap_or(first_day());
                let last = end.checked_add(Duration::days(400)).unwrap_or(last_day());
                while day <= last {
                    let text = format!(
                        "{:04}-{:02}-{:02}",
                        day.year(),
                        u8::from(day.month()),
                        day.day()
                    );
                    assert_eq!(
                        re.is_match(&text),
                        (lo..=hi).contains(&day),
                        "{lo}..{hi}: {text}"
                    );
                    match day.next_day() {
                        Some(next) => day = next,
                        None => break,
                    }
                }
            }
            for odd in [
                "2026-13-01",
                "2026-00-10",
                "2026-06-32",
                "2026-6-15",
                "+2026-06-15",
            ] {
                assert!(!re.is_match(odd), "{odd}");
            }
        }
    }

    fn pattern_of(schema: &Value, property: &str) -> Regex {
        rust(schema["properties"][property]["pattern"].as_str().unwrap())
    }

    #[test]
    fn client_field_patterns_match_the_domain() {
        let rules: Value = request_rules(date!(2026 - 06 - 15))
            .into_iter()
            .find(|(name, _)| *name == "NewClient")
            .unwrap()
            .1;
        let postcode = pattern_of(&rules, "postcode");
        for s in [
            "1234AB",
            "1234 ab",
            " 1234  Ab ",
            "1234\tAB",
            "9999 ZZ",
            "0123 AB",
            "123 AB",
            "1234 SA",
            "1234 ss",
            "1234 SD",
            "1234 SB",
            "1234 AS",
            "ABCD 12",
            "1234 ÅB",
            "1 2 3 4 a b",
            "",
            "  ",
        ] {
            let domain = s.trim().is_empty() || regie_domain::Postcode::parse(s).is_ok();
            assert_eq!(postcode.is_match(s), domain, "postcode {s:?}");
        }
        let phone = pattern_of(&rules, "phone");
        for s in [
            "06 1234 5678",
            "+31 (0)6-12345678",
            "0612345",
            "0123456789012345",
            " 0612345678 ",
            "06\u{a0}12345678",
            "\u{a0}0612345678",
            "+-()",
            "",
            " ",
            "06123456789x",
        ] {
            let input = regie_domain::ClientInput {
                phone: s.into(),
                ..Default::default()
            };
            let domain = !input
                .validate(date!(2026 - 06 - 15))
                .unwrap_err()
                .iter()
                .any(|e| e.field == "phone");
            assert_eq!(phone.is_match(s), domain, "phone {s:?}");
        }
        let email: Vec<Regex> = rules["properties"]["email"]["allOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| rust(p["pattern"].as_str().unwrap()))
            .collect();
        let long = format!("{}@example.nl", "a".repeat(243));
        let too_long = format!("{}@example.nl", "a".repeat(244));
        for s in [
            "a@b.nl",
            " a@b.nl ",
            "a@b",
            "@b.nl",
            "a@.nl",
            "a@b.",
            "a b@c.nl",
            "a@b@c.nl",
            "é@ü.nl",
            "a\u{1}@b.nl",
            "",
            " ",
            long.as_str(),
            too_long.as_str(),
            "a@b..c",
        ] {
            let input = regie_domain::ClientInput {
                email: s.into(),
                ..Default::default()
            };
            let domain = !input
                .validate(date!(2026 - 06 - 15))
                .unwrap_err()
                .iter()
                .any(|e| e.field == "email");
            assert_eq!(email.iter().all(|re| re.is_match(s)), domain, "email {s:?}");
        }
        let bsn = pattern_of(&rules, "bsn");
        for (s, syntax) in [
            ("123456782", true),
            ("1234.56.782", true),
            ("10000021", true),
            ("1234567", false),
            ("1234567890", false),
            ("12345678a", false),
            ("\t123456782", false),
            ("", true),
            ("  ", true),
        ] {
            assert_eq!(bsn.is_match(s), syntax, "bsn {s:?}");
        }
    }

    /// Every property of every request body says what it accepts, so a field added later
    /// cannot go out without its rule.
    #[test]
    fn every_request_property_has_a_rule() {
        let document = super::super::openapi_at(date!(2026 - 06 - 15));
        let schemas = document["components"]["schemas"].as_object().unwrap();
        let described: Vec<&str> = request_rules(date!(2026 - 06 - 15))
            .iter()
            .map(|(name, _)| *name)
            .collect();
        let mut bodies: Vec<String> = Vec::new();
        for item in document["paths"].as_object().unwrap().values() {
            for method in METHODS {
                if let Some(schema) =
                    item[method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                        .as_str()
                {
                    bodies.push(
                        schema
                            .trim_start_matches("#/components/schemas/")
                            .to_string(),
                    );
                }
            }
        }
        for item in document["paths"].as_object().unwrap().values() {
            for method in METHODS {
                assert!(
                    !item[method].get("parameters").is_some_and(Value::is_null),
                    "{method}: parameters must be a list when present"
                );
                for parameter in item[method]["parameters"].as_array().into_iter().flatten() {
                    let operation = item[method]["operationId"].as_str().unwrap();
                    let name = parameter["name"].as_str().unwrap();
                    if parameter["in"] == "query" {
                        assert!(
                            query_rule(operation, name).is_some(),
                            "{operation}: query parameter {name} has no rule"
                        );
                    }
                }
            }
        }
        // Bodies nested in bodies.
        for nested in ["DomainBody", "GivenBody"] {
            bodies.push(nested.to_string());
        }
        for item in document["paths"].as_object().unwrap().values() {
            for method in METHODS {
                for (status, response) in
                    item[method]["responses"].as_object().into_iter().flatten()
                {
                    assert!(
                        response["description"].is_string(),
                        "{method} response {status} needs a description (OpenAPI requires one)"
                    );
                }
            }
        }
        let operations: Vec<&str> = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| {
                METHODS
                    .iter()
                    .filter_map(|m| item[m]["operationId"].as_str())
            })
            .collect();
        for (from, status, target, _) in links() {
            assert!(
                operations.contains(&from) && operations.contains(&target),
                "link {from} -> {target}"
            );
            assert!(
                document["paths"]
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|item| METHODS.iter().any(|m| item[m]["operationId"] == from
                        && item[m]["responses"][status].is_object())),
                "{from} answers {status}"
            );
        }
        let keywords = [
            "pattern", "enum", "minimum", "format", "anyOf", "allOf", "items", "$ref", "const",
        ];
        for body in &bodies {
            assert!(
                described.contains(&body.as_str()),
                "{body} has no rules in contract.rs"
            );
            let schema = &schemas[body];
            assert_eq!(
                schema["additionalProperties"], false,
                "{body} refuses unknown fields"
            );
            for (property, rule) in schema["properties"].as_object().unwrap() {
                let boolean = rule["type"] == "boolean";
                let constrained = keywords.iter().any(|k| rule.get(*k).is_some());
                assert!(
                    boolean || constrained,
                    "{body}.{property} says nothing about its values"
                );
            }
        }
    }
}
