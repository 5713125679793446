//! The two user interface languages and how a request's language is chosen.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Dutch is the default: Regie is made for Dutch care teams.
    #[default]
    Nl,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Nl, Language::En];

    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Picks the supported language the browser prefers most (RFC 9110 `Accept-Language`),
    /// falling back to Dutch.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Language)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(language) = Language::parse(tag)
                && quality > 0.0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, language));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Language::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Language::En
        );
        assert_eq!(
            Language::from_accept_language("de-DE,nl;q=0.5,en;q=0.4"),
            Language::Nl
        );
        assert_eq!(Language::from_accept_language("fr, de"), Language::Nl);
        assert_eq!(
            Language::from_accept_language("en;q=0, nl;q=0.1"),
            Language::Nl
        );
        assert_eq!(Language::from_accept_language(""), Language::Nl);
        assert_eq!(
            Language::from_accept_language("nl;q=0.2,en;q=0.7"),
            Language::En
        );
    }

    #[test]
    fn codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(Language::parse(language.code()), Some(language));
        }
        assert_eq!(Language::parse("EN-us"), Some(Language::En));
        assert_eq!(Language::parse("xx"), None);
    }
}
