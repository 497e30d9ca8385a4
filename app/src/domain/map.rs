//! The live map: the kindergartens of the unified queue with their free seats per birth-year
//! cohort, the map's filter, and the seat counts the live stream (`/events`) carries. Nothing
//! here is personal: a map shows places and numbers of seats, never a child.

use super::{District, GroupLanguage, LanguageSet};
use serde::{Deserialize, Serialize};

/// One kindergarten on the map, named in the language of the page that asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPlace {
    pub id: i64,
    pub number: i32,
    pub name: String,
    pub address: String,
    pub district: District,
    pub lat: f64,
    pub lon: f64,
    pub languages: LanguageSet,
    /// Free seats of each age group it has, by birth year: `(cohort, free)`, oldest first.
    pub seats: Vec<(i32, i64)>,
}

/// One kindergarten's free seats now, as the live stream sends them (same order as
/// [`MapPlace::seats`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCounts {
    pub id: i64,
    pub seats: Vec<(i32, i64)>,
}

/// What a map page needs: the places, the cohorts they have groups for, today's date (for the
/// age groups' names) and where map tiles come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MapData {
    pub places: Vec<MapPlace>,
    pub cohorts: Vec<i32>,
    /// Today in Almaty, ISO.
    pub today: String,
    pub tiles: MapTiles,
}

/// The tile layer under the markers: a URL template (`{z}/{x}/{y}`) and its attribution. An
/// empty URL means no tiles: the markers on a plain background.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MapTiles {
    pub url: String,
    pub attribution: String,
}

/// Which places a map shows and which seats count: a birth year (none: any age group), a
/// district, a group language. Parsed from the page's query; anything unknown is "any".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapFilter {
    pub cohort: Option<i32>,
    pub district: Option<District>,
    pub language: Option<GroupLanguage>,
}

impl MapFilter {
    pub fn parse(cohort: &str, district: &str, language: &str) -> MapFilter {
        MapFilter {
            cohort: cohort
                .trim()
                .parse()
                .ok()
                .filter(|y| (1990..=2100).contains(y)),
            district: District::from_code(district.trim()),
            language: GroupLanguage::from_code(language.trim()),
        }
    }

    /// Whether `place` is on the map at all (its district and language).
    pub fn shows(&self, place: &MapPlace) -> bool {
        self.district.is_none_or(|d| place.district == d)
            && self.language.is_none_or(|l| place.languages.contains(l))
    }

    /// The free seats that count for this filter: the cohort's, or all age groups'.
    pub fn free(&self, place: &MapPlace) -> i64 {
        place
            .seats
            .iter()
            .filter(|(c, _)| self.cohort.is_none_or(|want| *c == want))
            .map(|(_, n)| *n)
            .sum()
    }

    /// The places shown, with the free seats that count; the ones with seats first (by
    /// district, then number), then the rest.
    pub fn apply<'a>(&self, places: &'a [MapPlace]) -> Vec<(&'a MapPlace, i64)> {
        let mut out: Vec<_> = places
            .iter()
            .filter(|p| self.shows(p))
            .map(|p| (p, self.free(p)))
            .collect();
        out.sort_by_key(|(p, free)| (*free == 0, p.district, p.number));
        out
    }
}

impl MapData {
    /// Takes the counts of a live update into the places it names (others are left alone).
    pub fn update(&mut self, counts: &[SeatCounts]) -> bool {
        let mut changed = false;
        for c in counts {
            if let Some(p) = self.places.iter_mut().find(|p| p.id == c.id) {
                if p.seats != c.seats {
                    p.seats = c.seats.clone();
                    changed = true;
                }
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(
        id: i64,
        district: District,
        langs: &[GroupLanguage],
        seats: &[(i32, i64)],
    ) -> MapPlace {
        MapPlace {
            id,
            number: id as i32,
            name: format!("No. {id}"),
            address: String::new(),
            district,
            lat: 43.2,
            lon: 76.9,
            languages: langs.iter().fold(LanguageSet::default(), |s, l| s.with(*l)),
            seats: seats.to_vec(),
        }
    }

    #[test]
    fn the_filter_counts_the_cohorts_seats_and_shows_the_district_and_language() {
        let places = vec![
            place(
                1,
                District::Almaly,
                &[GroupLanguage::Kazakh],
                &[(2021, 0), (2022, 3)],
            ),
            place(2, District::Medeu, &[GroupLanguage::Russian], &[(2021, 2)]),
            place(
                3,
                District::Almaly,
                &[GroupLanguage::Russian, GroupLanguage::Kazakh],
                &[(2021, 1)],
            ),
        ];
        let any = MapFilter::parse("", "", "");
        assert_eq!(any, MapFilter::default());
        let all: Vec<_> = any.apply(&places).iter().map(|(p, f)| (p.id, *f)).collect();
        // With seats first, by district (Almaly before Medeu) and number.
        assert_eq!(all, vec![(1, 3), (3, 1), (2, 2)]);

        let y2021 = MapFilter::parse("2021", "", "");
        let shown: Vec<_> = y2021
            .apply(&places)
            .iter()
            .map(|(p, f)| (p.id, *f))
            .collect();
        assert_eq!(shown, vec![(3, 1), (2, 2), (1, 0)]);

        let kk_almaly = MapFilter::parse("2022", "almaly", "kk");
        let shown: Vec<_> = kk_almaly
            .apply(&places)
            .iter()
            .map(|(p, f)| (p.id, *f))
            .collect();
        assert_eq!(shown, vec![(1, 3), (3, 0)]);

        // Nonsense is "any", never an error.
        assert_eq!(MapFilter::parse("20x1", "mars", "fr"), MapFilter::default());
        assert_eq!(MapFilter::parse("1200", "", "").cohort, None);
    }

    #[test]
    fn a_live_update_changes_only_the_places_it_names() {
        let mut data = MapData {
            places: vec![
                place(1, District::Almaly, &[GroupLanguage::Kazakh], &[(2021, 0)]),
                place(2, District::Medeu, &[GroupLanguage::Russian], &[(2021, 2)]),
            ],
            ..Default::default()
        };
        let same = SeatCounts {
            id: 2,
            seats: vec![(2021, 2)],
        };
        assert!(!data.update(std::slice::from_ref(&same)));
        let posted = SeatCounts {
            id: 1,
            seats: vec![(2021, 4)],
        };
        let unknown = SeatCounts {
            id: 9,
            seats: vec![(2021, 1)],
        };
        assert!(data.update(&[posted, unknown]));
        assert_eq!(data.places[0].seats, vec![(2021, 4)]);
        assert_eq!(data.places[1].seats, vec![(2021, 2)]);
    }
}
