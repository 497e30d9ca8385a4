//! Loading the demo city, with a progress bar on the terminal.

use app::demo::{self, Scale};
use app::store::{Db, StoreError};
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Generates the demo city as of `today` and loads it into an empty store.
pub async fn load_demo(
    store: &Db,
    seed: u64,
    today: time::Date,
    show_progress: bool,
) -> Result<(), StoreError> {
    let started = Instant::now();
    let city = demo::generate(seed, today, Scale::ALMATY);
    let generated = started.elapsed();
    // A bar only where a person watches; logs and test runners get the summary line.
    let show_progress = show_progress && std::io::stderr().is_terminal();
    let progress = move |done: u64, total: u64| {
        if show_progress {
            let width = 30;
            let filled = (done * width / total.max(1)) as usize;
            eprint!(
                "\rLoading the demo city [{}{}] {:>3}% {done}/{total}",
                "#".repeat(filled),
                "-".repeat(width as usize - filled),
                done * 100 / total.max(1)
            );
            let _ = std::io::stderr().flush();
        }
    };
    store.load_city(&city, &progress).await?;
    if show_progress {
        eprintln!();
    }
    tracing::info!(
        kindergartens = city.kindergartens.len(),
        applications = city.applications.len(),
        generate_ms = generated.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        backend = store.backend_name(),
        "demo city loaded"
    );
    Ok(())
}

/// The people dev mode signs in as (fictional IINs, none of the demo city's): a parent, the
/// head of the kindergarten with the lowest number, and the education department.
pub fn dev_people() -> [(app::domain::Iin, &'static str); 3] {
    use app::domain::{Iin, Sex};
    use time::macros::date;
    let iin = |birth, sex, serial| Iin::compose(birth, sex, serial).expect("a valid dev IIN");
    [
        (iin(date!(1990 - 01 - 01), Sex::Female, 7001), "parent"),
        (iin(date!(1980 - 01 - 01), Sex::Male, 7002), "head"),
        (iin(date!(1970 - 01 - 01), Sex::Female, 7003), "admin"),
    ]
}

/// Dev mode: gives the dev head and the dev admin their roles (once; later starts find them).
pub async fn dev_roles(db: &Db, now: i64) -> Result<(), String> {
    let [_, (head, _), (admin, _)] = dev_people();
    app::auth::roles::dev_roles(db, now, &head, &admin)
        .await
        .map_err(|e| e.to_string())
}
