//! Merging kindergartens' own queues into the city queue (issue 15), on a fresh SQLite file
//! and a fresh PostgreSQL database, with CSV files made here: duplicates across kindergartens,
//! every kind of bad row, a byte-order mark and semicolons, a dry run, a re-run, a file that
//! cannot be read; the events naming the files' SHA-256 and rows, replayed.

mod common;

use app::domain::legacy::{ImportReport, RowProblem, RowRef};
use app::engine::chain::sha256_hex;
use app::engine::{Acting, Actor};
use app::legacy::{FileError, LegacyFile};
use common::city::*;
use common::on_both;
use std::sync::Arc;
use time::macros::datetime;

const HEADER: &str = "child_iin,child_name,birth_date,parent_iin,phone1,phone2,email,\
                      applied_at,priority,source_kindergarten,district,language";

fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A row of child `n` of 2023 (parent `n`), with the fields given.
fn row(n: u16, applied: &str, priority: &str, kindergarten: i64) -> Vec<String> {
    let Actor::Parent(p) = parent(n) else {
        unreachable!()
    };
    let c = child(C2023, n);
    vec![
        c.digits(),
        "Айару Серікқызы".into(),
        c.birth_date().to_string(),
        p.digits(),
        "+7 701 123 45 67".into(),
        String::new(),
        "ana@mail.kz".into(),
        applied.into(),
        priority.into(),
        kindergarten.to_string(),
        "almaly".into(),
        "kk".into(),
    ]
}

fn with(mut fields: Vec<String>, i: usize, value: &str) -> Vec<String> {
    fields[i] = value.into();
    fields
}

fn csv(rows: &[Vec<String>], sep: &str, bom: bool) -> Vec<u8> {
    let mut text = if bom {
        "\u{feff}".to_string()
    } else {
        String::new()
    };
    text.push_str(&HEADER.replace(',', sep));
    text.push_str("\r\n");
    for r in rows {
        text.push_str(&r.join(sep));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

fn nothing() -> app::engine::ImportProgress {
    Arc::new(|_, _| {})
}

async fn import(w: &World, files: &[LegacyFile], dry_run: bool) -> ImportReport {
    w.engine
        .import_legacy(
            &Actor::Admin,
            files,
            (
                Acting {
                    by: "test",
                    reason: "",
                },
                dry_run,
            ),
            nothing(),
        )
        .await
        .expect("the import runs")
        .expect("the files are readable")
}

#[tokio::test]
async fn queues_merge_with_the_earliest_date_and_highest_class_bad_rows_alone_refused() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        // Two children already in Kezek (applied on 23 November 2026).
        let present_later = w.apply(C2023, 10, "general").await;
        let present_earlier = w.apply(C2023, 11, "general").await;
        let a = csv(
            &[
                row(1, "2024-05-01", "general", 1),
                row(2, "2024-03-01T08:30", "extraordinary", 1),
                row(10, "2023-09-01", "general", 1),
                with(row(20, "2024-01-01", "general", 1), 0, "230301400011"),
                with(row(21, "2024-01-01", "general", 1), 2, "2023-03-02"),
                with(row(22, "2024-01-01", "general", 1), 3, ""),
                with(row(23, "2024-01-01", "general", 1), 9, "77"),
            ],
            ",",
            true,
        );
        let b = csv(
            &[
                row(1, "2024-02-01T10:00:00+05:00", "general", 2),
                row(1, "2024-06-01", "primary", 1),
                row(3, "2024-04-01", "general", 2),
                row(11, "2027-01-01", "general", 2),
                with(row(24, "2024-01-01", "general", 2), 7, "2023-02-30"),
                with(row(25, "2024-01-01", "general", 2), 4, "+7 727 250 00 00"),
                with(row(26, "2024-01-01", "general", 2), 8, "veteran"),
                row(11, "2030-01-01", "general", 3),
            ],
            ";",
            false,
        );
        let files = || {
            vec![
                LegacyFile {
                    name: "kg1.csv".into(),
                    bytes: a.clone(),
                },
                LegacyFile {
                    name: "kg2.csv".into(),
                    bytes: b.clone(),
                },
            ]
        };
        let count = |t: &'static str| {
            let w = &w;
            async move { w.int(&format!("SELECT COUNT(*) FROM {t}")).await }
        };
        let (apps, events) = (count("applications").await, count("events").await);

        // A dry run says what would happen and changes nothing.
        let dry = import(&w, &files(), true).await;
        assert!(dry.dry_run && dry.import_id.is_none());
        assert_eq!((dry.imported, dry.already_present), (3, 1));
        assert_eq!(count("applications").await, apps);
        assert_eq!(count("events").await, events);
        assert_eq!(count("legacy_imports").await, 0);

        let r = import(&w, &files(), false).await;
        assert!(!r.dry_run && r.import_id.is_some());
        assert_eq!(r.rows_read, 15);
        assert_eq!(r.files[0].sha256, sha256_hex(&a));
        let refused: Vec<(RowProblem, Vec<RowRef>)> =
            r.refused.iter().map(|x| (x.problem, x.rows.clone())).collect();
        let at = |file, line| RowRef { file, line };
        assert_eq!(
            refused,
            vec![
                (RowProblem::ChildIin, vec![at(0, 5)]),
                (RowProblem::BirthDate, vec![at(0, 6)]),
                (RowProblem::ParentIinMissing, vec![at(0, 7)]),
                (RowProblem::AppliedAt, vec![at(1, 5), at(1, 6), at(1, 9)]),
                (RowProblem::Priority, vec![at(1, 8)]),
                (RowProblem::UnknownKindergarten, vec![at(0, 8)]),
                (RowProblem::Phone1, vec![at(1, 7)]),
            ]
        );
        assert_eq!(r.rows_refused, 9);
        // Children 1 (three rows), 2, 3 are new; 10 is present and moves earlier; 11's only
        // good row... is in the future: refused, so 11 is not in the files at all.
        assert_eq!((r.children, r.imported), (4, 3));
        assert_eq!((r.already_present, r.moved_earlier), (1, 1));
        assert_eq!(r.duplicate_rows, 2);
        assert_eq!(r.merged.len(), 1);
        let merged = &r.merged[0];
        assert_eq!(merged.kindergartens, vec![1, 2]);
        assert_eq!(merged.rows, vec![at(0, 2), at(1, 2), at(1, 3)]);
        let one = merged.public_no.clone().expect("a number for the new child");
        // The earliest date (kg2's) and the highest class (kg1's second row) win.
        let of = |col: &str| format!("SELECT {col} FROM applications WHERE public_no = '{one}'");
        let applied = w.int(&of("applied_at")).await;
        let priority = w.int(&of("CAST(priority AS BIGINT)")).await;
        assert_eq!(applied, ms(datetime!(2024-02-01 10:00 +5)));
        assert_eq!(priority, 1, "primary");
        // The privileged children are listed for the department to confirm.
        let to_confirm: Vec<&str> = r
            .privileges_to_confirm
            .iter()
            .map(|p| p.priority.as_str())
            .collect();
        assert_eq!(to_confirm, vec!["primary", "extraordinary"], "in queue order");
        // Child 10 keeps the files' earlier date; child 11 is untouched.
        let date_of = |no: String| {
            let w = &w;
            async move {
                w.int(&format!(
                    "SELECT applied_at FROM applications WHERE public_no = '{no}'"
                ))
                .await
            }
        };
        assert_eq!(date_of(present_later.clone()).await, ms(datetime!(2023-09-01 00:00 +5)));
        assert_eq!(date_of(present_earlier.clone()).await, MONDAY_9AM + 2);

        // Every application entered or moved has an event naming the files and rows.
        let sources = w
            .strings(&format!(
                "SELECT body FROM events WHERE kind = 'application.imported' AND body LIKE '%{one}%'"
            ))
            .await;
        let body: serde_json::Value = serde_json::from_str(&sources[0]).unwrap();
        assert_eq!(body["source"][0]["file"], sha256_hex(&a));
        assert_eq!(body["source"][0]["line"], 2);
        assert_eq!(body["source"][1]["file"], sha256_hex(&b));
        assert_eq!(body["import"], r.import_id.unwrap());
        assert!(!sources[0].contains(&child(C2023, 1).digits()), "no IIN in the log");
        assert_eq!(count("events").await, events + 3 + 1 + 1);
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE kind = 'application.redated'")
                .await,
            1
        );
        // The log still replays without a finding, and the chain holds.
        w.replays_clean().await;

        // The same files again: nothing imported twice, and the report says so.
        let again = import(&w, &files(), false).await;
        assert_eq!((again.imported, again.moved_earlier), (0, 0));
        assert_eq!(again.already_present, 4);
        assert!(again.files.iter().all(|f| f.imported_before.is_some()));
        assert!(again.import_id.is_none());
        assert_eq!(count("applications").await, apps + 3);
        assert_eq!(count("legacy_imports").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_file_that_cannot_be_read_imports_nothing_and_only_the_department_may_import() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let good = csv(&[row(1, "2024-05-01", "general", 1)], ",", false);
        let mut cp1251 = csv(&[row(2, "2024-05-01", "general", 1)], ",", false);
        cp1251.extend_from_slice(b"\xc0\xe9\xe3\xe5\xf0\xe8\xec\r\n");
        let files = vec![
            LegacyFile {
                name: "good.csv".into(),
                bytes: good.clone(),
            },
            LegacyFile {
                name: "windows.csv".into(),
                bytes: cp1251,
            },
        ];
        let result = w
            .engine
            .import_legacy(
                &Actor::Admin,
                &files,
                (
                    Acting {
                        by: "test",
                        reason: "",
                    },
                    false,
                ),
                nothing(),
            )
            .await
            .unwrap();
        assert!(
            matches!(&result, Err(FileError::Unreadable { file, .. }) if file == "windows.csv"),
            "{result:?}"
        );
        assert_eq!(w.int("SELECT COUNT(*) FROM applications").await, 0);
        let short = vec![LegacyFile {
            name: "short.csv".into(),
            bytes: b"child_iin;child_name\r\n1;2\r\n".to_vec(),
        }];
        let result = w
            .engine
            .import_legacy(
                &Actor::Admin,
                &short,
                (
                    Acting {
                        by: "test",
                        reason: "",
                    },
                    false,
                ),
                nothing(),
            )
            .await
            .unwrap();
        assert!(matches!(result, Err(FileError::Columns { .. })));
        // A parent or a head cannot import.
        for actor in [parent(1), Actor::Head { kindergarten_id: 1 }] {
            let good = vec![LegacyFile {
                name: "good.csv".into(),
                bytes: good.clone(),
            }];
            assert_eq!(
                refusal(
                    w.engine
                        .import_legacy(
                            &actor,
                            &good,
                            (
                                Acting {
                                    by: "test",
                                    reason: ""
                                },
                                false
                            ),
                            nothing()
                        )
                        .await
                ),
                app::error::AppError::Forbidden
            );
        }
        assert_eq!(w.int("SELECT COUNT(*) FROM applications").await, 0);
    })
    .await;
}
