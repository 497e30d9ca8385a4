//! The benchmarks. `kezek bench claims`: a claim storm against a fresh database.
//!
//! Set-up (not measured) loads kindergartens with plenty of seats and children who all hold an
//! open invitation, straight into the tables. Then, on the same database in the same run:
//!
//! 1. the storm: `clients` tasks claim through the engine, as parents would, for `seconds`;
//! 2. the like-for-like baseline: one client makes the same full claims (every statement of
//!    one) through the engine, one after another, so `ratio=` compares like with like;
//! 3. PostgreSQL only: the floor of any claim, a guarded seat decrement alone, committed on
//!    its own, by the same number of clients spread over the same kindergartens
//!    (`one_statement_per_s=`).
//!
//! Refusals (a seat gone) are counted apart from failures (an outage or a fault): a failure
//! fails the run. Finally the books are checked for overbooking.

use app::domain::{Cohort, District, GroupLanguage, Iin, Phone};
use app::domain::{PriorityClass, Sex};
use app::engine::{Actor, Engine, SystemClock};
use app::store::{City, Db, NewApplication, NewKindergarten};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::date;

mod journey;
mod map;
mod outbox;
mod pages;
pub use journey::journey;
pub use map::{map, MapOptions};
pub use outbox::outbox;
pub use pages::pages;

/// A client signed in as the education department on a running server in dev mode on this
/// machine (the benchmarks that ask a server over HTTP post seats with it).
async fn dev_department(base: &str) -> Result<reqwest::Client, String> {
    loopback_only(base)?;
    let e = |e: reqwest::Error| e.to_string();
    let admin = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(e)?;
    let ok = admin
        .post(format!("{base}/auth/dev/sign-in"))
        .form(&[("iin", "700101470032"), ("role", "admin"), ("next", "/")])
        .send()
        .await
        .map_err(e)?;
    if !ok.status().is_success() {
        return Err(format!(
            "dev sign-in as the department: {} (is the server in dev mode?)",
            ok.status()
        ));
    }
    Ok(admin)
}

/// A JSON answer of a running server to a GET.
async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
) -> Result<T, String> {
    let e = |e: reqwest::Error| e.to_string();
    client
        .get(url)
        .send()
        .await
        .map_err(e)?
        .json()
        .await
        .map_err(e)
}

/// Benchmarks that ask a running server measure only one on this machine.
fn loopback_only(base: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(base).map_err(|e| format!("{base}: {e}"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if loopback {
        Ok(())
    } else {
        Err(format!(
            "{base}: only a server on this machine (loopback) is measured"
        ))
    }
}

pub struct Options {
    pub clients: usize,
    pub seconds: u64,
    pub children: usize,
    pub kindergartens: i64,
    /// `None`: a fresh SQLite file in a temporary directory. A `postgres://` URL: a fresh
    /// database is created on that server (the role needs CREATEDB) and dropped afterwards.
    pub database_url: Option<String>,
}

const COHORT: i32 = 2023;
/// The age group the one-statement baseline decrements (seats enough for any run).
const FLOOR_COHORT: i32 = 2024;

/// What a set of clients did.
#[derive(Default)]
struct Tally {
    lat_us: Vec<u32>,
    refused: u64,
    failed: u64,
    secs: f64,
}

impl Tally {
    fn per_s(&self) -> f64 {
        self.lat_us.len() as f64 / self.secs.max(1e-9)
    }
    /// Latency percentile in ms (`lat_us` is sorted by [`drive`]).
    fn pct(&self, p: f64) -> f64 {
        percentile_ms(&self.lat_us, p)
    }
}

/// The `p` percentile (0-1) of sorted microseconds, in milliseconds; 0 when there are none.
pub(crate) fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    let n = sorted_us.len();
    if n == 0 {
        return 0.0;
    }
    sorted_us[((n as f64 * p).ceil() as usize).clamp(1, n) - 1] as f64 / 1000.0
}

/// Runs `clients` tasks for `seconds`; each calls `op(client, i)` with a fresh `i` from a
/// shared counter below `limit` until time or numbers run out. `Ok(true)` counts as done,
/// `Ok(false)` as refused, `Err` as failed.
async fn drive<F, Fut>(clients: usize, seconds: u64, limit: usize, op: F) -> Tally
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<bool, String>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let (op, next) = (op.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut t = Tally::default();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= limit {
                    break;
                }
                let started = Instant::now();
                match op(client, i).await {
                    Ok(true) => t
                        .lat_us
                        .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32),
                    Ok(false) => t.refused += 1,
                    Err(e) => {
                        t.failed += 1;
                        if t.failed < 3 {
                            eprintln!("failed: {e}");
                        }
                    }
                }
            }
            t
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        if let Ok(t) = task.await {
            all.lat_us.extend(t.lat_us);
            all.refused += t.refused;
            all.failed += t.failed;
        } else {
            all.failed += 1;
        }
    }
    all.secs = t0.elapsed().as_secs_f64();
    all.lat_us.sort_unstable();
    all
}

/// One full claim through the engine: a referral is done, a refusal refused, an outage or a
/// fault failed.
async fn claim(
    engine: &Engine,
    parent: Iin,
    number: &str,
    kindergarten: i64,
) -> Result<bool, String> {
    match engine
        .claim(&Actor::Parent(parent), number, kindergarten)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if e.refusal().is_some() => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs the benchmark, printing figures as it goes; the last line is the summary.
pub async fn claims(o: Options) -> Result<(), String> {
    let (url, cleanup) = fresh_database(o.database_url.as_deref()).await?;
    let result = run(&o, &url).await;
    cleanup.run().await;
    result
}

async fn run(o: &Options, url: &str) -> Result<(), String> {
    let db = Db::open(url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    // The baseline claims for children of its own, kept apart from the storm's.
    let reserve = o.children.min(40_000);
    let (numbers, parents) = setup(&db, url, o, o.children + reserve).await?;
    eprintln!(
        "set-up: {} backend, {} kindergartens, {} invited children in {:.1} s",
        db.backend_name(),
        o.kindergartens,
        numbers.len(),
        started.elapsed().as_secs_f64()
    );
    let engine = Arc::new(
        Engine::start(&db, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?,
    );
    let numbers = Arc::new(numbers);
    let parents = Arc::new(parents);
    let kindergartens = o.kindergartens;

    // 1. The storm.
    let (e, n, p) = (engine.clone(), numbers.clone(), parents.clone());
    let storm = drive(o.clients, o.seconds, o.children, move |client, i| {
        let (e, n, p) = (e.clone(), n.clone(), p.clone());
        async move {
            let k = (client as i64 * 7919 + i as i64 * 37) % kindergartens + 1;
            claim(&e, p[i], &n[i], k).await
        }
    })
    .await;
    eprintln!(
        "storm: {} referrals in {:.1} s by {} clients ({} refused, {} failed), {:.0}/s, \
         p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        storm.lat_us.len(),
        storm.secs,
        o.clients,
        storm.refused,
        storm.failed,
        storm.per_s(),
        storm.pct(0.50),
        storm.pct(0.99),
        storm.pct(1.0)
    );

    // 2. The same full claims by one client.
    let base_secs = (o.seconds / 4).clamp(3, 10);
    let (e, n, p) = (engine.clone(), numbers.clone(), parents.clone());
    let storm_n = o.children;
    let base = drive(1, base_secs, reserve, move |_, i| {
        let (e, n, p) = (e.clone(), n.clone(), p.clone());
        async move {
            let j = storm_n + i;
            claim(&e, p[j], &n[j], i as i64 % kindergartens + 1).await
        }
    })
    .await;
    let single = base.per_s();
    eprintln!(
        "baseline: {single:.0} full claims/s by one client, one transaction each \
         ({} refused, {} failed)",
        base.refused, base.failed
    );

    // 3. PostgreSQL: the one-statement floor, same clients, same kindergartens.
    let mut floor = String::new();
    let mut floor_failed = 0;
    if engine.backend_name() == "postgres" {
        let e = engine.clone();
        let one = drive(o.clients, base_secs, usize::MAX, move |client, i| {
            let e = e.clone();
            async move {
                let k = (client as i64 * 7919 + i as i64 * 37) % kindergartens + 1;
                e.one_statement_claim(k, FLOOR_COHORT)
                    .await
                    .map_err(|e| e.to_string())
            }
        })
        .await;
        floor_failed = one.failed;
        eprintln!(
            "floor: {:.0} guarded seat decrements/s by {} clients, each committed alone",
            one.per_s(),
            o.clients
        );
        floor = format!(
            " one_statement_per_s={:.0} of_one_statement={:.2}",
            one.per_s(),
            storm.per_s() / one.per_s().max(1e-9)
        );
    }

    let overbooked = overbooked(url).await?;
    let chain = engine.verify_chain().await.map_err(|e| e.to_string())?;
    if let Err(e) = &chain {
        eprintln!("event chain broken: {e}");
    }
    let failed = storm.failed + base.failed + floor_failed;
    println!(
        "claims_per_s={:.0} p50_ms={:.1} p99_ms={:.1} single_claim_per_s={single:.0} ratio={:.2}{floor} failed={failed} overbooked={overbooked}",
        storm.per_s(),
        storm.pct(0.50),
        storm.pct(0.99),
        storm.per_s() / single.max(1e-9),
    );
    if overbooked > 0 || failed > 0 || chain.is_err() {
        return Err("the storm broke an invariant or failed (see above)".into());
    }
    Ok(())
}

/// Runs `sql` on a connection of the benchmark's own (set-up and checks read the tables
/// directly; the engine is what is measured). Returns the first column of the first row, if
/// the statement answers one.
async fn raw(url: &str, sql: &str) -> Result<Option<i64>, String> {
    use sqlx::{Connection, Row};
    let row = if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(sql)
            .fetch_optional(&mut c)
            .await
            .map(|r| r.map(|r| r.try_get::<i64, _>(0)))
    } else {
        let mut c = sqlx::PgConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(sql)
            .fetch_optional(&mut c)
            .await
            .map(|r| r.map(|r| r.try_get::<i64, _>(0)))
    };
    match row.map_err(|e| format!("{sql}: {e}"))? {
        Some(v) => v.map(Some).map_err(|e| e.to_string()),
        None => Ok(None),
    }
}

/// Seats below zero, groups holding more children than capacity, children with two active
/// referrals.
async fn overbooked(url: &str) -> Result<i64, String> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM seats WHERE free < 0) + \
        (SELECT COUNT(*) FROM seats s WHERE s.capacity < s.free + (SELECT COUNT(*) FROM referrals r \
           WHERE r.kindergarten_id = s.kindergarten_id AND r.cohort = s.cohort \
           AND r.state IN ('active', 'enrolled'))) + \
        (SELECT COUNT(*) FROM (SELECT child_iin FROM referrals WHERE state = 'active' \
           GROUP BY child_iin HAVING COUNT(*) > 1) d)";
    Ok(raw(url, sql).await?.unwrap_or(0))
}

/// Loads the bench city and invites every child (directly in the tables: set-up is not what
/// is measured). Returns the public numbers and their parents.
async fn setup(
    db: &Db,
    url: &str,
    o: &Options,
    children: usize,
) -> Result<(Vec<String>, Vec<Iin>), String> {
    let per_kindergarten = (children as i64 / o.kindergartens + 1) * 2;
    let kindergartens = (1..=o.kindergartens)
        .map(|id| {
            NewKindergarten::numbered(
                id,
                vec![
                    (Cohort(COHORT), per_kindergarten, per_kindergarten),
                    (Cohort(FLOOR_COHORT), 1_000_000_000, 1_000_000_000),
                ],
            )
        })
        .collect();
    let mut applications = Vec::with_capacity(children);
    let mut parents = Vec::with_capacity(children);
    for (i, (child, parent)) in people(children).into_iter().enumerate() {
        applications.push(bench_application(i as i64 + 1, child, parent));
        parents.push(parent);
    }
    let numbers = applications.iter().map(|a| a.public_no.clone()).collect();
    db.load_city(
        &City {
            kindergartens,
            applications,
        },
        &|_, _| {},
    )
    .await
    .map_err(|e| e.to_string())?;
    let far = 4_000_000_000_000i64;
    raw(
        url,
        &format!(
            "INSERT INTO invitations (application_id, cohort, issued_at, expires_at) \
             SELECT id, cohort, 0, {far} FROM applications WHERE status = 'waiting'"
        ),
    )
    .await?;
    raw(
        url,
        "UPDATE applications SET status = 'invited' WHERE status = 'waiting'",
    )
    .await?;
    Ok((numbers, parents))
}

/// `n` children (born in 2023) with their parents, all valid IINs, the same every run.
fn people(n: usize) -> Vec<(Iin, Iin)> {
    let mut out = Vec::with_capacity(n);
    let mut serial = 0u32;
    let base = date!(2023 - 01 - 01);
    while out.len() < n {
        serial += 1;
        let birth = base + time::Duration::days(i64::from(serial % 365));
        let Some(child) = Iin::compose(birth, Sex::Male, (serial / 365) as u16) else {
            continue;
        };
        let Some(parent) = Iin::compose(date!(1990 - 01 - 01), Sex::Female, (serial % 9000) as u16)
        else {
            continue;
        };
        out.push((child, parent));
    }
    out
}

/// A waiting application of the benchmarks' cities.
fn bench_application(id: i64, child: Iin, parent: Iin) -> NewApplication {
    NewApplication {
        id,
        public_no: format!("BEN-2026-{id:06}"),
        child_iin: child,
        child_name: "Bench".into(),
        birth_date: child.birth_date(),
        parent_iin: parent,
        priority: PriorityClass::General,
        phone1: Phone::parse("+7 701 000 00 01").expect("valid phone"),
        phone2: Some(Phone::parse("+7 702 000 00 02").expect("valid phone")),
        email: None,
        district: District::Almaly,
        language: GroupLanguage::Kazakh,
        applied_at: 1_700_000_000_000 + id,
    }
}

/// What to remove after the run.
enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    PgDatabase { admin_url: String, name: String },
}

impl Cleanup {
    async fn run(self) {
        if let Cleanup::PgDatabase { admin_url, name } = self {
            use sqlx::Connection;
            if let Ok(mut c) = sqlx::PgConnection::connect(&admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c)
                    .await;
            }
        }
    }
}

async fn fresh_database(url: Option<&str>) -> Result<(String, Cleanup), String> {
    match url {
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            use sqlx::Connection;
            let name = format!("kezek_bench_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(u)
                .await
                .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .map_err(|e| format!("cannot create a fresh database (CREATEDB needed): {e}"))?;
            Ok((
                app::store::replace_database(u, &name),
                Cleanup::PgDatabase {
                    admin_url: u.to_string(),
                    name,
                },
            ))
        }
        Some(u) if !u.starts_with("sqlite:") => {
            Err("--database-url must start with sqlite: or postgres://".into())
        }
        _ => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            Ok((url, Cleanup::Dir(dir)))
        }
    }
}

/// `kezek bench positions`: position look-ups on a fresh database holding the demo city
/// (64,315 children), from `clients` concurrent readers for `seconds`.
pub async fn positions(
    clients: usize,
    seconds: u64,
    database_url: Option<String>,
) -> Result<(), String> {
    let (url, cleanup) = fresh_database(database_url.as_deref()).await?;
    let result = async {
        let store = Db::open(&url).await.map_err(|e| e.to_string())?;
        let today = app::clock::almaty_today();
        let city = app::demo::generate(app::demo::DEMO_SEED, today, app::demo::Scale::ALMATY);
        store
            .load_city(&city, &|_, _| {})
            .await
            .map_err(|e| e.to_string())?;
        let numbers: Arc<Vec<String>> = Arc::new(
            city.applications
                .iter()
                .map(|a| a.public_no.clone())
                .collect(),
        );
        let engine = Arc::new(
            Engine::start(&store, Arc::new(SystemClock))
                .await
                .map_err(|e| e.to_string())?,
        );
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (engine, numbers) = (engine.clone(), numbers.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut i = client * 7919;
                while Instant::now() < deadline {
                    i = (i + 104_729) % numbers.len();
                    let t = Instant::now();
                    if engine.position(&numbers[i]).await.is_ok() {
                        lat.push(t.elapsed().as_micros() as u32);
                    }
                }
                lat
            }));
        }
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await.map_err(|e| e.to_string())?);
        }
        let secs = t0.elapsed().as_secs_f64();
        lat.sort_unstable();
        let pct = |p: f64| percentile_ms(&lat, p);
        println!(
            "children={} lookups_per_s={:.0} p50_ms={:.2} p99_ms={:.2}",
            numbers.len(),
            lat.len() as f64 / secs,
            pct(0.50),
            pct(0.99)
        );
        Ok(())
    }
    .await;
    cleanup.run().await;
    result
}
