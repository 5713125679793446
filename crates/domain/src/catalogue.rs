//! The catalogues a plan draws on: interventions (seed 004's three categories, tagged with the
//! working elements of seed 002) and aids (hulpmiddelen, seed 000 challenge 4). We ship a
//! starter set of both; an administrator adds to them and retires entries, which stay readable
//! in the plans that used them.

use crate::validation::{FieldError, collect, text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionCategory {
    /// Bewustwording en bekrachtiging
    Awareness,
    /// (Her)leren van vaardigheden
    Skills,
    /// Compensatiestrategieën
    Compensation,
}

impl InterventionCategory {
    pub const ALL: [InterventionCategory; 3] = [
        InterventionCategory::Awareness,
        InterventionCategory::Skills,
        InterventionCategory::Compensation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InterventionCategory::Awareness => "awareness",
            InterventionCategory::Skills => "skills",
            InterventionCategory::Compensation => "compensation",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or(FieldError::new("category", "error-choice-unknown"))
    }
}

/// The working elements of self-direction (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkingElement {
    /// Eigenaarschap: autonomie, maatwerk, reflectie
    Ownership,
    /// Eigen kracht: krachten centraal, zelfrespect, vaardigheden trainen, informatie en educatie
    OwnStrength,
    /// Motivatie: aansluiten bij motivatie, positieve doelen
    Motivation,
    /// Contacten: netwerk betrekken, bemiddeling
    Contacts,
}

impl WorkingElement {
    pub const ALL: [WorkingElement; 4] = [
        WorkingElement::Ownership,
        WorkingElement::OwnStrength,
        WorkingElement::Motivation,
        WorkingElement::Contacts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkingElement::Ownership => "ownership",
            WorkingElement::OwnStrength => "own_strength",
            WorkingElement::Motivation => "motivation",
            WorkingElement::Contacts => "contacts",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or(FieldError::new("working_elements", "error-choice-unknown"))
    }

    /// Parses a stored comma-separated list, skipping what is not (or no longer) known.
    pub fn parse_list(stored: &str) -> Vec<WorkingElement> {
        stored
            .split(',')
            .filter_map(|v| WorkingElement::parse(v.trim()).ok())
            .collect()
    }

    pub fn join(elements: &[WorkingElement]) -> String {
        elements
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// An intervention entry in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionEntry {
    pub key: String,
    pub category: InterventionCategory,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub working_elements: Vec<WorkingElement>,
}

/// An aid (hulpmiddel) entry in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidEntry {
    pub key: String,
    pub category: String,
    pub name_nl: String,
    pub name_en: String,
    /// Daily-activity item keys this aid helps with.
    pub activities: Vec<String>,
    pub description_nl: String,
    pub description_en: String,
    pub source_nl: String,
    pub source_en: String,
}

/// Picks the English text when asked and present, else the Dutch one.
pub fn localised<'a>(language: crate::Language, nl: &'a str, en: &'a str) -> &'a str {
    if language == crate::Language::En && !en.trim().is_empty() {
        en
    } else {
        nl
    }
}

use InterventionCategory::{Awareness, Compensation, Skills};
use WorkingElement::{Contacts, Motivation, OwnStrength, Ownership};

type StarterIntervention = (
    &'static str,
    InterventionCategory,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [WorkingElement],
);

/// Our starter set: the techniques seed 004 lists, in our own words.
const STARTER_INTERVENTIONS: &[StarterIntervention] = &[
    (
        "educatie",
        Awareness,
        "Educatie",
        "Education",
        "Uitleg over de aandoening, het herstel en wat de cliënt zelf kan doen.",
        "Explaining the condition, recovery and what the client can do themselves.",
        &[OwnStrength],
    ),
    (
        "positieve-bekrachtiging",
        Awareness,
        "Positieve bekrachtiging en feedback",
        "Positive reinforcement and feedback",
        "Benoemen wat lukt, elk klein succes.",
        "Naming what works, every small success.",
        &[Motivation, OwnStrength],
    ),
    (
        "motiverende-gespreksvoering",
        Awareness,
        "Motiverende gespreksvoering",
        "Motivational interviewing",
        "Gesprek dat aansluit bij wat de cliënt zelf wil en waarom.",
        "Conversation that builds on what the client wants and why.",
        &[Motivation, Ownership],
    ),
    (
        "doelstelling-en-planning",
        Awareness,
        "Doelstelling en planning",
        "Goal setting and planning",
        "Samen kleine, haalbare stappen naar het doel plannen.",
        "Planning small, achievable steps towards the goal together.",
        &[Ownership, Motivation],
    ),
    (
        "zelfmonitoring",
        Awareness,
        "Zelfmonitoring en reflectie",
        "Self-monitoring and reflection",
        "De cliënt houdt zelf bij hoe het gaat en kijkt terug.",
        "The client keeps track of progress and reflects on it.",
        &[Ownership],
    ),
    (
        "geheugentraining",
        Skills,
        "Geheugentraining",
        "Memory training",
        "Oefenen met geheugensteuntjes en vaste routines.",
        "Practising memory aids and fixed routines.",
        &[OwnStrength],
    ),
    (
        "valpreventie",
        Skills,
        "Valpreventie",
        "Fall prevention",
        "Oefeningen voor balans en kracht, en veilig bewegen in huis.",
        "Balance and strength exercises, and moving safely at home.",
        &[OwnStrength],
    ),
    (
        "beweegprogramma",
        Skills,
        "Beweegprogramma",
        "Exercise programme",
        "Een beweegprogramma op maat, thuis of in de buurt.",
        "A tailored exercise programme, at home or nearby.",
        &[OwnStrength, Motivation],
    ),
    (
        "coping",
        Skills,
        "Omgaan met stress en emoties",
        "Coping with stress and emotions",
        "Leren omgaan met zorgen, angst of somberheid.",
        "Learning to deal with worry, fear or low mood.",
        &[OwnStrength, Ownership],
    ),
    (
        "contacten",
        Skills,
        "Contacten maken en onderhouden",
        "Making and keeping contacts",
        "Het netwerk betrekken, contact leggen met buurt of vereniging.",
        "Involving the network, connecting with the neighbourhood or a club.",
        &[Contacts],
    ),
    (
        "hulpmiddelen",
        Compensation,
        "Hulpmiddelen adviseren en aanleren",
        "Advising on and teaching aids",
        "Een passend hulpmiddel kiezen en leren gebruiken.",
        "Choosing a suitable aid and learning to use it.",
        &[OwnStrength],
    ),
    (
        "taak-of-omgeving-aanpassen",
        Compensation,
        "Taak of omgeving aanpassen",
        "Adapting the task or environment",
        "De taak anders indelen of het huis aanpassen zodat het zelf lukt.",
        "Organising the task differently or adapting the home so it can be done alone.",
        &[Ownership, OwnStrength],
    ),
    (
        "balans-belasting",
        Compensation,
        "Balans belasting en belastbaarheid",
        "Balancing load and capacity",
        "Activiteiten over de dag verdelen en rust inplannen.",
        "Spreading activities over the day and planning rest.",
        &[Ownership],
    ),
    (
        "zelfmanagement",
        Compensation,
        "Zelfmanagement",
        "Self-management",
        "De cliënt regelt zelf wat kan, met de regie in eigen hand.",
        "The client arranges what they can, staying in charge.",
        &[Ownership, OwnStrength],
    ),
];

pub fn starter_interventions() -> Vec<InterventionEntry> {
    STARTER_INTERVENTIONS
        .iter()
        .map(
            |(key, category, nl, en, dnl, den, elements)| InterventionEntry {
                key: (*key).into(),
                category: *category,
                name_nl: (*nl).into(),
                name_en: (*en).into(),
                description_nl: (*dnl).into(),
                description_en: (*den).into(),
                working_elements: elements.to_vec(),
            },
        )
        .collect()
}

type StarterAid = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

const WMO: &str = "Via de Wmo van de gemeente";
const SHOP: &str = "Zelf kopen (thuiszorgwinkel, drogist)";
const LOAN: &str = "Lenen of huren bij de thuiszorgwinkel";
const INSURER: &str = "Via de zorgverzekeraar (na advies)";

/// Our starter set of aids: key, category, names, activities, descriptions, where to get it.
const STARTER_AIDS: &[StarterAid] = &[
    (
        "douchestoel",
        "badkamer",
        "Douchestoel",
        "Shower chair",
        &["wassen"],
        "Zittend douchen: minder vermoeiend en veiliger.",
        "Showering seated: less tiring and safer.",
        LOAN,
    ),
    (
        "wandbeugel",
        "badkamer",
        "Wandbeugel",
        "Grab rail",
        &["wassen", "toiletgang", "transfers"],
        "Steun bij opstaan, gaan zitten en in de douche.",
        "Support when standing up, sitting down and in the shower.",
        WMO,
    ),
    (
        "toiletverhoger",
        "badkamer",
        "Toiletverhoger",
        "Raised toilet seat",
        &["toiletgang", "transfers"],
        "Hogere zitting: makkelijker zitten en opstaan.",
        "Higher seat: easier to sit down and get up.",
        LOAN,
    ),
    (
        "badplank",
        "badkamer",
        "Badplank",
        "Bath board",
        &["wassen", "transfers"],
        "Zittend in en uit bad.",
        "Getting in and out of the bath seated.",
        SHOP,
    ),
    (
        "antislipmat",
        "badkamer",
        "Antislipmat",
        "Non-slip mat",
        &["wassen"],
        "Minder kans op uitglijden in douche of bad.",
        "Less chance of slipping in shower or bath.",
        SHOP,
    ),
    (
        "sokkenaantrekker",
        "aankleden",
        "Sokkenaantrekker",
        "Sock aid",
        &["aankleden"],
        "Sokken aantrekken zonder te bukken.",
        "Putting on socks without bending.",
        SHOP,
    ),
    (
        "lange-schoenlepel",
        "aankleden",
        "Lange schoenlepel",
        "Long shoehorn",
        &["aankleden"],
        "Schoenen aan zonder diep te bukken.",
        "Putting on shoes without bending far.",
        SHOP,
    ),
    (
        "grijptang",
        "huishouden",
        "Grijptang",
        "Reacher",
        &["aankleden", "licht-huishoudelijk-werk"],
        "Dingen oppakken van de grond of hoog uit de kast.",
        "Picking things up from the floor or a high shelf.",
        SHOP,
    ),
    (
        "rollator",
        "bewegen",
        "Rollator",
        "Rollator",
        &[
            "lopen-binnenshuis",
            "buitenshuis-verplaatsen",
            "boodschappen",
        ],
        "Steun bij lopen, met zitje en mandje.",
        "Walking support with a seat and a basket.",
        LOAN,
    ),
    (
        "keukentrolley",
        "bewegen",
        "Keukentrolley",
        "Kitchen trolley",
        &["lopen-binnenshuis", "maaltijd-bereiden", "eten-en-drinken"],
        "Veilig dingen verplaatsen in huis, met steun.",
        "Moving things safely around the home, with support.",
        SHOP,
    ),
    (
        "trapleuning",
        "bewegen",
        "Extra trapleuning",
        "Second stair rail",
        &["traplopen"],
        "Aan beide kanten steun op de trap.",
        "Support on both sides of the stairs.",
        WMO,
    ),
    (
        "aangepast-bestek",
        "eten",
        "Aangepast bestek",
        "Adapted cutlery",
        &["eten-en-drinken"],
        "Dikkere grepen, makkelijk vast te houden.",
        "Thicker handles, easy to hold.",
        SHOP,
    ),
    (
        "medicijndispenser",
        "medicatie",
        "Medicijndispenser met signaal",
        "Medication dispenser with alert",
        &["medicatie"],
        "Geeft een signaal en de juiste medicijnen op tijd.",
        "Alerts and gives the right medication on time.",
        INSURER,
    ),
    (
        "weekdoos",
        "medicatie",
        "Weekdoos voor medicijnen",
        "Weekly pill organiser",
        &["medicatie"],
        "Medicijnen per dag en moment klaarzetten.",
        "Medication set out per day and time.",
        SHOP,
    ),
    (
        "scootmobiel",
        "vervoer",
        "Scootmobiel",
        "Mobility scooter",
        &["buitenshuis-verplaatsen", "boodschappen", "vervoer"],
        "Zelf naar de winkel of op bezoek.",
        "Going to the shops or visiting on your own.",
        WMO,
    ),
    (
        "beeldbellen",
        "contact",
        "Tablet met beeldbellen",
        "Tablet with video calling",
        &["sociale-contacten"],
        "Contact met familie en vrienden; een techcoach helpt op weg.",
        "Keeping in touch with family and friends; a tech coach helps get started.",
        SHOP,
    ),
];

pub fn starter_aids() -> Vec<AidEntry> {
    let english = |source: &str| match source {
        WMO => "Through the municipality (Wmo)",
        SHOP => "Buy yourself (home-care shop, chemist)",
        LOAN => "Borrow or rent from the home-care shop",
        _ => "Through the health insurer (after advice)",
    };
    STARTER_AIDS
        .iter()
        .map(
            |(key, category, nl, en, activities, dnl, den, source)| AidEntry {
                key: (*key).into(),
                category: (*category).into(),
                name_nl: (*nl).into(),
                name_en: (*en).into(),
                activities: activities.iter().map(|a| a.to_string()).collect(),
                description_nl: (*dnl).into(),
                description_en: (*den).into(),
                source_nl: (*source).into(),
                source_en: english(source).into(),
            },
        )
        .collect()
}

/// An intervention or aid as typed by an administrator; English fields may stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueInput {
    pub name_nl: String,
    #[serde(default)]
    pub name_en: String,
    pub category: String,
    #[serde(default)]
    pub description_nl: String,
    #[serde(default)]
    pub description_en: String,
    /// Interventions: working elements. Aids: daily-activity keys.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Aids only: where to get it.
    #[serde(default)]
    pub source_nl: String,
    #[serde(default)]
    pub source_en: String,
}

/// A key for a new entry from its Dutch name ("Rollator met zitje" → "rollator-met-zitje").
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('-') && !key.is_empty() {
            key.push('-');
        }
    }
    key.trim_end_matches('-').to_string()
}

impl CatalogueInput {
    pub fn validate_intervention(&self) -> Result<InterventionEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name_nl = collect(text("name_nl", &self.name_nl, true), &mut errors).flatten();
        let name_en = collect(text("name_en", &self.name_en, false), &mut errors).flatten();
        let category = collect(InterventionCategory::parse(&self.category), &mut errors);
        let description_nl = collect(
            text("description_nl", &self.description_nl, false),
            &mut errors,
        )
        .flatten();
        let description_en = collect(
            text("description_en", &self.description_en, false),
            &mut errors,
        )
        .flatten();
        let mut elements = Vec::new();
        for tag in &self.tags {
            if let Some(e) = collect(WorkingElement::parse(tag), &mut errors)
                && !elements.contains(&e)
            {
                elements.push(e);
            }
        }
        match (name_nl, category) {
            (Some(name_nl), Some(category)) if errors.is_empty() => Ok(InterventionEntry {
                key: key_from_name(&name_nl),
                category,
                name_nl,
                name_en: name_en.unwrap_or_default(),
                description_nl: description_nl.unwrap_or_default(),
                description_en: description_en.unwrap_or_default(),
                working_elements: elements,
            }),
            _ => Err(errors),
        }
    }

    /// Checks an aid; `activities` are the daily-activity keys it may be linked to.
    pub fn validate_aid(&self, activities: &[&str]) -> Result<AidEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name_nl = collect(text("name_nl", &self.name_nl, true), &mut errors).flatten();
        let name_en = collect(text("name_en", &self.name_en, false), &mut errors).flatten();
        let category = collect(text("category", &self.category, true), &mut errors).flatten();
        let description_nl = collect(
            text("description_nl", &self.description_nl, true),
            &mut errors,
        )
        .flatten();
        let description_en = collect(
            text("description_en", &self.description_en, false),
            &mut errors,
        )
        .flatten();
        let source_nl = collect(text("source_nl", &self.source_nl, false), &mut errors).flatten();
        let source_en = collect(text("source_en", &self.source_en, false), &mut errors).flatten();
        let mut linked: Vec<String> = Vec::new();
        for tag in self.tags.iter().map(|t| t.trim()) {
            if !activities.contains(&tag) {
                errors.push(FieldError::new("tags", "error-choice-unknown"));
                break;
            }
            if !linked.iter().any(|l| l == tag) {
                linked.push(tag.to_string());
            }
        }
        match (name_nl, category, description_nl) {
            (Some(name_nl), Some(category), Some(description_nl)) if errors.is_empty() => {
                Ok(AidEntry {
                    key: key_from_name(&name_nl),
                    category: category.to_lowercase(),
                    name_nl,
                    name_en: name_en.unwrap_or_default(),
                    activities: linked,
                    description_nl,
                    description_en: description_en.unwrap_or_default(),
                    source_nl: source_nl.unwrap_or_default(),
                    source_en: source_en.unwrap_or_default(),
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_catalogue_covers_every_category_and_working_element() {
        let interventions = starter_interventions();
        for category in InterventionCategory::ALL {
            assert!(interventions.iter().any(|i| i.category == category));
        }
        for element in WorkingElement::ALL {
            assert!(
                interventions
                    .iter()
                    .any(|i| i.working_elements.contains(&element))
            );
        }
        let mut keys: Vec<_> = interventions.iter().map(|i| &i.key).collect();
        keys.dedup();
        assert_eq!(keys.len(), interventions.len());
        let aids = starter_aids();
        assert!(aids.len() >= 12);
        assert!(
            aids.iter()
                .all(|a| !a.activities.is_empty() && !a.source_en.is_empty())
        );
    }

    #[test]
    fn keys_come_from_the_dutch_name() {
        assert_eq!(
            key_from_name("  Rollator met zitje! "),
            "rollator-met-zitje"
        );
        assert_eq!(key_from_name("Coördinatie & één"), "coordinatie-een");
    }

    #[test]
    fn an_admin_entry_needs_a_dutch_name_and_known_tags() {
        let input = CatalogueInput {
            name_nl: "Slimme deurbel".into(),
            category: "contact".into(),
            description_nl: "Zien wie er aanbelt".into(),
            tags: vec!["sociale-contacten".into()],
            ..Default::default()
        };
        let aid = input.validate_aid(&["sociale-contacten"]).unwrap();
        assert_eq!(aid.key, "slimme-deurbel");
        let wrong = CatalogueInput {
            name_nl: " ".into(),
            tags: vec!["vliegen".into()],
            ..input.clone()
        };
        let fields: Vec<_> = wrong
            .validate_aid(&["sociale-contacten"])
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name_nl", "tags"]);
        let intervention = CatalogueInput {
            category: "skills".into(),
            tags: vec!["contacts".into(), "motivation".into()],
            ..input
        }
        .validate_intervention()
        .unwrap();
        assert_eq!(
            intervention.working_elements,
            vec![WorkingElement::Contacts, WorkingElement::Motivation]
        );
    }

    #[test]
    fn english_falls_back_to_dutch() {
        assert_eq!(localised(crate::Language::En, "Rollator", ""), "Rollator");
        assert_eq!(
            localised(crate::Language::Nl, "Douchestoel", "Shower chair"),
            "Douchestoel"
        );
    }
}
