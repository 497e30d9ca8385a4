//! `kezek bench journey`: the parent's choice page and claim over HTTP, as a browser asks.

use std::time::Instant;

/// `kezek bench journey`: the parent's pages as a browser asks for them, against a running
/// server in dev mode on a loopback address (`kezek serve --dev --seed-demo`): `parents`
/// parents sign in, each applies for a child, seats are posted until all are invited; then the
/// choice page (`/choose/{number}`, rendered whole on the server) is read `reads` times per
/// parent and each parent claims once. Prints the server's answer times (loopback).
pub async fn journey(base: &str, parents: usize, reads: usize) -> Result<(), String> {
    let admin = super::dev_department(base).await?;
    let e = |e: reqwest::Error| e.to_string();
    let client = |()| {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .map_err(|e| e.to_string())
    };
    // Parents and their children: new IINs, born in 2021 (the oldest age group).
    let mut people = Vec::new();
    let stamp = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        % 5000) as u16;
    let mut serial = stamp;
    let mut next_iin = |year: i32| loop {
        serial = (serial + 1) % 10_000;
        let day = time::Date::from_ordinal_date(year, 1 + serial % 300).expect("a day");
        if let Some(i) = app::domain::Iin::compose(day, app::domain::Sex::Female, serial) {
            return i.digits();
        }
    };
    while people.len() < parents {
        let c = client(())?;
        let parent = next_iin(1991);
        c.post(format!("{base}/auth/dev/sign-in"))
            .form(&[("iin", parent.as_str()), ("role", "parent"), ("next", "/")])
            .send()
            .await
            .map_err(e)?;
        let child = next_iin(2021);
        let res = c
            .post(format!("{base}/api/queue/apply"))
            .form(&[
                ("form[child_iin]", child.as_str()),
                ("form[child_name]", "Bench"),
                ("form[priority]", "extraordinary"),
                ("form[priority_doc]", "bench"),
                ("form[phone1]", "+7 701 000 00 01"),
                ("form[phone2]", "+7 701 000 00 02"),
                ("form[email]", "bench@mail.kz"),
                ("form[district]", "almaly"),
                ("form[language]", "ru"),
            ])
            .send()
            .await
            .map_err(e)?;
        if res.status().is_success() {
            let no: String = res.json().await.map_err(e)?;
            people.push((c, no));
        }
    }
    // Seats until every child is invited.
    let invited = |c: &reqwest::Client, no: &str| {
        let req = c
            .post(format!("{base}/api/queue/invitation"))
            .form(&[("public_no", no)]);
        async move {
            match req.send().await {
                Ok(r) if r.status().is_success() => r
                    .json::<Option<serde_json::Value>>()
                    .await
                    .ok()
                    .flatten()
                    .is_some(),
                _ => false,
            }
        }
    };
    let mut kindergarten = 1;
    loop {
        let mut all = true;
        for (c, no) in &people {
            all &= invited(c, no).await;
        }
        if all {
            break;
        }
        if kindergarten > 685 {
            return Err("not every child could be invited".into());
        }
        let k: serde_json::Value = super::get_json(
            &admin,
            &format!("{base}/api/kindergarten?id={kindergarten}"),
        )
        .await?;
        let capacity = k["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["cohort"] == 2021)
            .and_then(|g| g["capacity"].as_i64());
        if let (Some(capacity), true) = (capacity, k["card"]["in_queue"] == true) {
            for free in (capacity.saturating_sub(6)..=capacity).rev() {
                let r = admin
                    .post(format!("{base}/api/head/seats"))
                    .form(&[
                        ("kindergarten_id", kindergarten.to_string()),
                        ("cohort", "2021".into()),
                        ("free", free.to_string()),
                    ])
                    .send()
                    .await
                    .map_err(e)?;
                if r.status().is_success() {
                    break;
                }
            }
        }
        kindergarten += 1;
    }
    // The measured part.
    let mut page = Vec::new();
    let mut claims = Vec::new();
    let mut offered = 0;
    for (c, no) in &people {
        let mut first = None;
        for _ in 0..reads {
            let t = Instant::now();
            let r = c
                .get(format!("{base}/choose/{no}"))
                .send()
                .await
                .map_err(e)?;
            let status = r.status();
            let html = r.text().await.map_err(e)?;
            page.push(t.elapsed().as_micros() as u32);
            if !status.is_success() {
                return Err(format!("/choose/{no}: {status}"));
            }
            offered = offered.max(html.matches("name=\"kindergarten_id\"").count());
            first = first.or_else(|| {
                let pattern = "name=\"kindergarten_id\" value=\"";
                let at = html.find(pattern)? + pattern.len();
                html[at..].split('"').next().map(str::to_string)
            });
        }
        let Some(k) = first else {
            return Err(format!("/choose/{no} offered no kindergarten"));
        };
        let t = Instant::now();
        let r = c
            .post(format!("{base}/api/queue/claim"))
            .form(&[("public_no", no.as_str()), ("kindergarten_id", k.as_str())])
            .send()
            .await
            .map_err(e)?;
        claims.push(t.elapsed().as_micros() as u32);
        if !r.status().is_success() {
            return Err(format!("claim {no}: {}", r.status()));
        }
    }
    page.sort_unstable();
    claims.sort_unstable();
    let pct = |v: &[u32], p: f64| super::percentile_ms(v, p);
    println!(
        "parents={} kindergartens_offered={offered} choose_page_p50_ms={:.1} choose_page_p99_ms={:.1} \
         claim_p50_ms={:.1} claim_max_ms={:.1}",
        people.len(),
        pct(&page, 0.5),
        pct(&page, 0.99),
        pct(&claims, 0.5),
        pct(&claims, 1.0),
    );
    Ok(())
}
