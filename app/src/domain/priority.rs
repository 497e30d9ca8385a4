//! Priority classes of the queue (order No. 254 of 19.06.2020).

use serde::{Deserialize, Serialize};

/// Priority class of an application. The order of the variants is the queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PriorityClass {
    /// Children of military and special state bodies' staff, including those lost in service.
    Extraordinary,
    /// Orphans, children without parental care, with disabilities or special educational needs,
    /// of disabled parents, of large families, teachers' children.
    Primary,
    /// Everyone else.
    General,
}

impl PriorityClass {
    pub const ALL: [PriorityClass; 3] = [Self::Extraordinary, Self::Primary, Self::General];

    /// Stable code used in storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Extraordinary => "extraordinary",
            Self::Primary => "primary",
            Self::General => "general",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether the class belongs to the privileged list (seats go 1:3 to privileged:general).
    pub fn is_privileged(self) -> bool {
        self != Self::General
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_order_is_queue_order() {
        for p in PriorityClass::ALL {
            assert_eq!(PriorityClass::from_code(p.code()), Some(p));
        }
        assert!(PriorityClass::Extraordinary < PriorityClass::Primary);
        assert!(PriorityClass::Primary < PriorityClass::General);
        assert_eq!(PriorityClass::from_code("vip"), None);
    }
}
