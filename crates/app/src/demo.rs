//! The demo organisation: two neighbourhood teams, users of several disciplines and about thirty
//! clients. Loaded once, on first start with `--demo`. Demo passwords are for trying Regie only.

use crate::{App, Error, passwords};
use regie_domain::{
    AssessmentInput, Balance, Bsn, ClientInput, Closure, ClosureOption, Discipline, DomainInput,
    LivingSituation, MattersKind, NetworkMemberInput, NetworkSummary, NewPassword, NewTrajectory,
    Phase, Role, TrajectoryInput,
};
use regie_storage::NewUser;
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
        date: String::new(),
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
) -> Result<(), Error> {
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
        let member = input.validate().map_err(Error::Invalid)?;
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
pub async fn load_if_empty(app: &App) -> Result<bool, Error> {
    let mut tx = app.begin().await?;
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
    let now = app.now();
    let mut tx = app.begin().await?;
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
    let today = app.today();
    // Installed at every start before the demo loads; without it the demo has no assessments.
    let life_domains = tx.instrument_latest("zelfredzaamheid").await?;
    // The coordinator of Wijkteam Noord's and Wijkteam Zuid's demo trajectories.
    let coordinators = {
        let north_lead = tx
            .user_by_username("coordinator")
            .await?
            .ok_or(Error::NotFound)?
            .id;
        let south_lead = tx
            .user_by_username("fysiotherapeut")
            .await?
            .ok_or(Error::NotFound)?
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
            .map_err(Error::Invalid)?;
        let registered_by = coordinators[usize::from(*in_south && !*in_north)];
        let client_id = tx.client_create(&details, Some(registered_by), now).await?;
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
            let new = trajectory.validate(today).map_err(Error::Invalid)?;
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
                // Given in the first week of the trajectory, typed in today.
                let window = regie_domain::DayWindow {
                    started: new.start_date,
                    today,
                };
                let given =
                    regie_domain::validation::iso_date(new.start_date + time::Duration::days(3));
                for perspective in ["client", "professional"] {
                    let mut input = demo_assessment(index, perspective, instrument);
                    input.date = given.clone();
                    let assessment = input.validate(instrument, window).map_err(Error::Invalid)?;
                    let version = (instrument.key.as_str(), instrument.version.as_str());
                    tx.assessment_create(id, version, &assessment, coordinator, now)
                        .await?;
                }
            }
            if target >= Phase::Vraagverheldering {
                let (kind, text) = MATTERS[index % MATTERS.len()];
                tx.matters_add(id, kind, text, coordinator, now).await?;
            }
            if target >= Phase::Planvorming {
                let start = new.start_date;
                demo_plan(&mut tx, index, id, client_id, coordinator, start, now).await?;
                if target == Phase::Uitvoering {
                    demo_visits(&mut tx, index, id, start, now).await?;
                    demo_evaluation(&mut tx, index, id, start, coordinator, now).await?;
                }
            }
            if target == Phase::Afgesloten {
                let closure = Closure {
                    option: ClosureOption::NoCareNeeded,
                    date: Some(today.max(new.start_date)),
                    summary: "Weer zelfstandig thuis.".into(),
                    care_now: Vec::new(),
                };
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

/// An agreement: activity, support level, what the client does, what the team does, graded
/// steps, the current step and the aids used.
type DemoAgreement = (
    &'static str,
    u8,
    &'static str,
    &'static str,
    &'static [&'static str],
    usize,
    &'static [&'static str],
);

/// A goal, its activities and an intervention, an agreement with steps and aids: three plan
/// shapes the demo cycles through, written as a team would.
struct DemoPlan {
    goal: &'static str,
    activities: &'static [&'static str],
    domain: &'static str,
    gas: [&'static str; 5],
    interventions: &'static [(&'static str, &'static str, &'static str)],
    agreements: &'static [DemoAgreement],
}

const DEMO_PLANS: [DemoPlan; 3] = [
    DemoPlan {
        goal: "Ik wil mezelf weer wassen en aankleden, zonder dat er iemand bij hoeft te staan.",
        activities: &["wassen", "aankleden"],
        domain: "basale-adl",
        gas: [
            "Wassen en aankleden lukt alleen met volledige hulp",
            "Wast zich zittend, hulp bij rug en benen; aankleden met hulp",
            "Wast zich zelf, alleen hulp bij de rug; kleedt zich zelf aan",
            "Wast en kleedt zich zelf; hulp alleen bij steunkousen",
            "Wast en kleedt zich helemaal zelf, op eigen tijd",
        ],
        interventions: &[
            (
                "doelstelling-en-planning",
                "client",
                "Elke week samen terugkijken",
            ),
            (
                "hulpmiddelen",
                "user:ergotherapeut",
                "2 keer, daarna op afroep",
            ),
            (
                "positieve-bekrachtiging",
                "discipline:verzorgende",
                "Bij elk bezoek",
            ),
        ],
        agreements: &[
            (
                "wassen",
                1,
                "Wast gezicht, armen, bovenlijf en benen zelf, zittend op de douchestoel.",
                "Wast alleen de rug en helpt met het afdrogen van de voeten.",
                &[
                    "Zittend de armen en het bovenlijf wassen",
                    "Ook de benen zelf wassen",
                    "Ook de voeten zelf afdrogen",
                    "Helemaal zelf douchen",
                ],
                1,
                &["douchestoel", "wandbeugel"],
            ),
            (
                "aankleden",
                2,
                "Trekt zelf onderkleding, broek en trui aan.",
                "Helpt met steunkousen en schoenen; legt de kleren 's avonds samen klaar.",
                &[
                    "Kleren zelf klaarleggen",
                    "Sokken zelf aantrekken met de sokkenaantrekker",
                    "Schoenen zelf aan",
                ],
                0,
                &["sokkenaantrekker", "lange-schoenlepel"],
            ),
        ],
    },
    DemoPlan {
        goal: "Op dinsdag weer zelf naar de markt, zoals vroeger.",
        activities: &["buitenshuis-verplaatsen", "boodschappen"],
        domain: "maatschappelijke-participatie",
        gas: [
            "Komt niet buiten zonder begeleiding",
            "Loopt met begeleiding een rondje om het huis",
            "Loopt met de rollator zelf naar de markt en terug",
            "Doet zelf de boodschappen op de markt",
            "Gaat zelf naar de markt en drinkt er koffie met een bekende",
        ],
        interventions: &[
            (
                "beweegprogramma",
                "discipline:fysiotherapeut",
                "2 keer per week 30 minuten",
            ),
            (
                "valpreventie",
                "discipline:fysiotherapeut",
                "1 keer per week",
            ),
            ("contacten", "network", "Op dinsdag samen naar de markt"),
        ],
        agreements: &[
            (
                "buitenshuis-verplaatsen",
                1,
                "Loopt zelf met de rollator; kiest zelf de route.",
                "Loopt mee en zegt alleen iets bij gevaar (handen op de rug).",
                &[
                    "Rondje om het huis",
                    "Tot de bakker op de hoek",
                    "Tot de markt en terug",
                ],
                1,
                &["rollator"],
            ),
            (
                "boodschappen",
                2,
                "Maakt zelf het boodschappenlijstje en betaalt zelf.",
                "Draagt de zware tassen en helpt met kiezen als dat gevraagd wordt.",
                &[],
                0,
                &["rollator", "keukentrolley"],
            ),
        ],
    },
    DemoPlan {
        goal: "Zelf mijn medicijnen klaarzetten en op tijd innemen, zodat ik niet op de zorg hoef te wachten.",
        activities: &["medicatie", "maaltijd-bereiden"],
        domain: "lichamelijke-gezondheid",
        gas: [
            "Vergeet medicijnen vaak, ook met hulp",
            "Neemt medicijnen in als de zorg ze aangeeft",
            "Neemt zelf in uit de weekdoos die de zorg vult",
            "Vult de weekdoos zelf, de zorg controleert",
            "Regelt medicijnen helemaal zelf",
        ],
        interventions: &[
            ("educatie", "discipline:wijkverpleegkundige", "2 gesprekken"),
            (
                "zelfmonitoring",
                "client",
                "Dagelijks afvinken op de kalender",
            ),
        ],
        agreements: &[
            (
                "medicatie",
                1,
                "Neemt de medicijnen zelf in uit de weekdoos, op de tijden van de dispenser.",
                "Vult samen met mevrouw de weekdoos op maandag en kijkt of alles is ingenomen.",
                &[
                    "Zelf innemen uit de weekdoos",
                    "Weekdoos samen vullen",
                    "Weekdoos zelf vullen, de zorg kijkt mee",
                ],
                1,
                &["weekdoos", "medicijndispenser"],
            ),
            (
                "maaltijd-bereiden",
                0,
                "Maakt zelf het ontbijt en de lunch.",
                "",
                &[],
                0,
                &[],
            ),
        ],
    },
];

/// A complete plan for a demo trajectory, built up in versions as a team would: first the
/// goal, then the agreements, then the planned care; and a core team with colleagues.
#[allow(clippy::too_many_arguments)]
async fn demo_plan(
    tx: &mut regie_storage::Tx,
    index: usize,
    trajectory_id: i64,
    client_id: i64,
    coordinator: i64,
    start: time::Date,
    now: OffsetDateTime,
) -> Result<(), Error> {
    use regie_domain::{
        Agreement, CopmScores, ExpressedBy, GasScale, GoalContent, PlannedCare, Responsible,
        SupportLevel, plan::InterventionContent,
    };
    let shape = &DEMO_PLANS[index % DEMO_PLANS.len()];
    let user =
        async |tx: &mut regie_storage::Tx, name: &str| -> Result<regie_storage::User, Error> {
            tx.user_by_username(name).await?.ok_or(Error::NotFound)
        };
    // A colleague from the client's own team, so nobody reaches clients through the demo
    // who would not otherwise: the verzorgende in Noord, home help in Zuid.
    let client = tx.client_get(client_id).await?.ok_or(Error::NotFound)?;
    let north = tx
        .teams_list()
        .await?
        .into_iter()
        .find(|t| t.name == TEAM_NORTH)
        .map(|t| t.id);
    let carer = if north.is_some_and(|n| client.team_ids.contains(&n)) {
        user(tx, "verzorgende").await?
    } else {
        user(tx, "huishoudelijk").await?
    };
    let ergo = user(tx, "ergotherapeut").await?;
    for (member, contact) in [
        (&carer, "Wijkteam, 020 555 0101 (ma–vr 8–17 uur)"),
        (&ergo, "06 1234 5678 (di en do)"),
    ] {
        if member.id != coordinator {
            tx.core_team_add_user(
                trajectory_id,
                member.id,
                member.discipline,
                Some(contact),
                coordinator,
                now,
            )
            .await?;
        }
    }
    let granted = as_coordinator(tx, trajectory_id).await?;
    let network = tx.network_for_client(&granted.client()).await?;
    // Some clients chose someone from their network to sit in the team.
    if index % 2 == 1
        && let Some(daughter) = network.first()
    {
        tx.core_team_set_network_member(trajectory_id, Some(daughter.id), coordinator, now)
            .await?;
    }
    let interventions = tx.interventions().await?;
    let aids = tx.aids_search("", None, true).await?;
    let mut plan = regie_domain::Plan::default();
    let goal = plan.add_goal(GoalContent {
        words: shape.goal.into(),
        expressed_by: if index % 4 == 1 {
            ExpressedBy::Together
        } else {
            ExpressedBy::Client
        },
        life_domains: vec![shape.domain.into()],
        activities: shape.activities.iter().map(|a| a.to_string()).collect(),
        baseline: CopmScores {
            importance: Some(9),
            performance: Some(3 + (index % 3) as u8),
            satisfaction: Some(3),
        },
        gas: Some(GasScale {
            levels: shape.gas.map(String::from),
            weight: 2,
            attained: Some(-1),
        }),
        target_date: Some(start + time::Duration::weeks(8)),
    });
    for (key, who, frequency) in shape.interventions {
        let Some(entry) = interventions.iter().find(|i| i.entry.key == *key) else {
            continue;
        };
        let responsible = match *who {
            "client" => Responsible::Client,
            "user:ergotherapeut" => Responsible::Professional {
                user_id: ergo.id,
                name: ergo.full_name.clone(),
            },
            "network" => match network.first() {
                Some(m) => Responsible::NetworkMember {
                    id: m.id,
                    name: m.member.name.clone(),
                },
                None => Responsible::Client,
            },
            other => Responsible::Discipline {
                discipline: Discipline::parse(other.trim_start_matches("discipline:"))
                    .map_err(|e| Error::Invalid(vec![e]))?,
            },
        };
        let content = InterventionContent {
            catalogue_id: entry.id,
            frequency: frequency.to_string(),
            start,
            end: None,
        };
        plan.add_intervention(goal, content, responsible)
            .map_err(|e| Error::Invalid(vec![e.field_error()]))?;
    }
    tx.plan_save(
        trajectory_id,
        1,
        &plan,
        "Doel en aanpak samen met de cliënt besproken",
        coordinator,
        now,
    )
    .await?;
    for (activity, support, client_does, team_does, steps, current, aid_keys) in shape.agreements {
        plan.set_agreement(Agreement {
            activity: activity.to_string(),
            support: SupportLevel::from_value(*support).map_err(|e| Error::Invalid(vec![e]))?,
            client_does: client_does.to_string(),
            team_does: team_does.to_string(),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            current_step: (!steps.is_empty()).then_some(*current),
            aid_ids: aids
                .iter()
                .filter(|a| aid_keys.contains(&a.entry.key.as_str()))
                .map(|a| a.id)
                .collect(),
        });
    }
    tx.plan_save(
        trajectory_id,
        2,
        &plan,
        "Afspraken per activiteit, zodat iedereen hetzelfde werkt",
        coordinator,
        now,
    )
    .await?;
    plan.set_care(PlannedCare::from_start(
        Discipline::Verzorgende,
        7 * 60,
        2 * 60,
        8,
    ));
    if index.is_multiple_of(2) {
        plan.set_care(PlannedCare::from_start(
            Discipline::HulpBijHetHuishouden,
            3 * 60,
            90,
            8,
        ));
    }
    tx.plan_save(
        trajectory_id,
        3,
        &plan,
        "Afbouw van de zorg afgesproken",
        coordinator,
        now,
    )
    .await?;
    // Gerrit (seed 001): the insulin decision, taken together.
    if index == 3 {
        let decision = regie_domain::DecisionInput {
            question: "Zelf insuline spuiten, of blijft de wijkverpleging dat doen?".into(),
            options: vec![
                regie_domain::DecisionOption {
                    name: "Zelf spuiten met een insulinepen met grote knop".into(),
                    pros: "Zelf bepalen wanneer; niet wachten op de zorg".into(),
                    cons: "Door de Parkinson lukt fijn werk soms niet".into(),
                },
                regie_domain::DecisionOption {
                    name: "Wijkverpleging blijft spuiten".into(),
                    pros: "Zeker van de juiste dosis".into(),
                    cons: "Vaste tijden; bloedsuikers blijven schommelen".into(),
                },
            ],
            what_matters: "Meneer wil zelf de regie houden over zijn dag.".into(),
            decision:
                "Vier weken proberen met de pen met grote knop; de verpleegkundige kijkt mee."
                    .into(),
            decided_by: "client_with_professional".into(),
        }
        .validate()
        .map_err(Error::Invalid)?;
        tx.decision_add(trajectory_id, &decision, coordinator, now)
            .await?;
    }
    Ok(())
}

const SUCCESSES: [&str; 5] = [
    "Ik heb vandaag zelf mijn sokken aangetrokken!",
    "Zelf gedoucht, alleen de rug liet ik doen.",
    "Ik ben met de rollator tot de bakker gelopen.",
    "Zelf mijn pillen uit de weekdoos gepakt, niks vergeten.",
    "Ik heb zelf koffie gezet voor mijn dochter.",
];

/// Four weeks of visits by several colleagues for a trajectory in execution: mostly to the
/// agreement and improving, with successes. For some clients a colleague takes over with the
/// second activity under time pressure; for others (Gerrit among them) that colleague also
/// gives clearly more help with the first activity than the others do.
/// Two of every three trajectories in execution that started over three weeks ago had their
/// first evaluation two weeks in: scores moved (mostly up, one in four down), every goal
/// continued, and the next one set two weeks on. The others are due or overdue, so the
/// coordinator's worklist has something to show.
async fn demo_evaluation(
    tx: &mut regie_storage::Tx,
    index: usize,
    trajectory_id: i64,
    start: time::Date,
    coordinator: i64,
    now: OffsetDateTime,
) -> Result<(), Error> {
    use regie_domain::evaluation::{EvaluationContext, EvaluationInput, GoalEvaluationInput};
    let today = regie_domain::dutch_time(now).date();
    let held_on = start + time::Duration::days(14);
    if index.is_multiple_of(3) || held_on + time::Duration::days(7) > today {
        return Ok(());
    }
    let granted = as_coordinator(tx, trajectory_id).await?;
    let Some(latest) = tx.plan_latest(&granted).await? else {
        return Ok(());
    };
    let plan = latest.plan;
    let moved = |score: Option<u8>, step: usize| {
        let change: i16 = if (index + step).is_multiple_of(4) {
            -2
        } else {
            3
        };
        score
            .map(|s| (i16::from(s) + change).clamp(1, 10).to_string())
            .unwrap_or_default()
    };
    let input = EvaluationInput {
        held_on: regie_domain::validation::iso_date(held_on),
        client_took_part: true,
        professional_ids: vec![coordinator.to_string()],
        goals: plan
            .goals
            .iter()
            .enumerate()
            .map(|(i, goal)| GoalEvaluationInput {
                goal_id: goal.id,
                performance: moved(goal.baseline.performance, i),
                satisfaction: moved(goal.baseline.satisfaction, i + 1),
                words: "Het gaat de goede kant op.".into(),
                decision: "continue".into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let evaluation = input
        .validate(&EvaluationContext {
            plan: &plan,
            trajectory_start: start,
            today,
            every_weeks: regie_domain::evaluation::DEFAULT_EVALUATION_WEEKS,
            network_member_ids: &[],
            professional_ids: &[coordinator],
        })
        .map_err(Error::Invalid)?;
    let mut after = plan.clone();
    evaluation
        .apply(&mut after)
        .map_err(|e| Error::Invalid(vec![e.field_error()]))?;
    let number = latest.number + 1;
    tx.plan_save(
        trajectory_id,
        number,
        &after,
        &evaluation.plan_reason(),
        coordinator,
        now,
    )
    .await?;
    tx.evaluation_add(trajectory_id, &evaluation, number, coordinator, now)
        .await?;
    Ok(())
}

/// The demo writes each trajectory as its coordinator would: the access rule's yes for them.
async fn as_coordinator(
    tx: &mut regie_storage::Tx,
    trajectory_id: i64,
) -> Result<regie_domain::TrajectoryAccess, Error> {
    let trajectory = tx
        .trajectory_get(trajectory_id)
        .await?
        .ok_or(Error::NotFound)?;
    let relation = regie_domain::Relation {
        coordinator: true,
        ..Default::default()
    };
    let granted = regie_domain::Permission::ChangePlan
        .grant(
            regie_domain::Role::Professional,
            relation,
            trajectory.client_id,
        )
        .map_err(|refusal| Error::Refused {
            refusal,
            client_id: Some(trajectory.client_id),
        })?;
    granted.to_trajectory(&trajectory).ok_or(Error::NotFound)
}

async fn demo_visits(
    tx: &mut regie_storage::Tx,
    index: usize,
    trajectory_id: i64,
    start: time::Date,
    now: OffsetDateTime,
) -> Result<(), Error> {
    use regie_domain::SupportLevel;
    use regie_domain::visit::{GivenSupport, OverReason, VisitContent};
    let today = regie_domain::dutch_time(now).date();
    let granted = as_coordinator(tx, trajectory_id).await?;
    let plan = tx.plan_current(&granted).await?;
    let team: Vec<(i64, Discipline)> = tx
        .core_team(&granted)
        .await?
        .iter()
        .filter_map(|m| Some((m.user_id?, m.discipline?)))
        .collect();
    if plan.agreements.is_empty() || team.len() < 2 {
        return Ok(());
    }
    // The first colleague after the coordinator is the one who visits most.
    let (carer, carer_discipline) = team[1];
    let level = |v: u8| SupportLevel::from_value(v.min(4)).unwrap_or(SupportLevel::Full);
    let mut day = start.max(today - time::Duration::days(27));
    let mut n = 0usize;
    while day <= today {
        // The carer makes every other visit; the others take turns.
        let (author, discipline) = if n.is_multiple_of(2) {
            team[1]
        } else {
            let others: Vec<&(i64, Discipline)> = team
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, m)| m)
                .collect();
            *others[(n / 2) % others.len()]
        };
        let recent = (today - day).whole_days() < 12;
        let given: Vec<GivenSupport> = plan
            .agreements
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let agreed = a.support.value();
                let (given, reason) = if author == carer && recent && i == 1 && index % 2 == 1 {
                    // Taking over, out of habit or time pressure.
                    (agreed + 1, Some(OverReason::TimePressure))
                } else if author == carer
                    && recent
                    && i == 0
                    && index % 4 == 3
                    && n.is_multiple_of(4)
                {
                    // Clearly more than colleagues give.
                    (agreed + 2, Some(OverReason::ClientAsked))
                } else if agreed > 0 && n % 5 == 3 - index % 3 {
                    // The client did more than agreed.
                    (agreed - 1, None)
                } else {
                    (agreed, None)
                };
                GivenSupport {
                    activity: a.activity.clone(),
                    agreed: a.support,
                    given: level(given),
                    reason: (level(given) > a.support).then_some(reason).flatten(),
                    reason_text: None,
                }
            })
            .collect();
        let content = VisitContent {
            date: day,
            minutes: 25 + (n % 4) as u16 * 5,
            given,
            not_done: Vec::new(),
            note: None,
            success: (n % 5 == 3 - index % 3)
                .then(|| SUCCESSES[(index * 2 + n / 5) % SUCCESSES.len()].to_string()),
        };
        let discipline = if author == carer {
            carer_discipline
        } else {
            discipline
        };
        tx.visit_create(trajectory_id, author, discipline, &content, None, now)
            .await?;
        day += time::Duration::days(2);
        n += 1;
    }
    Ok(())
}
