//! The command line's own small commands (the binary's module, beside `main.rs`): each opens
//! the database (and the engine), does one thing and prints what it did.

use app::engine::{Engine, SystemClock};
use server::seed;
use std::sync::Arc;

pub async fn seed_demo(url: &str, seed: u64, if_empty: bool) -> Result<(), String> {
    let store = app::store::Db::open(url).await.map_err(|e| e.to_string())?;
    if !store.is_empty().await.map_err(|e| e.to_string())? {
        return if if_empty {
            eprintln!("The database already holds a city; nothing to do.");
            Ok(())
        } else {
            Err("the database already holds a city; use a fresh DATABASE_URL".into())
        };
    }
    seed::load_demo(&store, seed, app::clock::almaty_today(), true)
        .await
        .map_err(|e| e.to_string())
}

pub async fn engine(url: &str) -> Result<(app::store::Db, Arc<Engine>), String> {
    let store = app::store::Db::open(url).await.map_err(|e| e.to_string())?;
    let engine = Engine::start(&store, Arc::new(SystemClock))
        .await
        .map_err(|e| e.to_string())?;
    Ok((store, Arc::new(engine)))
}

pub async fn audit_verify(url: &str) -> Result<(), String> {
    let (_, engine) = engine(url).await?;
    match engine.verify_chain().await.map_err(|e| e.to_string())? {
        Ok((events, head)) => {
            println!("event chain intact: events={events} head={head}");
            Ok(())
        }
        Err(e) => Err(format!("event chain broken at event {}: {e}", e.seq())),
    }
}

pub async fn audit_export(url: &str, data_dir: &std::path::Path, name: &str) -> Result<(), String> {
    let (db, engine) = engine(url).await?;
    let open = app::opendata::export::OpenData::configured(data_dir)?;
    let m = open.export(&db, name, engine.ctx().now).await?;
    println!(
        "open data export {}: events={} queue={} head={} {}",
        m.name, m.events, m.queue, m.seq, m.hash
    );
    Ok(())
}

pub async fn tick(url: &str) -> Result<(), String> {
    let (_, engine) = engine(url).await?;
    let r = server::jobs::run_once(&engine)
        .await
        .map_err(|e| e.to_string())?;
    println!("{r}");
    Ok(())
}

/// Runs one role change from the command line (as the system, with the current time).
pub async fn role<F, Fut>(url: &str, iin: &str, change: F) -> Result<(), String>
where
    F: FnOnce(app::store::Db, i64, app::domain::Iin) -> Fut,
    Fut: std::future::Future<Output = Result<(), app::auth::roles::RoleError>>,
{
    let iin = app::domain::Iin::parse(iin).map_err(|e| format!("not an IIN: {e:?}"))?;
    let (db, engine) = engine(url).await?;
    change(db, engine.ctx().now, iin)
        .await
        .map_err(|e| e.to_string())?;
    println!("done");
    Ok(())
}
