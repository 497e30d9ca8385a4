//! Languages of kindergarten groups.

use serde::{Deserialize, Serialize};

/// The language a group is taught in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupLanguage {
    Kazakh,
    Russian,
    Mixed,
}

impl GroupLanguage {
    pub const ALL: [GroupLanguage; 3] = [Self::Kazakh, Self::Russian, Self::Mixed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Kazakh => "kk",
            Self::Russian => "ru",
            Self::Mixed => "mixed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The bit of this language in a [`LanguageSet`].
    pub fn bit(self) -> u8 {
        match self {
            Self::Kazakh => 1,
            Self::Russian => 2,
            Self::Mixed => 4,
        }
    }
}

/// The set of group languages a kindergarten offers, stored as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct LanguageSet(u8);

impl LanguageSet {
    pub fn from_bits(bits: u8) -> Self {
        LanguageSet(bits & 0b111)
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn with(self, l: GroupLanguage) -> Self {
        LanguageSet(self.0 | l.bit())
    }

    pub fn contains(self, l: GroupLanguage) -> bool {
        self.0 & l.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = GroupLanguage> {
        GroupLanguage::ALL
            .into_iter()
            .filter(move |l| self.contains(*l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let s = LanguageSet::default()
            .with(GroupLanguage::Kazakh)
            .with(GroupLanguage::Mixed);
        assert!(s.contains(GroupLanguage::Kazakh));
        assert!(!s.contains(GroupLanguage::Russian));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![GroupLanguage::Kazakh, GroupLanguage::Mixed]
        );
        assert_eq!(LanguageSet::from_bits(s.bits()), s);
        assert_eq!(LanguageSet::from_bits(0xff).bits(), 7);
        for l in GroupLanguage::ALL {
            assert_eq!(GroupLanguage::from_code(l.code()), Some(l));
        }
    }
}
