//! What the live map reads: the kindergartens of the unified queue with their free seats, and
//! the seat table the live stream compares against its last reading.

use super::sql::{FromRow, Row};
use super::{read_tx, Db, StoreError, StoreResult};
use crate::domain::map::{MapPlace, SeatCounts};
use crate::domain::{District, LanguageSet};
use crate::i18n::Locale;
use std::collections::BTreeMap;

/// A kindergarten of the queue as stored, both languages.
struct PlaceRow {
    id: i64,
    number: i32,
    names: [String; 2],
    addresses: [String; 2],
    district: District,
    lat: f64,
    lon: f64,
    languages: LanguageSet,
}

impl FromRow for PlaceRow {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        let district: String = r.get(6)?;
        Ok(PlaceRow {
            id: r.get(0)?,
            number: r.get(1)?,
            names: [r.get(2)?, r.get(3)?],
            addresses: [r.get(4)?, r.get(5)?],
            district: District::from_code(&district).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown district {district:?}").into())
            })?,
            lat: r.get(7)?,
            lon: r.get(8)?,
            languages: LanguageSet::from_bits(r.get::<i32>(9)? as u8),
        })
    }
}

/// Every age group's free seats of the kindergartens in the queue, by kindergarten.
pub type SeatTable = BTreeMap<i64, Vec<(i32, i64)>>;

const SEAT_TABLE: &str = "SELECT s.kindergarten_id, s.cohort, s.free FROM seats s \
     JOIN kindergartens k ON k.id = s.kindergarten_id WHERE k.in_queue \
     ORDER BY s.kindergarten_id, s.cohort";

fn seat_table(rows: Vec<(i64, i32, i64)>) -> SeatTable {
    let mut table = SeatTable::new();
    for (id, cohort, free) in rows {
        table.entry(id).or_default().push((cohort, free));
    }
    table
}

impl Db {
    /// The kindergartens of the unified queue, named in `locale`, with their free seats per
    /// age group; by number.
    pub async fn map_places(&self, locale: Locale) -> StoreResult<Vec<MapPlace>> {
        let (rows, seats) = read_tx!(self, |c| async {
            let rows: Vec<PlaceRow> = c
                .all(
                    "SELECT id, number, name_kk, name_ru, address_kk, address_ru, district, lat, \
                     lon, languages FROM kindergartens WHERE in_queue ORDER BY number",
                    &[],
                )
                .await?;
            let seats: Vec<(i64, i32, i64)> = c.all(SEAT_TABLE, &[]).await?;
            Ok::<_, StoreError>((rows, seats))
        })?;
        let mut seats = seat_table(seats);
        let i = usize::from(locale != Locale::Kk);
        Ok(rows
            .into_iter()
            .map(|r| {
                let [name_kk, name_ru] = r.names;
                let [address_kk, address_ru] = r.addresses;
                MapPlace {
                    id: r.id,
                    number: r.number,
                    name: if i == 0 { name_kk } else { name_ru },
                    address: if i == 0 { address_kk } else { address_ru },
                    district: r.district,
                    lat: (r.lat * 1e5).round() / 1e5,
                    lon: (r.lon * 1e5).round() / 1e5,
                    languages: r.languages,
                    seats: seats.remove(&r.id).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// The free seats of every age group of the queue's kindergartens (one read for the whole
    /// city, whoever is watching).
    pub async fn seat_table(&self) -> StoreResult<SeatTable> {
        read_tx!(self, |c| async {
            let rows: Vec<(i64, i32, i64)> = c.all(SEAT_TABLE, &[]).await?;
            Ok::<_, StoreError>(seat_table(rows))
        })
    }
}

/// The kindergartens whose seats differ between two readings, with their counts now.
pub fn seat_changes(before: &SeatTable, now: &SeatTable) -> Vec<SeatCounts> {
    let mut out: Vec<SeatCounts> = now
        .iter()
        .filter(|(id, seats)| before.get(id) != Some(seats))
        .map(|(id, seats)| SeatCounts {
            id: *id,
            seats: seats.clone(),
        })
        .collect();
    // A kindergarten that left the queue: no seats any more.
    out.extend(
        before
            .keys()
            .filter(|id| !now.contains_key(id))
            .map(|id| SeatCounts {
                id: *id,
                seats: Vec::new(),
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_the_kindergartens_whose_seats_moved() {
        let before = seat_table(vec![(1, 2021, 0), (1, 2022, 2), (2, 2021, 1), (3, 2020, 5)]);
        let now = seat_table(vec![(1, 2021, 1), (1, 2022, 2), (2, 2021, 1), (4, 2021, 3)]);
        let changes = seat_changes(&before, &now);
        assert_eq!(
            changes,
            vec![
                SeatCounts {
                    id: 1,
                    seats: vec![(2021, 1), (2022, 2)]
                },
                SeatCounts {
                    id: 4,
                    seats: vec![(2021, 3)]
                },
                SeatCounts {
                    id: 3,
                    seats: vec![]
                },
            ]
        );
        assert!(seat_changes(&now, &now).is_empty());
    }
}
