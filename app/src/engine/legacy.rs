//! The legacy import's database steps (issue 15): the merged children of a [`Plan`] against
//! the queue, in one transaction. A child Kezek does not know enters the queue at the files'
//! date; a child with an open application keeps the earlier of its date and the files'; a child
//! whose application is closed (enrolled, withdrawn) is left alone. Every application entered
//! or moved has an event naming the files' SHA-256 and the rows, and the run one of its own.
//! A dry run reads the same and writes nothing.

use super::error::EngineResult;
use super::events;
use super::positions::queue_change;
use super::rows::{AppRow, APP_COLUMNS};
use super::{Acting, Ctx};
use crate::domain::legacy::{ImportReport, Merged, Privilege, Refusals};
use crate::domain::queue::{application_number, AppStatus};
use crate::error::AppError;
use crate::legacy::{Plan, PlannedChild};
use crate::store::sql::{Sql, Val};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How far a run has come: children done, of all.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// What becomes of one child.
enum Fate {
    New,
    /// An open application whose date moves earlier (from, to).
    Earlier(AppRow),
    Present(AppRow),
    Closed,
}

/// The numbers of the city's kindergartens (rows name theirs).
pub async fn kindergarten_numbers(c: &mut dyn Sql) -> EngineResult<HashSet<i64>> {
    let rows: Vec<(i64,)> = c.all("SELECT number FROM kindergartens", &[]).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The rows of a child, as the report and the events name them.
fn sources(plan: &Plan, child: &PlannedChild) -> serde_json::Value {
    let rows: Vec<_> = child
        .rows
        .iter()
        .map(|(r, k)| json!({"file": plan.files[r.file].sha256, "line": r.line, "kindergarten": k}))
        .collect();
    json!(rows)
}

/// Runs the plan: writes it when `write`, or only reports (a dry run).
pub async fn run(
    c: &mut dyn Sql,
    ctx: &Ctx,
    plan: &Plan,
    (acting, write): (Acting<'_>, bool),
    progress: Progress,
) -> EngineResult<ImportReport> {
    let mut report = ImportReport {
        dry_run: !write,
        files: plan.files.clone(),
        rows_read: plan.rows_read,
        rows_refused: plan.refused.values().map(|r| r.len() as u64).sum(),
        children: plan.children.len() as u64,
        refused: plan
            .refused
            .iter()
            .map(|(problem, rows)| Refusals {
                problem: *problem,
                rows: rows.clone(),
            })
            .collect(),
        ..Default::default()
    };
    let before: Vec<(String, i64)> = c
        .all(
            "SELECT f.sha256, i.at FROM legacy_files f JOIN legacy_imports i ON i.id = f.import_id",
            &[],
        )
        .await?;
    let before: HashMap<String, i64> = before.into_iter().collect();
    for f in &mut report.files {
        f.imported_before = before.get(&f.sha256).copied();
    }
    // Every application the city has: children by IIN (an open one first), numbers in use.
    let all: Vec<AppRow> = c
        .all(&format!("SELECT {APP_COLUMNS} FROM applications a"), &[])
        .await?;
    let mut numbers: HashSet<String> = HashSet::with_capacity(all.len() + plan.children.len());
    let mut known: HashMap<String, AppRow> = HashMap::with_capacity(all.len());
    for a in all {
        numbers.insert(a.public_no.clone());
        let open = |a: &AppRow| a.status.is_open();
        match known.get(&a.child_iin) {
            Some(k) if open(k) || !open(&a) => {}
            _ => {
                known.insert(a.child_iin.clone(), a);
            }
        }
    }
    let import_id = if write {
        let id: i64 = c
            .scalar(
                "INSERT INTO legacy_imports (at, by_whom, report) VALUES ($1, $2, '{}') \
                 RETURNING id",
                &[ctx.now.into(), acting.by.into()],
            )
            .await?;
        Some(id)
    } else {
        None
    };
    report.import_id = import_id;
    let total = plan.children.len() as u64;
    let mut pending: Vec<(&PlannedChild, String)> = Vec::with_capacity(BATCH);
    for (done, child) in plan.children.iter().enumerate() {
        let fate = match known.remove(&child.row.child_iin.digits()) {
            None => Fate::New,
            Some(a) if !a.status.is_open() => Fate::Closed,
            Some(a) if child.row.applied_at < a.applied_at => Fate::Earlier(a),
            Some(a) => Fate::Present(a),
        };
        let is_new = matches!(fate, Fate::New);
        let public_no = match fate {
            Fate::New if write => {
                let no = new_number(ctx, &mut numbers)?;
                pending.push((child, no.clone()));
                if pending.len() == BATCH {
                    insert(c, ctx, plan, &std::mem::take(&mut pending), import_id).await?;
                }
                Some(no)
            }
            Fate::New | Fate::Closed => None,
            Fate::Earlier(a) => {
                if write {
                    move_earlier(c, ctx, plan, child, (&a, import_id)).await?;
                }
                report.moved_earlier += 1;
                Some(a.public_no)
            }
            Fate::Present(a) => Some(a.public_no),
        };
        match (is_new, &public_no) {
            (true, _) => report.imported += 1,
            (false, Some(_)) => report.already_present += 1,
            (false, None) => report.already_closed += 1,
        }
        if child.rows.len() > 1 {
            report.duplicate_rows += child.rows.len() as u64 - 1;
            report.merged.push(Merged {
                public_no: public_no.clone(),
                kindergartens: child.kindergartens(),
                rows: child.rows.iter().map(|r| r.0).collect(),
            });
        }
        if is_new && child.row.priority.is_privileged() {
            report.privileges_to_confirm.push(Privilege {
                public_no,
                priority: child.row.priority.code().into(),
                rows: child.rows.iter().map(|r| r.0).collect(),
            });
        }
        if (done + 1) % 1_000 == 0 || done + 1 == plan.children.len() {
            progress(done as u64 + 1, total);
        }
    }
    insert(c, ctx, plan, &pending, import_id).await?;
    if let Some(id) = import_id {
        if report.imported + report.moved_earlier == 0 {
            // Nothing changed (the same files again): no run to remember.
            c.exec("DELETE FROM legacy_imports WHERE id = $1", &[id.into()])
                .await?;
            report.import_id = None;
        } else {
            finish(c, ctx, &report, (id, acting)).await?;
        }
    }
    Ok(report)
}

/// A public number nobody holds, from the operation's randomness.
fn new_number(ctx: &Ctx, numbers: &mut HashSet<String>) -> EngineResult<String> {
    let year = ctx.today().year();
    loop {
        let random = ctx.entropy.next_u64().map_err(|e| {
            tracing::error!(error = %e, "no randomness for a public number");
            super::error::refused(AppError::Unavailable)
        })?;
        let no = application_number(year, random);
        if numbers.insert(no.clone()) {
            return Ok(no);
        }
    }
}

/// New children written together: a statement per table per this many children. Inside the
/// import's one large transaction SQLite pays for every statement, the more the larger the
/// transaction has grown (savepoint bookkeeping): 100,000 rows took 38 s a row at a time, 15.7 s
/// 200 at a time, 4.9 s 1,000 at a time (15,000 parameters a statement, well inside both
/// databases' limits).
const BATCH: usize = 1_000;

/// `n` new application ids: from the sequence on PostgreSQL (other servers take theirs from
/// it meanwhile), after the largest on SQLite (one writer).
async fn new_ids(c: &mut dyn Sql, n: usize) -> EngineResult<Vec<i64>> {
    if c.backend() == crate::store::sql::Backend::Postgres {
        let ids: Vec<(i64,)> = c
            .all(
                "SELECT nextval('applications_id_seq') FROM generate_series(1, $1)",
                &[(n as i64).into()],
            )
            .await?;
        return Ok(ids.into_iter().map(|r| r.0).collect());
    }
    let last: i64 = c
        .scalar("SELECT COALESCE(MAX(id), 0) FROM applications", &[])
        .await?;
    Ok((1..=n as i64).map(|k| last + k).collect())
}

/// Children Kezek did not know enter the queue at the files' dates: their applications, their
/// entries in the queue's changes and their events, a statement each for all of them.
async fn insert(
    c: &mut dyn Sql,
    ctx: &Ctx,
    plan: &Plan,
    batch: &[(&PlannedChild, String)],
    import_id: Option<i64>,
) -> EngineResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let ids = new_ids(c, batch.len()).await?;
    let mut apps: Vec<Val> = Vec::with_capacity(batch.len() * 16);
    let mut changes: Vec<Val> = Vec::with_capacity(batch.len() * 6);
    let mut bodies = Vec::with_capacity(batch.len());
    for ((child, no), id) in batch.iter().zip(&ids) {
        let r = &child.row;
        let cohort = crate::domain::Cohort::of(r.birth_date).0;
        let doc = if r.priority.is_privileged() {
            let k: Vec<String> = child.kindergartens().iter().map(i64::to_string).collect();
            format!(
                "legacy queue of kindergarten No. {} (to confirm)",
                k.join(", ")
            )
        } else {
            String::new()
        };
        apps.extend([
            (*id).into(),
            no.clone().into(),
            r.child_iin.digits().into(),
            r.child_name.clone().into(),
            r.birth_date.to_string().into(),
            cohort.into(),
            r.parent_iin.digits().into(),
            (r.priority as i32).into(),
            r.phone1.e164().into(),
            r.phone2.map(|p| p.e164()).into(),
            r.email.clone().into(),
            r.district.code().into(),
            r.language.code().into(),
            r.applied_at.into(),
            doc.into(),
            // A privilege from a former queue counts as never confirmed: the department
            // confirms it before the next re-check, or it is dropped then.
            if r.priority.is_privileged() {
                Val::Int(0)
            } else {
                Val::NullInt
            },
        ]);
        // The queue's change: it entered ahead of whoever applied later.
        changes.extend([
            ctx.now.into(),
            cohort.into(),
            (r.priority as i32).into(),
            r.applied_at.into(),
            (*id).into(),
            "applied".into(),
        ]);
        let mut body = events::application_body(
            (no, *id),
            cohort,
            r.priority,
            r.applied_at,
            r.birth_date,
            false,
        );
        body["import"] = json!(import_id);
        body["source"] = sources(plan, child);
        bodies.push(("application.imported", body));
    }
    c.exec(
        &format!(
            "INSERT INTO applications (id, public_no, child_iin, child_name, birth_date, cohort, \
             parent_iin, priority, phone1, phone2, email, district, language, applied_at, \
             priority_doc, privilege_confirmed_at) VALUES {}",
            events::placeholders(batch.len(), 16)
        ),
        &apps,
    )
    .await?;
    c.exec(
        &format!(
            "INSERT INTO queue_changes (at, cohort, priority, applied_at, application_id, change) \
             VALUES {}",
            events::placeholders(batch.len(), 6)
        ),
        &changes,
    )
    .await?;
    Ok(events::append_many(c, ctx.now, &bodies).await?)
}

/// A child already waiting keeps the files' earlier date: its place moves up.
async fn move_earlier(
    c: &mut dyn Sql,
    ctx: &Ctx,
    plan: &Plan,
    child: &PlannedChild,
    (a, import_id): (&AppRow, Option<i64>),
) -> EngineResult<()> {
    let at = child.row.applied_at;
    c.exec(
        "UPDATE applications SET applied_at = $2 WHERE id = $1",
        &[a.id.into(), at.into()],
    )
    .await?;
    if a.status == AppStatus::Waiting {
        let moved = AppRow {
            applied_at: at,
            ..a.clone()
        };
        queue_change(c, ctx.now, &moved, "applied").await?;
    }
    let body = json!({
        "public_no": a.public_no,
        "applied_at": at,
        "was": a.applied_at,
        "import": import_id,
        "source": sources(plan, child),
    });
    events::append(c, ctx.now, "application.redated", body).await
}

/// The run's own record and event: the files (SHA-256 and rows) and what came of them.
async fn finish(
    c: &mut dyn Sql,
    ctx: &Ctx,
    report: &ImportReport,
    (id, acting): (i64, Acting<'_>),
) -> EngineResult<()> {
    for f in report.files.iter().filter(|f| f.imported_before.is_none()) {
        c.exec(
            "INSERT INTO legacy_files (sha256, name, import_id) VALUES ($1, $2, $3) \
             ON CONFLICT (sha256) DO NOTHING",
            &[(&f.sha256).into(), (&f.name).into(), id.into()],
        )
        .await?;
    }
    let text =
        serde_json::to_string(report).map_err(|_| super::error::refused(AppError::Internal))?;
    c.exec(
        "UPDATE legacy_imports SET report = $2 WHERE id = $1",
        &[id.into(), text.into()],
    )
    .await?;
    let files: Vec<_> = report
        .files
        .iter()
        .map(|f| json!({"sha256": f.sha256, "rows": f.rows}))
        .collect();
    let body = acting.mark(json!({
        "import": id,
        "files": files,
        "rows_read": report.rows_read,
        "rows_refused": report.rows_refused,
        "imported": report.imported,
        "moved_earlier": report.moved_earlier,
    }));
    events::append(c, ctx.now, "legacy.imported", body).await
}

impl super::Engine {
    /// The import runs that changed the queue, newest first (the department only): number,
    /// time, who ran it, and its report.
    pub async fn legacy_runs(
        &self,
        actor: &super::Actor,
    ) -> EngineResult<Vec<(i64, i64, String, ImportReport)>> {
        use super::access::{authorize, Action, Target};
        authorize(actor, Action::ImportLegacy, &Target::City)?;
        let rows: Vec<(i64, i64, String, String)> = read!(self, |c, _ctx| async {
            Ok::<_, super::EngineError>(
                c.all(
                    "SELECT id, at, by_whom, report FROM legacy_imports ORDER BY id DESC LIMIT 50",
                    &[],
                )
                .await?,
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, at, by, report)| {
                (
                    id,
                    at,
                    by,
                    serde_json::from_str(&report).unwrap_or_default(),
                )
            })
            .collect())
    }

    /// The numbers of the city's kindergartens, in order.
    pub async fn kindergarten_numbers(&self) -> EngineResult<Vec<i64>> {
        let set = read!(self, |c, _ctx| kindergarten_numbers(c))?;
        let mut numbers: Vec<i64> = set.into_iter().collect();
        numbers.sort_unstable();
        Ok(numbers)
    }

    /// Merges kindergartens' own queues into the city queue (the department; the command line
    /// acts as it): reads and checks `files`, then writes the result in one transaction, or
    /// only reports with `dry_run`. `by` names who ran it in the log (never an IIN). A file
    /// that cannot be read refuses the whole run (the inner `Err`), writing nothing.
    pub async fn import_legacy(
        &self,
        actor: &super::Actor,
        files: &[crate::legacy::LegacyFile],
        (acting, dry_run): (Acting<'_>, bool),
        progress: Progress,
    ) -> EngineResult<Result<ImportReport, crate::legacy::FileError>> {
        use super::access::{authorize, Action, Target};
        authorize(actor, Action::ImportLegacy, &Target::City)?;
        let numbers = read!(self, |c, _ctx| kindergarten_numbers(c))?;
        let ctx = self.ctx();
        let known = |n: i64| numbers.contains(&n);
        let plan = match crate::legacy::plan(files, &known, (ctx.today(), ctx.now)) {
            Ok(plan) => Arc::new(plan),
            Err(e) => return Ok(Err(e)),
        };
        let acted = acting.owned();
        let report = if dry_run {
            read!(self, |c, ctx| run(
                c,
                ctx,
                &plan,
                (acted.acting(), false),
                progress
            ))?
        } else {
            write!(self, |c, ctx| run(
                c,
                ctx,
                &plan,
                (acted.acting(), true),
                progress.clone()
            ))?
        };
        Ok(Ok(report))
    }
}
