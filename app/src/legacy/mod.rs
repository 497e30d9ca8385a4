//! Merging the kindergartens' own waiting lists into the city queue (issue 15): the files are
//! read and checked here, without the database; `engine::legacy` writes the result.
//!
//! One child in several rows (several kindergartens' queues, or one twice) becomes one
//! application with the earliest date and the highest priority class among its rows; its
//! name, parent and contacts come from its earliest row. A row that breaks a rule is refused
//! with its reason and the others go on. A file that cannot be read at all (not UTF-8, a
//! column missing from its header) stops the whole run before anything is written.

pub mod csv;
pub mod rows;
pub mod sample;
pub mod words;

use crate::domain::legacy::{FileSummary, RowProblem, RowRef};
use rows::LegacyRow;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// One file as given: its name (for the report) and its bytes.
pub struct LegacyFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a run cannot start (nothing is imported).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileError {
    Unreadable {
        file: String,
        why: csv::CsvError,
    },
    Columns {
        file: String,
        missing: Vec<String>,
    },
    /// The same file given twice in one run.
    Twice {
        file: String,
    },
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Unreadable { file, why } => write!(f, "{file}: {why}"),
            FileError::Columns { file, missing } => write!(
                f,
                "{file}: the header lacks the column(s) {}",
                missing.join(", ")
            ),
            FileError::Twice { file } => write!(f, "{file}: the same file is given twice"),
        }
    }
}

/// A child as the files have it after merging.
#[derive(Debug, Clone)]
pub struct PlannedChild {
    /// The earliest row's data, with the earliest date and the highest class of all its rows.
    pub row: LegacyRow,
    /// Every row of the child, with the kindergarten it came from, in file and line order.
    pub rows: Vec<(RowRef, i64)>,
}

impl PlannedChild {
    /// The distinct kindergartens (by number) whose queues held the child.
    pub fn kindergartens(&self) -> Vec<i64> {
        let mut k: Vec<i64> = self.rows.iter().map(|r| r.1).collect();
        k.sort_unstable();
        k.dedup();
        k
    }
}

/// What the files say, checked and merged.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub files: Vec<FileSummary>,
    pub rows_read: u64,
    pub refused: BTreeMap<RowProblem, Vec<RowRef>>,
    /// In queue order of the files: earliest date first (ties by IIN, so runs agree).
    pub children: Vec<PlannedChild>,
}

/// Reads, checks and merges `files`. `kindergarten_known` says whether a number exists;
/// `today` and `now` (Unix ms) are Almaty's date and the time of the run.
pub fn plan(
    files: &[LegacyFile],
    kindergarten_known: &dyn Fn(i64) -> bool,
    (today, now): (Date, i64),
) -> Result<Plan, FileError> {
    let mut plan = Plan::default();
    let mut by_child: HashMap<String, PlannedChild> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        let sha256 = crate::engine::chain::sha256_hex(&file.bytes);
        if plan.files.iter().any(|f| f.sha256 == sha256) {
            return Err(FileError::Twice {
                file: file.name.clone(),
            });
        }
        let (header, records) = csv::parse(&file.bytes).map_err(|why| FileError::Unreadable {
            file: file.name.clone(),
            why,
        })?;
        let at = rows::columns(&header).map_err(|missing| FileError::Columns {
            file: file.name.clone(),
            missing: missing.into_iter().map(String::from).collect(),
        })?;
        plan.files.push(FileSummary {
            name: file.name.clone(),
            sha256,
            rows: records.len() as u64,
            imported_before: None,
        });
        plan.rows_read += records.len() as u64;
        for record in &records {
            let place = RowRef {
                file: i,
                line: record.line,
            };
            let row = match rows::check((i, record), &at, kindergarten_known, (today, now)) {
                Ok(row) => row,
                Err(problem) => {
                    plan.refused.entry(problem).or_default().push(place);
                    continue;
                }
            };
            let from = (place, row.kindergarten);
            match by_child.entry(row.child_iin.digits()) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(PlannedChild {
                        row,
                        rows: vec![from],
                    });
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let child = o.get_mut();
                    child.rows.push(from);
                    let priority = child.row.priority.min(row.priority);
                    if row.applied_at < child.row.applied_at {
                        child.row = row;
                    }
                    child.row.priority = priority;
                }
            }
        }
    }
    plan.children = by_child.into_values().collect();
    plan.children
        .sort_by_cached_key(|c| (c.row.applied_at, c.row.child_iin.digits()));
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Iin, PriorityClass, Sex};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);
    const NOW: i64 = 1_795_000_000_000; // 2026-11-19

    fn iin(birth: Date, serial: u16) -> String {
        Iin::compose(birth, Sex::Female, serial).unwrap().digits()
    }

    fn file(name: &str, text: String) -> LegacyFile {
        LegacyFile {
            name: name.into(),
            bytes: text.into_bytes(),
        }
    }

    const HEADER: &str = "child_iin,child_name,birth_date,parent_iin,phone1,phone2,email,\
                          applied_at,priority,source_kindergarten,district,language";

    fn row(child: &str, applied: &str, priority: &str, kg: i64) -> String {
        format!(
            "{child},Әлия,,{},+77011112233,,,{applied},{priority},{kg},medeu,kk",
            iin(date!(1990 - 01 - 01), 5)
        )
    }

    #[test]
    fn one_child_in_several_queues_keeps_the_earliest_date_and_the_highest_class() {
        let child = iin(date!(2023 - 04 - 05), 1);
        let a = file(
            "a.csv",
            format!(
                "{HEADER}\n{}\n{}\n",
                row(&child, "2024-01-10", "general", 1),
                row(&iin(date!(2023 - 05 - 05), 2), "2024-02-01", "general", 1)
            ),
        );
        let b = file(
            "b.csv",
            format!("{HEADER}\n{}\n", row(&child, "2024-03-01", "primary", 2)),
        );
        let p = plan(&[a, b], &|n| n <= 2, (TODAY, NOW)).unwrap();
        assert_eq!((p.rows_read, p.children.len()), (3, 2));
        let merged = &p.children[0];
        assert_eq!(merged.row.child_iin.digits(), child);
        assert_eq!(
            merged.row.applied_at,
            rows::parse_applied_at("2024-01-10").unwrap()
        );
        assert_eq!(merged.row.priority, PriorityClass::Primary);
        assert_eq!(merged.kindergartens(), vec![1, 2]);
        assert_eq!(merged.rows[1].0, RowRef { file: 1, line: 2 });
    }

    #[test]
    fn a_file_given_twice_or_missing_a_column_stops_the_run() {
        let text = format!("{HEADER}\n");
        let twice = plan(
            &[file("a.csv", text.clone()), file("copy.csv", text)],
            &|_| true,
            (TODAY, NOW),
        );
        assert_eq!(
            twice.unwrap_err(),
            FileError::Twice {
                file: "copy.csv".into()
            }
        );
        let short = plan(
            &[file("a.csv", "child_iin,child_name\n".into())],
            &|_| true,
            (TODAY, NOW),
        );
        assert!(matches!(short, Err(FileError::Columns { .. })));
    }
}
