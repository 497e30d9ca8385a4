//! The demo city: Almaty at real scale, generated deterministically from a seed and a date.
//!
//! 685 preschool organisations in the 8 districts (470 general state kindergartens in the
//! unified queue, 17 specialized ones excluded from it, 48 state ones not yet in it and 150
//! private ones), and 64,315 waiting children with checksum-valid IINs spread over birth-year
//! cohorts, priority classes in realistic shares and application times over past years.
//! The same `(seed, today)` always gives the same city.

mod names;
pub mod rng;

use crate::domain::{
    cohort::school_year_start, Cohort, District, GroupLanguage, Iin, KindergartenKind, LanguageSet,
    Phone, PriorityClass, Sex,
};
use crate::store::{City, NewApplication, NewKindergarten};
use names::*;
pub use rng::Rng;
use std::collections::HashSet;
use time::{Date, Duration, Month};

/// The seed `kezek seed --demo` uses.
/// (The launch date of the unified queue, 25 January 2018, as digits.)
pub const DEMO_SEED: u64 = 20_180_125;

/// Sizes of the demo city (Almaty, first stage of the unified queue).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub in_queue: usize,
    pub specialized: usize,
    pub state_outside: usize,
    pub private: usize,
    pub children: usize,
}

impl Scale {
    /// Almaty at launch.
    pub const ALMATY: Scale = Scale {
        in_queue: 470,
        specialized: 17,
        state_outside: 48,
        private: 150,
        children: 64_315,
    };

    /// A town of 90 organisations and 2,000 children, for tests that need a whole city fast.
    pub const TOWN: Scale = Scale {
        in_queue: 60,
        specialized: 3,
        state_outside: 7,
        private: 20,
        children: 2_000,
    };

    pub fn organisations(&self) -> usize {
        self.in_queue + self.specialized + self.state_outside + self.private
    }
}

/// Relative number of kindergartens and families per district.
const DISTRICT_WEIGHTS: [u32; 8] = [15, 9, 18, 15, 9, 10, 9, 15];

/// Waiting children by age in years at `today` (0 = born this year), in per mille.
const AGE_WEIGHTS: [u32; 6] = [100, 240, 280, 240, 100, 40];

/// Extraordinary, primary, general, in per mille.
const PRIORITY_WEIGHTS: [u32; 3] = [15, 110, 875];

/// Kazakh only, Russian only, Kazakh and Russian, Kazakh and mixed, all three.
const LANGUAGE_SETS: [(u8, u32); 5] = [(1, 35), (2, 15), (3, 35), (5, 10), (7, 5)];

/// Wanted group language of applications: Kazakh, Russian, mixed.
const WANTED_LANGUAGE_WEIGHTS: [u32; 3] = [58, 34, 8];

/// Mobile codes in rough market shares.
const PHONE_CODES: [(u16, u32); 8] = [
    (701, 20),
    (702, 8),
    (705, 10),
    (707, 18),
    (747, 12),
    (771, 8),
    (775, 10),
    (777, 14),
];

/// Almaty's offset from UTC in milliseconds.
const ALMATY_OFFSET_MS: i64 = crate::clock::ALMATY.whole_seconds() as i64 * 1000;

/// Generates the demo city as of `today`.
pub fn generate(seed: u64, today: Date, scale: Scale) -> City {
    let mut rng = Rng::new(seed);
    let kindergartens = kindergartens(&mut rng, today, scale);
    let applications = applications(&mut rng, today, scale.children);
    City {
        kindergartens,
        applications,
    }
}

fn kindergartens(rng: &mut Rng, today: Date, scale: Scale) -> Vec<NewKindergarten> {
    let mut kinds: Vec<(KindergartenKind, bool)> = Vec::with_capacity(scale.organisations());
    kinds.extend(std::iter::repeat_n(
        (KindergartenKind::General, true),
        scale.in_queue,
    ));
    kinds.extend(std::iter::repeat_n(
        (KindergartenKind::Specialized, false),
        scale.specialized,
    ));
    kinds.extend(std::iter::repeat_n(
        (KindergartenKind::General, false),
        scale.state_outside,
    ));
    kinds.extend(std::iter::repeat_n(
        (KindergartenKind::Private, false),
        scale.private,
    ));
    rng.shuffle(&mut kinds);

    let school_year = school_year_start(today);
    // Seat posting pauses in August; otherwise some kindergartens have posted free seats.
    let posting_open = today.month() != Month::August;
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, (kind, in_queue))| {
            let number = i as i32 + 1;
            let district = District::ALL[rng.weighted(&DISTRICT_WEIGHTS)];
            let ((lat, lon), (dlat, dlon)) = district.area();
            let lat = lat + (rng.unit() * 2.0 - 1.0) * dlat;
            let lon = lon + (rng.unit() * 2.0 - 1.0) * dlon;
            let (street_kk, street_ru) = *rng.pick(streets(district));
            let house = rng.range(1, 240);
            let (name_kk, name_ru) = match kind {
                KindergartenKind::Private => {
                    let brand = rng.pick(PRIVATE_NAMES);
                    (
                        format!("«{brand}» жекеменшік балабақшасы"),
                        format!("Частный детский сад «{brand}»"),
                    )
                }
                KindergartenKind::Specialized => {
                    let (kk, ru) = rng.pick(KINDERGARTEN_NAMES);
                    (
                        format!("№{number} «{kk}» мамандандырылған бөбекжай-бақшасы"),
                        format!("Специализированный ясли-сад №{number} «{ru}»"),
                    )
                }
                KindergartenKind::General => {
                    let (kk, ru) = rng.pick(KINDERGARTEN_NAMES);
                    (
                        format!("№{number} «{kk}» бөбекжай-бақшасы"),
                        format!("Ясли-сад №{number} «{ru}»"),
                    )
                }
            };
            let sets: Vec<u32> = LANGUAGE_SETS.iter().map(|(_, w)| *w).collect();
            let languages = LanguageSet::from_bits(LANGUAGE_SETS[rng.weighted(&sets)].0);
            let has_nursery = rng.chance(0.4);
            let seats = (1..=5)
                .filter(|age| *age > 1 || has_nursery)
                .map(|age| {
                    let groups = rng.range(1, 3);
                    let capacity = groups * rng.range(20, 30);
                    // The moving part of the queue starts at age 2.
                    let free = if in_queue && posting_open && age >= 2 && rng.chance(0.12) {
                        rng.range(1, 4)
                    } else {
                        0
                    };
                    (Cohort(school_year - age), capacity, free)
                })
                .collect();
            NewKindergarten {
                id: i64::from(number),
                number,
                name_kk,
                name_ru,
                district,
                address_kk: format!("{street_kk}, {house}"),
                address_ru: format!("{street_ru}, {house}"),
                lat,
                lon,
                languages,
                kind,
                in_queue,
                seats,
            }
        })
        .collect()
}

fn days_between(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

fn unix_ms(day: Date) -> i64 {
    let epoch = Date::from_calendar_date(1970, Month::January, 1).expect("valid date");
    days_between(epoch, day) * 86_400_000
}

fn random_phone(rng: &mut Rng) -> Phone {
    let weights: Vec<u32> = PHONE_CODES.iter().map(|(_, w)| *w).collect();
    let code = PHONE_CODES[rng.weighted(&weights)].0;
    Phone::parse(&format!("8{code}{:07}", rng.below(10_000_000))).expect("generated phone is valid")
}

fn unique_iin(rng: &mut Rng, birth: Date, sex: Sex, taken: &mut HashSet<Iin>) -> Iin {
    loop {
        if let Some(iin) = Iin::compose(birth, sex, rng.below(10_000) as u16) {
            if taken.insert(iin) {
                return iin;
            }
        }
    }
}

fn applications(rng: &mut Rng, today: Date, children: usize) -> Vec<NewApplication> {
    let today_ms = unix_ms(today) - ALMATY_OFFSET_MS;
    let mut taken = HashSet::with_capacity(children * 2);
    let mut apps = Vec::with_capacity(children);
    for _ in 0..children {
        let age = rng.weighted(&AGE_WEIGHTS) as i32;
        let year = today.year() - age;
        let start = Date::from_calendar_date(year, Month::January, 1).expect("valid date");
        let end = if age == 0 {
            today - Duration::days(1)
        } else {
            Date::from_calendar_date(year, Month::December, 31).expect("valid date")
        };
        let birth = start + Duration::days(rng.range(0, days_between(start, end).max(0)));
        let sex = if rng.chance(0.51) {
            Sex::Male
        } else {
            Sex::Female
        };
        let child_iin = unique_iin(rng, birth, sex, &mut taken);
        // Most parents apply in the first year and a half; the application is in the past.
        let latest = days_between(birth, today).min(540);
        let applied_day = birth + Duration::days(rng.range(0, latest.max(0)));
        let mut applied_at =
            unix_ms(applied_day) - ALMATY_OFFSET_MS + rng.range(8 * 3_600_000, 23 * 3_600_000);
        if applied_at >= today_ms {
            applied_at = today_ms - rng.range(1, 3_600_000);
        }
        let parent_birth = Date::from_calendar_date(
            rng.range(1978, 2003) as i32,
            Month::try_from(rng.range(1, 12) as u8).expect("month"),
            rng.range(1, 28) as u8,
        )
        .expect("valid date");
        let parent_sex = if rng.chance(0.8) {
            Sex::Female
        } else {
            Sex::Male
        };
        let parent_iin = unique_iin(rng, parent_birth, parent_sex, &mut taken);
        let stem = rng.pick(SURNAME_STEMS);
        let surname = match sex {
            Sex::Female if stem.ends_with("ов") || stem.ends_with("ев") => format!("{stem}а"),
            _ => (*stem).to_owned(),
        };
        let first = match sex {
            Sex::Male => rng.pick(BOY_NAMES),
            Sex::Female => rng.pick(GIRL_NAMES),
        };
        let priority = PriorityClass::ALL[rng.weighted(&PRIORITY_WEIGHTS)];
        let phone1 = random_phone(rng);
        let phone2 = rng.chance(0.7).then(|| random_phone(rng));
        let email = rng
            .chance(0.85)
            .then(|| format!("parent{}@example.com", rng.below(1_000_000_000)));
        apps.push(NewApplication {
            id: 0,
            public_no: String::new(),
            child_iin,
            child_name: format!("{surname} {first}"),
            birth_date: birth,
            parent_iin,
            priority,
            phone1,
            phone2,
            email,
            district: District::ALL[rng.weighted(&DISTRICT_WEIGHTS)],
            language: GroupLanguage::ALL[rng.weighted(&WANTED_LANGUAGE_WEIGHTS)],
            applied_at,
        });
    }
    // Ids follow application time; public numbers are random (as the engine makes them) and
    // carry the year of application.
    apps.sort_by_key(|a| a.applied_at);
    let mut taken = std::collections::HashSet::with_capacity(apps.len());
    for (i, a) in apps.iter_mut().enumerate() {
        let y = time::OffsetDateTime::from_unix_timestamp(a.applied_at / 1000)
            .map(|t| t.to_offset(crate::clock::ALMATY).year())
            .unwrap_or(1970);
        a.id = i as i64 + 1;
        a.public_no = loop {
            let no = crate::domain::queue::application_number(y, rng.next_u64());
            if taken.insert(no.clone()) {
                break no;
            }
        };
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn small() -> Scale {
        Scale {
            in_queue: 47,
            specialized: 2,
            state_outside: 5,
            private: 15,
            children: 3_000,
        }
    }

    #[test]
    fn same_seed_same_city() {
        let a = generate(1, date!(2026 - 11 - 25), small());
        let b = generate(1, date!(2026 - 11 - 25), small());
        let c = generate(2, date!(2026 - 11 - 25), small());
        let key = |c: &City| {
            c.applications
                .iter()
                .map(|a| (a.child_iin.digits(), a.applied_at))
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&a), key(&b));
        assert_ne!(key(&a), key(&c));
        assert_eq!(a.kindergartens.len(), 69);
    }

    #[test]
    fn almaty_scale_and_rules_hold() {
        let today = date!(2026 - 11 - 25);
        let city = generate(DEMO_SEED, today, Scale::ALMATY);
        assert_eq!(city.kindergartens.len(), 685);
        assert_eq!(
            city.kindergartens.iter().filter(|k| k.in_queue).count(),
            470
        );
        assert_eq!(
            city.kindergartens
                .iter()
                .filter(|k| k.kind == KindergartenKind::Specialized)
                .count(),
            17
        );
        assert!(city
            .kindergartens
            .iter()
            .all(|k| !k.in_queue || k.kind == KindergartenKind::General));
        // Free seats only where the queue can use them.
        assert!(city
            .kindergartens
            .iter()
            .filter(|k| !k.in_queue)
            .all(|k| k.seats.iter().all(|(_, _, free)| *free == 0)));
        assert!(city
            .kindergartens
            .iter()
            .any(|k| k.seats.iter().any(|s| s.2 > 0)));

        assert_eq!(city.applications.len(), 64_315);
        let iins: HashSet<_> = city.applications.iter().map(|a| a.child_iin).collect();
        assert_eq!(iins.len(), 64_315, "child IINs are unique");
        let numbers: HashSet<_> = city.applications.iter().map(|a| &a.public_no).collect();
        assert_eq!(numbers.len(), 64_315, "public numbers are unique");
        let today_ms = unix_ms(today) - ALMATY_OFFSET_MS;
        for a in &city.applications {
            assert_eq!(a.child_iin.birth_date(), a.birth_date);
            assert!(a.birth_date < today);
            assert!(a.applied_at < today_ms);
            assert!(a.applied_at >= unix_ms(a.birth_date) - ALMATY_OFFSET_MS);
            assert!(!a.public_no.contains(&a.child_iin.digits()[..6]));
        }
        let cohorts: HashSet<_> = city
            .applications
            .iter()
            .map(|a| a.birth_date.year())
            .collect();
        assert!(cohorts.len() >= 5);
        let privileged = city
            .applications
            .iter()
            .filter(|a| a.priority.is_privileged())
            .count();
        assert!((5_000..11_000).contains(&privileged), "{privileged}");
    }
}
