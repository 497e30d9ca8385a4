//! `kezek import legacy`: the kindergartens' own queues merged into the city queue, from the
//! command line (acting as the education department), with a progress bar and the report.

use app::domain::legacy::{ImportReport, RowRef};
use app::engine::{Acting, Actor, Engine};
use app::legacy::LegacyFile;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many rows of a list the printed report shows (the JSON report has all).
const SHOWN: usize = 20;

/// Reads `paths`, imports them (or with `dry_run` only reports) for `reason`, prints the report
/// and writes it as JSON to `report_to`.
pub async fn legacy(
    engine: &Engine,
    paths: &[PathBuf],
    (dry_run, reason): (bool, &str),
    report_to: Option<&Path>,
) -> Result<(), String> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push(LegacyFile {
            name: path.display().to_string(),
            bytes,
        });
    }
    let started = std::time::Instant::now();
    let report = engine
        .import_legacy(
            &Actor::Admin,
            &files,
            (
                Acting {
                    reason: reason.trim(),
                    ..Acting::COMMAND_LINE
                },
                dry_run,
            ),
            progress(),
        )
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("nothing was imported: {e}"))?;
    // PostgreSQL: link the run's events into the chain before the process ends.
    engine.flush_events().await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    print!("{}", text(&report));
    println!("Took {:.1} s.", elapsed.as_secs_f64());
    if let Some(path) = report_to {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, json + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// A bar on a terminal; elsewhere (logs, tests) a line at every tenth.
fn progress() -> app::engine::ImportProgress {
    let terminal = std::io::stderr().is_terminal();
    let last_tenth = std::sync::atomic::AtomicU64::new(0);
    Arc::new(move |done: u64, total: u64| {
        let total = total.max(1);
        if terminal {
            let filled = (done * 30 / total) as usize;
            eprint!(
                "\rMerging [{}{}] {:>3}% {done}/{total} children",
                "#".repeat(filled),
                "-".repeat(30 - filled),
                done * 100 / total
            );
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        } else {
            let tenth = done * 10 / total;
            if tenth > last_tenth.swap(tenth, std::sync::atomic::Ordering::Relaxed) {
                eprintln!("progress: {done}/{total} children");
            }
        }
    })
}

fn rows(report: &ImportReport, rows: &[RowRef]) -> String {
    let mut shown: Vec<String> = rows
        .iter()
        .take(SHOWN)
        .map(|r| format!("{}:{}", report.files[r.file].name, r.line))
        .collect();
    if rows.len() > SHOWN {
        shown.push(format!("and {} more", rows.len() - SHOWN));
    }
    shown.join(", ")
}

/// The report for a person to read.
pub fn text(r: &ImportReport) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(if r.dry_run {
        "Legacy import, dry run: nothing was changed.".into()
    } else {
        match r.import_id {
            Some(id) => format!("Legacy import No. {id}."),
            None => "Legacy import: nothing to change.".into(),
        }
    });
    for f in &r.files {
        let before = f.imported_before.map_or(String::new(), |at| {
            format!(" (imported before, {})", app::i18n::when(at))
        });
        line(format!(
            "  {}: {} rows, SHA-256 {}{before}",
            f.name, f.rows, f.sha256
        ));
    }
    line(format!("Rows read: {}", r.rows_read));
    line(format!(
        "Children in the rows accepted: {} ({} duplicate rows merged)",
        r.children, r.duplicate_rows
    ));
    line(format!(
        "{}: {}",
        if r.dry_run { "To import" } else { "Imported" },
        r.imported
    ));
    line(format!(
        "Already in Kezek: {} ({} given the files' earlier date)",
        r.already_present, r.moved_earlier
    ));
    if r.already_closed > 0 {
        line(format!(
            "Enrolled or withdrawn in Kezek, left as they are: {}",
            r.already_closed
        ));
    }
    if r.imported == 0 && r.moved_earlier == 0 && r.children > 0 {
        line("Nothing imported twice: every child of these files is already in Kezek.".into());
    }
    line(format!("Rows refused: {}", r.rows_refused));
    for refusal in &r.refused {
        line(format!(
            "  {} ({}): {} row(s): {}",
            refusal.problem.english(),
            serde_json::to_value(refusal.problem).unwrap_or_default(),
            refusal.rows.len(),
            rows(r, &refusal.rows)
        ));
    }
    if !r.merged.is_empty() {
        line(format!(
            "Children merged from several rows: {}",
            r.merged.len()
        ));
        for m in r.merged.iter().take(SHOWN) {
            let k: Vec<String> = m.kindergartens.iter().map(|k| format!("No. {k}")).collect();
            line(format!(
                "  {}: kindergartens {}; rows {}",
                m.public_no.as_deref().unwrap_or("(new)"),
                k.join(", "),
                rows(r, &m.rows)
            ));
        }
    }
    if !r.privileges_to_confirm.is_empty() {
        line(format!(
            "Privileges to confirm (the document is needed): {}",
            r.privileges_to_confirm.len()
        ));
        for p in r.privileges_to_confirm.iter().take(SHOWN) {
            line(format!(
                "  {} {}: rows {}",
                p.public_no.as_deref().unwrap_or("(new)"),
                p.priority,
                rows(r, &p.rows)
            ));
        }
    }
    if r.merged.len() > SHOWN || r.privileges_to_confirm.len() > SHOWN {
        line("(Lists are cut at 20; --report FILE.json has all of them.)".into());
    }
    out
}

/// Writes generated legacy queues naming the city's kindergartens into `out` (for the import's
/// speed figure: `time kezek import legacy out/*.csv`).
pub async fn write_sample(
    engine: &Engine,
    (rows, files, seed): (usize, usize, u64),
    out: &Path,
) -> Result<(), String> {
    let numbers = engine
        .kindergarten_numbers()
        .await
        .map_err(|e| e.to_string())?;
    if numbers.is_empty() {
        return Err("the database has no kindergartens (load the demo city first)".into());
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let today = app::clock::almaty_today();
    for (name, text) in app::legacy::sample::files(seed, rows, files, &numbers, today) {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!(
        "{rows} rows in {files} files in {}; now: time kezek import legacy {}/*.csv",
        out.display(),
        out.display()
    );
    Ok(())
}
