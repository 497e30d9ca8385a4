//! `kezek bench claims`: a claim storm against a fresh database.
//!
//! Set-up (not measured) loads kindergartens with plenty of seats and children who all hold an
//! open invitation, straight into the tables. Then `clients` tasks claim through the engine,
//! as parents would, for `seconds`. In the same run, on the same database, a single client
//! measures the baseline: on SQLite one full claim per transaction without group commit (the
//! disk's limit for that design), on PostgreSQL a one-statement claim (a guarded seat
//! decrement) per transaction. Finally the books are checked for overbooking.

use app::domain::{Cohort, District, GroupLanguage, Iin, Phone};
use app::domain::{PriorityClass, Sex};
use app::engine::{Actor, Engine, SystemClock};
use app::store::{City, DynStore, NewApplication, NewKindergarten, Pools};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::date;

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

/// Runs the benchmark, printing figures as it goes; the last line is the summary.
pub async fn claims(o: Options) -> Result<(), String> {
    let (url, cleanup) = fresh_database(o.database_url.as_deref()).await?;
    let result = run(&o, &url).await;
    cleanup.run().await;
    result
}

async fn run(o: &Options, url: &str) -> Result<(), String> {
    let store = app::store::open(url).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    // The baseline claims for children of its own, kept apart from the storm's.
    let reserve = o.children.min(40_000);
    let (numbers, parents) = setup(&store, o, o.children + reserve).await?;
    eprintln!(
        "set-up: {} backend, {} kindergartens, {} invited children in {:.1} s",
        store.backend(),
        o.kindergartens,
        numbers.len(),
        started.elapsed().as_secs_f64()
    );
    let engine = Arc::new(
        Engine::start(&store, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?,
    );
    let storm_n = o.children;
    let numbers = Arc::new(numbers);
    let parents = Arc::new(parents);
    let next = Arc::new(AtomicUsize::new(0));

    // The storm.
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(o.clients);
    for client in 0..o.clients {
        let (engine, numbers, parents, next) = (
            engine.clone(),
            numbers.clone(),
            parents.clone(),
            next.clone(),
        );
        let kindergartens = o.kindergartens;
        tasks.push(tokio::spawn(async move {
            let mut lat_us: Vec<u32> = Vec::new();
            let mut refused = 0u64;
            let mut failed = 0u64;
            let mut k = (client as i64 * 7919) % kindergartens;
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= storm_n {
                    break;
                }
                k = (k + 37) % kindergartens;
                let t = Instant::now();
                match engine
                    .claim(&Actor::Parent(parents[i]), &numbers[i], k + 1)
                    .await
                {
                    Ok(_) => lat_us.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32),
                    Err(e) if e.refusal().is_some() => refused += 1,
                    Err(e) => {
                        failed += 1;
                        if failed < 3 {
                            eprintln!("claim failed: {e}");
                        }
                    }
                }
            }
            (lat_us, refused, failed)
        }));
    }
    let mut lat: Vec<u32> = Vec::new();
    let (mut refused, mut failed) = (0u64, 0u64);
    for t in tasks {
        let (l, r, f) = t.await.map_err(|e| e.to_string())?;
        lat.extend(l);
        refused += r;
        failed += f;
    }
    let storm_s = t0.elapsed().as_secs_f64();
    let ok = lat.len();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            0.0
        } else {
            lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1] as f64 / 1000.0
        }
    };
    let claims_per_s = ok as f64 / storm_s;
    eprintln!(
        "storm: {ok} referrals in {storm_s:.1} s by {} clients ({refused} refused, {failed} failed){}",
        o.clients,
        if next.load(Ordering::Relaxed) >= storm_n {
            " - every invited child was served before the time was up"
        } else {
            ""
        }
    );
    eprintln!(
        "storm: {claims_per_s:.0} referrals/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );

    // The baseline, one client, one commit per claim.
    let base_secs = (o.seconds / 4).clamp(3, 10);
    let base_deadline = Instant::now() + Duration::from_secs(base_secs);
    let t1 = Instant::now();
    let mut base_ok = 0u64;
    let mut k = 0i64;
    let mut i = storm_n;
    let sqlite = engine.backend_name() == "sqlite";
    while Instant::now() < base_deadline {
        k = (k + 1) % o.kindergartens;
        let done = if sqlite {
            if i >= numbers.len() {
                eprintln!("baseline: ran out of reserved children; raise --children");
                break;
            }
            i += 1;
            let i = i - 1;
            // One client waiting for each answer: the writer commits one claim at a time.
            engine
                .claim(&Actor::Parent(parents[i]), &numbers[i], k + 1)
                .await
                .is_ok()
        } else {
            engine
                .one_statement_claim(k + 1, COHORT)
                .await
                .map_err(|e| e.to_string())?
        };
        if done {
            base_ok += 1;
        }
    }
    let single_commit_per_s = base_ok as f64 / t1.elapsed().as_secs_f64();
    eprintln!(
        "baseline: {single_commit_per_s:.0}/s ({})",
        if sqlite {
            "one full claim per transaction, one client, synchronous=FULL"
        } else {
            "one guarded seat decrement per transaction, one client"
        }
    );

    let overbooked = overbooked(&store).await?;
    let chain = engine.verify_chain().await.map_err(|e| e.to_string())?;
    if let Err(e) = &chain {
        eprintln!("event chain broken: {e}");
    }
    println!(
        "claims_per_s={claims_per_s:.0} p50_ms={:.1} p99_ms={:.1} single_commit_per_s={single_commit_per_s:.0} ratio={:.2} overbooked={overbooked}",
        pct(0.50),
        pct(0.99),
        if single_commit_per_s > 0.0 {
            claims_per_s / single_commit_per_s
        } else {
            0.0
        }
    );
    if overbooked > 0 || failed > 0 || chain.is_err() {
        return Err("the storm broke an invariant (see above)".into());
    }
    Ok(())
}

/// Seats below zero, groups holding more children than capacity, children with two active
/// referrals.
async fn overbooked(store: &DynStore) -> Result<i64, String> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM seats WHERE free < 0) + \
        (SELECT COUNT(*) FROM seats s WHERE s.capacity < s.free + (SELECT COUNT(*) FROM referrals r \
           WHERE r.kindergarten_id = s.kindergarten_id AND r.cohort = s.cohort \
           AND r.state IN ('active', 'enrolled'))) + \
        (SELECT COUNT(*) FROM (SELECT child_iin FROM referrals WHERE state = 'active' \
           GROUP BY child_iin HAVING COUNT(*) > 1) d)";
    match store.pools() {
        Pools::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(&p).await,
        Pools::Postgres(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(&p).await,
    }
    .map_err(|e| e.to_string())
}

/// Loads the bench city and invites every child (directly in the tables: set-up is not what
/// is measured). Returns the public numbers and their parents.
async fn setup(
    store: &DynStore,
    o: &Options,
    children: usize,
) -> Result<(Vec<String>, Vec<Iin>), String> {
    let per_kindergarten = (children as i64 / o.kindergartens + 1) * 2;
    let kindergartens = (1..=o.kindergartens)
        .map(|id| {
            NewKindergarten::numbered(
                id,
                vec![(Cohort(COHORT), per_kindergarten, per_kindergarten)],
            )
        })
        .collect();
    let phone1 = Phone::parse("+7 701 000 00 01").expect("valid phone");
    let phone2 = Phone::parse("+7 702 000 00 02").expect("valid phone");
    let mut applications = Vec::with_capacity(children);
    let mut parents = Vec::with_capacity(children);
    let mut serial = 0u32;
    let base = date!(2023 - 01 - 01);
    while applications.len() < children {
        serial += 1;
        let birth = base + time::Duration::days(i64::from(serial % 365));
        let Some(child) = Iin::compose(birth, Sex::Male, (serial / 365) as u16) else {
            continue;
        };
        let Some(parent) = Iin::compose(date!(1990 - 01 - 01), Sex::Female, (serial % 9000) as u16)
        else {
            continue;
        };
        let id = applications.len() as i64 + 1;
        applications.push(NewApplication {
            id,
            public_no: format!("BEN-2026-{id:06}"),
            child_iin: child,
            child_name: "Bench".into(),
            birth_date: birth,
            parent_iin: parent,
            priority: PriorityClass::General,
            phone1,
            phone2: Some(phone2),
            email: None,
            district: District::Almaly,
            language: GroupLanguage::Kazakh,
            applied_at: 1_700_000_000_000 + id,
        });
        parents.push(parent);
    }
    let numbers = applications.iter().map(|a| a.public_no.clone()).collect();
    store
        .load_city(
            &City {
                kindergartens,
                applications,
            },
            &|_, _| {},
        )
        .await
        .map_err(|e| e.to_string())?;
    let far = 4_000_000_000_000i64;
    let invite = [
        format!(
            "INSERT INTO invitations (application_id, cohort, issued_at, expires_at) \
             SELECT id, cohort, 0, {far} FROM applications WHERE status = 'waiting'"
        ),
        "UPDATE applications SET status = 'invited' WHERE status = 'waiting'".to_string(),
    ];
    for sql in &invite {
        match store.pools() {
            Pools::Sqlite(p) => sqlx::query(sql).execute(&p).await.map(|_| ()),
            Pools::Postgres(p) => sqlx::query(sql).execute(&p).await.map(|_| ()),
        }
        .map_err(|e| e.to_string())?;
    }
    Ok((numbers, parents))
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
        let store = app::store::open(&url).await.map_err(|e| e.to_string())?;
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
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .map_or(0.0, |v| *v as f64 / 1000.0)
        };
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
