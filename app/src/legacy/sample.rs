//! Generated legacy queues, for the import's tests and its speed figure: CSV files as
//! kindergartens would export them (some with a byte-order mark, some with semicolons), one
//! child in about ten found in a second kindergarten's queue, and one row in two hundred bad
//! in one of several ways. Deterministic for a seed.

use crate::demo::rng::Rng;
use crate::domain::{District, Iin, Sex};
use time::{Date, Duration};

/// The header every generated file starts with.
pub const HEADER: &str = "child_iin,child_name,birth_date,parent_iin,phone1,phone2,email,\
                          applied_at,priority,source_kindergarten,district,language";

const NAMES: [&str; 8] = [
    "Әлия Серікқызы",
    "Нұрсұлтан Болатұлы",
    "Анна Иванова",
    "Arman, junior",
    "Айгерім \"Ая\" Қанатқызы",
    "Тимур Ахметов",
    "Дана Ержанқызы",
    "Мирас Асқарұлы",
];

/// `rows` rows (about) over `files` files naming `kindergartens` (their numbers), children
/// born in the five years before `today`. Returns (file name, contents).
pub fn files(
    seed: u64,
    rows: usize,
    files: usize,
    kindergartens: &[i64],
    today: Date,
) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let files = files.max(1);
    let mut out: Vec<(String, String)> = (0..files)
        .map(|i| {
            let name = format!("queue-{:02}.csv", i + 1);
            let header = match i % 3 {
                0 => HEADER.to_string(),
                1 => format!("\u{feff}{HEADER}"),
                _ => HEADER.replace(',', ";"),
            };
            (name, header + "\r\n")
        })
        .collect();
    let days = 5 * 365;
    let first_birth = today - Duration::days(days);
    let (mut written, mut k) = (0usize, 0i64);
    while written < rows {
        let birth = first_birth + Duration::days(k % days);
        let sex = if k % 2 == 0 { Sex::Female } else { Sex::Male };
        let Some(child) = Iin::compose(birth, sex, (k / days) as u16 + 1) else {
            k += 1;
            continue;
        };
        // Some serials have no valid check digit: the next one does.
        let parent_birth = time::macros::date!(1985 - 01 - 01) + Duration::days(k % 3650);
        let parent = ((k / 3650) as u16 * 2 + 1..)
            .find_map(|serial| Iin::compose(parent_birth, Sex::Female, serial))
            .expect("a valid parent IIN");
        // A second kindergarten's row is a month later: room for it before yesterday.
        let lived = ((today - birth).whole_days() - 32).max(1);
        let applied = birth + Duration::days(rng.below(lived as u64) as i64);
        let copies = if rng.chance(0.1) { 2 } else { 1 };
        for copy in 0..copies {
            let kg = *rng.pick(kindergartens);
            let mut fields = vec![
                child.digits(),
                NAMES[rng.below(8) as usize].to_string(),
                if copy == 0 {
                    birth.to_string()
                } else {
                    String::new()
                },
                parent.digits(),
                format!("+7 701 {:07}", k % 10_000_000),
                if rng.chance(0.5) {
                    format!("8 (747) {:07}", (k * 7) % 10_000_000)
                } else {
                    String::new()
                },
                if rng.chance(0.5) {
                    format!("parent{k}@mail.kz")
                } else {
                    String::new()
                },
                format!(
                    "{}T{:02}:{:02}:00",
                    applied + Duration::days(i64::from(copy) * 30),
                    9 + rng.below(9),
                    rng.below(60)
                ),
                [
                    "general",
                    "general",
                    "general",
                    "general",
                    "primary",
                    "extraordinary",
                ][rng.below(6) as usize]
                    .to_string(),
                kg.to_string(),
                rng.pick(&District::ALL).code().to_string(),
                ["kk", "ru", "mixed"][rng.below(3) as usize].to_string(),
            ];
            if rng.chance(0.005) {
                spoil(&mut rng, &mut fields);
            }
            let file = (kg as usize) % files;
            let sep = if file % 3 == 2 { ';' } else { ',' };
            let line: Vec<String> = fields.into_iter().map(|f| quote(f, sep)).collect();
            out[file].1.push_str(&line.join(&sep.to_string()));
            out[file].1.push_str("\r\n");
            written += 1;
        }
        k += 1;
    }
    out
}

/// One of the mistakes real exports have.
fn spoil(rng: &mut Rng, fields: &mut [String]) {
    match rng.below(6) {
        0 => fields[0].replace_range(11..12, if fields[0].ends_with('0') { "1" } else { "0" }),
        1 => fields[2] = "2019-02-30".into(),
        2 => fields[3].clear(),
        3 => fields[4] = "+7 727 250 00 00".into(),
        4 => fields[9] = "99999".into(),
        _ => fields[7] = "2031-01-01".into(),
    }
}

fn quote(field: String, sep: char) -> String {
    if field.contains([sep, '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}
