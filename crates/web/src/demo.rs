//! The demo organisation: two neighbourhood teams, users of several disciplines and about thirty
//! clients. Loaded once, on first start with `--demo`. Demo passwords are for trying Regie only.

use crate::{AppError, passwords};
use regie_domain::{
    AssessmentInput, Balance, Bsn, ClientInput, Closure, Discipline, DomainInput, LivingSituation,
    MattersKind, NetworkMemberInput, NetworkSummary, NewPassword, NewTrajectory, Phase, Role,
    TrajectoryInput,
};
use regie_storage::{Db, NewUser};
use time::OffsetDateTime;

pub const DEMO_PASSWORD: &str = "regie-demo";
pub const ORGANISATION: &str = "Zorgcoöperatie De Linde";
const TEAM_NORTH: &str = "Wijkteam Noord";
const TEAM_SOUTH: &str = "Wijkteam Zuid";

/// (username, full name, discipline, role, teams)
pub const DEMO_USERS: [(&str, &str, Discipline, Role, &[&str]); 11] = [
    ("admin", "Ayşe Demir", Discipline::Anders, Role::Admin, &[]),
    (
        "coordinator",
        "Marieke de Vries",
        Discipline::Wijkverpleegkundige,
        Role::Professional,
        &[TEAM_NORTH],
    ),
    (
        "verzorgende",
        "Sandra Bakker",
        Discipline::Verzorgende,
        Role::Professional,
        &[TEAM_NORTH],
    ),
    (
        "ergotherapeut",
        "Thijs Jansen",
        Discipline::Ergotherapeut,
        Role::Professional,
        &[TEAM_NORTH, TEAM_SOUTH],
    ),
    (
        "fysiotherapeut",
        "Noor El Amrani",
        Discipline::Fysiotherapeut,
        Role::Professional,
        &[TEAM_SOUTH],
    ),
    (
        "huishoudelijk",
        "Petra Visser",
        Discipline::HulpBijHetHuishouden,
        Role::Professional,
        &[TEAM_SOUTH],
    ),
    (
        "wmo-consulent",
        "Joost Mulder",
        Discipline::WmoConsulent,
        Role::Professional,
        &[TEAM_SOUTH],
    ),
    (
        "sociaalwerker",
        "Fatima Yilmaz",
        Discipline::SociaalWerker,
        Role::Professional,
        &[TEAM_NORTH],
    ),
    (
        "techcoach",
        "Ruben Smit",
        Discipline::Techcoach,
        Role::Professional,
        &[TEAM_SOUTH],
    ),
    (
        "teamleider",
        "Hanneke Bos",
        Discipline::Wijkverpleegkundige,
        Role::TeamLead,
        &[TEAM_NORTH, TEAM_SOUTH],
    ),
    (
        "analist",
        "Koen van Dijk",
        Discipline::Anders,
        Role::Analyst,
        &[],
    ),
];

/// (name, served by north, served by south)
const DEMO_CLIENTS: [(&str, bool, bool); 30] = [
    ("Mevrouw J. (Jannie) de Boer", true, false),
    ("Meneer H. (Henk) Vermeulen", true, false),
    ("Mevrouw A. (Annie) Hendriks", true, false),
    ("Meneer G. (Gerrit) van den Berg", true, false),
    ("Mevrouw W. (Wil) Dekker", true, false),
    ("Meneer M. (Mohamed) Benali", true, false),
    ("Mevrouw T. (Truus) Kok", true, false),
    ("Meneer J. (Jan) Brouwer", true, false),
    ("Mevrouw R. (Riet) de Graaf", true, false),
    ("Meneer P. (Piet) van Leeuwen", true, false),
    ("Mevrouw F. (Fenna) Schouten", true, false),
    ("Meneer K. (Kees) Willems", true, false),
    ("Mevrouw S. (Siham) Ouali", true, true),
    ("Meneer B. (Bert) Huisman", true, true),
    ("Mevrouw G. (Gonny) Peters", true, true),
    ("Meneer A. (Ahmet) Kaya", false, true),
    ("Mevrouw L. (Lies) van der Meer", false, true),
    ("Meneer W. (Wim) Postma", false, true),
    ("Mevrouw M. (Mien) Kuipers", false, true),
    ("Meneer F. (Frans) Veenstra", false, true),
    ("Mevrouw D. (Door) Bosman", false, true),
    ("Meneer C. (Cor) de Wit", false, true),
    ("Mevrouw E. (Els) Koster", false, true),
    ("Meneer R. (Rinus) Prins", false, true),
    ("Mevrouw H. (Hennie) Blom", false, true),
    ("Meneer T. (Theo) van Wijk", false, true),
    ("Mevrouw N. (Nel) Groen", false, true),
    ("Meneer D. (Dirk) Boer", false, true),
    ("Mevrouw Y. (Yvonne) Maas", false, true),
    ("Meneer L. (Lucas) Verhoeven", false, true),
];

const STREETS: [&str; 6] = [
    "Lindelaan",
    "Kastanjestraat",
    "Molenweg",
    "Beukenhof",
    "Dorpsstraat",
    "Vijverlaan",
];
const REFERRERS: [&str; 5] = [
    "huisarts",
    "transferverpleegkundige ziekenhuis",
    "Wmo-loket gemeente",
    "zelf aangemeld",
    "dochter (mantelzorger)",
];

/// Plausible, varied details for the demo client at `index`; every third one has a BSN.
fn demo_client(index: usize, name: &str, team_ids: Vec<i64>) -> ClientInput {
    let n = index as u32;
    let living = LivingSituation::ALL[index % 4 % 3];
    ClientInput {
        name: name.to_string(),
        date_of_birth: format!(
            "{}-{:02}-{:02}",
            1931 + (n * 7) % 28,
            1 + n % 12,
            1 + (n * 11) % 28
        ),
        phone: if index % 5 == 4 {
            String::new()
        } else {
            format!("038 {:03} {:04}", 400 + n, 1000 + n * 37)
        },
        email: if index.is_multiple_of(4) {
            format!("client{index}@example.nl")
        } else {
            String::new()
        },
        street: STREETS[index % STREETS.len()].to_string(),
        house_number: (3 + n * 2).to_string(),
        postcode: format!(
            "80{:02} {}",
            11 + n % 80,
            ["AB", "CD", "EK", "LM"][index % 4]
        ),
        city: "Zwolle".to_string(),
        bsn: if index.is_multiple_of(3) {
            demo_bsn(index)
        } else {
            String::new()
        },
        living_situation: living.as_str().to_string(),
        referrer: REFERRERS[index % REFERRERS.len()].to_string(),
        team_ids,
    }
}

/// Questions in clients' own words, as they might come in.
const QUESTIONS: [(&str, &str); 6] = [
    (
        "Ik wil weer zelf douchen, zonder dat er iemand bij hoeft te staan.",
        "wijkverpleging",
    ),
    (
        "Ik wil zelf mijn boodschappen weer doen bij de supermarkt om de hoek.",
        "hulp_bij_het_huishouden",
    ),
    (
        "Ik wil weer de trap op kunnen naar mijn slaapkamer.",
        "paramedische_zorg",
    ),
    (
        "Ik zou graag weer naar het buurthuis gaan voor de koffieochtend.",
        "dagbesteding",
    ),
    (
        "Mijn dochter doet nu alles; ik wil haar wat ontlasten.",
        "mantelzorgondersteuning",
    ),
    (
        "Ik wil zelf weer een warme maaltijd kunnen koken.",
        "begeleiding",
    ),
];

/// What clients say matters to them, and what holds them back (after seeds 000 and 003).
const MATTERS: [(MattersKind, &str); 4] = [
    (
        MattersKind::Barrier,
        "Ik ben bang om te vallen als ik alleen onder de douche sta.",
    ),
    (
        MattersKind::Important,
        "Mijn kleinkinderen zelf een kopje thee kunnen aanbieden als ze langskomen.",
    ),
    (
        MattersKind::Barrier,
        "Mijn dochter doet het sneller; ik wil haar niet laten wachten.",
    ),
    (
        MattersKind::Motivation,
        "Weer naar de markt op zaterdag, zoals vroeger met mijn man.",
    ),
];

/// The demo trajectory for the client at `index`, if any (every third client has none).
fn demo_trajectory(index: usize, today: time::Date) -> Option<TrajectoryInput> {
    if index % 3 == 2 {
        return None;
    }
    let (question, question_type) = QUESTIONS[index % QUESTIONS.len()];
    let start = today - time::Duration::days(7 * (1 + index as i64 % 10));
    Some(TrajectoryInput {
        question: question.into(),
        question_types: vec![question_type.into()],
        referral_source: REFERRERS[index % REFERRERS.len()].into(),
        start_date: start.to_string(),
        // Replaced by the team's coordinator; any id passes validation.
        coordinator_id: Some(0),
    })
}

/// A plausible intake view of the 13 life domains. The professional mostly agrees with the
/// client, but not everywhere: in some domains the professional rates the client two levels
/// higher (seed 003: many clients feel overestimated), in others two levels lower.
fn demo_assessment(
    index: usize,
    perspective: &str,
    instrument: &regie_domain::InstrumentDefinition,
) -> AssessmentInput {
    const BASE: [u8; 13] = [3, 4, 3, 4, 4, 3, 2, 5, 3, 3, 3, 4, 5];
    let domains = instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut level = BASE[i % BASE.len()];
            if perspective == "professional" {
                if i == 6 + index % 3 {
                    level = (level + 2).min(5);
                } else if i == index % 6 {
                    level = level.saturating_sub(2).max(1);
                }
            }
            DomainInput {
                item_key: item.key.clone(),
                // Justice rarely comes up in reablement; it is left undiscussed.
                level: if item.key == "justitie" {
                    "niet_besproken".into()
                } else {
                    level.to_string()
                },
                wants_to_work_on: perspective == "client" && level <= 3,
                ..Default::default()
            }
        })
        .collect();
    AssessmentInput {
        perspective: perspective.into(),
        moment: "intake".into(),
        respondent: String::new(),
        domains,
    }
}

/// The people around some demo clients: Jannie's daughter is overloaded, and Henk's network is
/// there but he does not ask; Annie has nobody to ask (seed 003).
async fn demo_network(
    tx: &mut regie_storage::Tx,
    index: usize,
    client_id: i64,
    user_id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let person = |name: &str,
                  relation: &str,
                  helps: &str,
                  often: &str,
                  asks: &str,
                  carer: Option<(&str, &str)>| NetworkMemberInput {
        name: name.into(),
        relation: relation.into(),
        helps_with: helps.into(),
        how_often: often.into(),
        asks: asks.into(),
        is_carer: carer.is_some(),
        load: carer.map(|c| c.0.to_string()).unwrap_or_default(),
        capacity: carer.map(|c| c.1.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let (people, summary, balance) = match index {
        0 => (
            vec![
                person(
                    "Anja",
                    "dochter",
                    "boodschappen, wassen, administratie",
                    "bijna dagelijks",
                    "asks",
                    Some(("8", "5")),
                ),
                person(
                    "Gerard",
                    "buurman",
                    "vuilnis buiten zetten",
                    "wekelijks",
                    "could_but_does_not",
                    None,
                ),
            ],
            NetworkSummary::AsksEnough,
            Balance::ReceivesMore,
        ),
        1 => (
            vec![
                person(
                    "Ria",
                    "zus",
                    "samen koffie drinken",
                    "maandelijks",
                    "could_but_does_not",
                    None,
                ),
                person(
                    "Kees",
                    "vriend van de biljartclub",
                    "vervoer",
                    "af en toe",
                    "could_but_does_not",
                    None,
                ),
            ],
            NetworkSummary::HasPeopleButDoesNotAsk,
            Balance::GivesMore,
        ),
        2 => (Vec::new(), NetworkSummary::TooFewPeople, Balance::InBalance),
        _ => return Ok(()),
    };
    for input in people {
        let member = input.validate().map_err(AppError::Invalid)?;
        tx.network_add(client_id, &member, user_id, now).await?;
    }
    tx.client_set_network_summary(client_id, Some(summary), Some(balance))
        .await?;
    Ok(())
}

/// A made-up number that passes the elfproef (the demo must not use real people's numbers).
fn demo_bsn(index: usize) -> String {
    (0..)
        .map(|step: u32| format!("{}", 900_000_000 + index as u32 * 10_007 + step))
        .find(|candidate| Bsn::parse(candidate).is_ok())
        .expect("the elfproef accepts one in eleven numbers")
}

/// Loads the demo organisation unless the database already has users. Returns whether it did.
pub async fn load_if_empty(db: &Db) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let empty = tx.users_list().await?.is_empty();
    tx.commit().await?;
    if !empty {
        return Ok(false);
    }
    let password = NewPassword::parse(DEMO_PASSWORD)?;
    // Each account gets its own salt; hash before opening the transaction.
    let mut hashes = Vec::with_capacity(DEMO_USERS.len());
    for _ in DEMO_USERS {
        hashes.push(passwords::hash(&password).await?);
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    tx.set_organisation_name(ORGANISATION).await?;
    let north = tx.team_create(TEAM_NORTH, now).await?.id;
    let south = tx.team_create(TEAM_SOUTH, now).await?.id;
    let team_id = |name: &str| if name == TEAM_NORTH { north } else { south };
    for ((username, full_name, discipline, role, teams), hash) in DEMO_USERS.iter().zip(&hashes) {
        let team_ids: Vec<i64> = teams.iter().map(|t| team_id(t)).collect();
        let user = NewUser {
            username,
            full_name,
            discipline: *discipline,
            role: *role,
            password_hash: hash,
            team_ids: &team_ids,
        };
        tx.user_create(&user, now).await?;
    }
    let today = now.date();
    // Installed at every start before the demo loads; without it the demo has no assessments.
    let life_domains = tx.instrument_latest("zelfredzaamheid").await?;
    // The coordinator of Wijkteam Noord's and Wijkteam Zuid's demo trajectories.
    let coordinators = {
        let north_lead = tx
            .user_by_username("coordinator")
            .await?
            .ok_or(AppError::NotFound)?
            .id;
        let south_lead = tx
            .user_by_username("fysiotherapeut")
            .await?
            .ok_or(AppError::NotFound)?
            .id;
        [north_lead, south_lead]
    };
    for (index, (name, in_north, in_south)) in DEMO_CLIENTS.iter().enumerate() {
        let mut team_ids = Vec::new();
        if *in_north {
            team_ids.push(north);
        }
        if *in_south {
            team_ids.push(south);
        }
        let details = demo_client(index, name, team_ids)
            .validate(today)
            .map_err(AppError::Invalid)?;
        let client_id = tx.client_create(&details, now).await?;
        demo_network(
            &mut tx,
            index,
            client_id,
            coordinators[usize::from(*in_south && !*in_north)],
            now,
        )
        .await?;
        // Two out of three clients have a trajectory, spread over every phase.
        if let Some(trajectory) = demo_trajectory(index, today) {
            let coordinator = coordinators[usize::from(*in_south && !*in_north)];
            let new = trajectory.validate(today).map_err(AppError::Invalid)?;
            let new = NewTrajectory {
                coordinator_id: coordinator,
                ..new
            };
            let id = tx
                .trajectory_create(client_id, &new, coordinator, now)
                .await?;
            let target = Phase::ALL[index % Phase::ALL.len()];
            let mut phase = Phase::Aanmelding;
            while phase < target && phase != Phase::Uitvoering {
                let next = phase.next_phases()[0];
                tx.trajectory_set_phase(id, phase, next, None, coordinator, now)
                    .await?;
                phase = next;
            }
            if target >= Phase::Vraagverheldering
                && let Some(instrument) = &life_domains
            {
                for perspective in ["client", "professional"] {
                    let assessment = demo_assessment(index, perspective, instrument)
                        .validate(instrument)
                        .map_err(AppError::Invalid)?;
                    let version = (instrument.key.as_str(), instrument.version.as_str());
                    tx.assessment_create(id, version, &assessment, coordinator, now)
                        .await?;
                }
            }
            if target >= Phase::Vraagverheldering {
                let (kind, text) = MATTERS[index % MATTERS.len()];
                tx.matters_add(id, kind, text, coordinator, now).await?;
            }
            if target == Phase::Afgesloten {
                let closure = Closure::NoCareNeeded;
                tx.trajectory_set_phase(
                    id,
                    phase,
                    Phase::Afgesloten,
                    Some(&closure),
                    coordinator,
                    now,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}
