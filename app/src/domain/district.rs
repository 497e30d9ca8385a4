//! The eight districts of Almaty.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum District {
    Alatau,
    Almaly,
    Auezov,
    Bostandyk,
    Zhetysu,
    Medeu,
    Nauryzbay,
    Turksib,
}

impl District {
    pub const ALL: [District; 8] = [
        Self::Alatau,
        Self::Almaly,
        Self::Auezov,
        Self::Bostandyk,
        Self::Zhetysu,
        Self::Medeu,
        Self::Nauryzbay,
        Self::Turksib,
    ];

    /// Stable code used in storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Alatau => "alatau",
            Self::Almaly => "almaly",
            Self::Auezov => "auezov",
            Self::Bostandyk => "bostandyk",
            Self::Zhetysu => "zhetysu",
            Self::Medeu => "medeu",
            Self::Nauryzbay => "nauryzbay",
            Self::Turksib => "turksib",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Approximate centre (latitude, longitude) and half-extent in degrees of the built-up
    /// part of the district, used to place demo kindergartens and to centre maps.
    pub fn area(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Self::Alatau => ((43.283, 76.835), (0.030, 0.045)),
            Self::Almaly => ((43.252, 76.915), (0.015, 0.020)),
            Self::Auezov => ((43.225, 76.855), (0.020, 0.030)),
            Self::Bostandyk => ((43.205, 76.915), (0.025, 0.030)),
            Self::Zhetysu => ((43.290, 76.925), (0.020, 0.025)),
            Self::Medeu => ((43.240, 76.980), (0.025, 0.030)),
            Self::Nauryzbay => ((43.195, 76.790), (0.025, 0.035)),
            Self::Turksib => ((43.335, 76.965), (0.030, 0.035)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for d in District::ALL {
            assert_eq!(District::from_code(d.code()), Some(d));
        }
        assert_eq!(District::from_code("astana"), None);
    }

    #[test]
    fn areas_lie_in_almaty() {
        for d in District::ALL {
            let ((lat, lon), (dlat, dlon)) = d.area();
            assert!((43.1..43.45).contains(&(lat - dlat)) && (43.1..43.45).contains(&(lat + dlat)));
            assert!((76.7..77.1).contains(&(lon - dlon)) && (76.7..77.1).contains(&(lon + dlon)));
        }
    }
}
