//! Notifications, end to end below the HTTP layer: the engine queues them, the delivery worker
//! sends them through loopback SMS gateways (Mobizon's and SMSC's protocols) and a real SMTP
//! sink, on a fresh SQLite file and a fresh PostgreSQL database.

mod common;

use app::engine::{Clock, SystemClock};
use app::notify::mail::{Mailer, Smtp};
use app::notify::sms::{client, Mobizon, SmsProvider, Smsc};
use app::notify::worker::{self, Policy, Worker};
use common::city::*;
use common::gateway::{header, Gateway, Mode, Sink};
use common::on_both;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn smsc(g: &Gateway, timeout: Duration) -> Arc<dyn SmsProvider> {
    Arc::new(Smsc {
        base: g.url.clone(),
        login: "kezek".into(),
        password: "secret".into(),
        sender: Some("KEZEK".into()),
        http: client(timeout),
    })
}

fn mobizon(g: &Gateway, timeout: Duration) -> Arc<dyn SmsProvider> {
    Arc::new(Mobizon {
        base: g.url.clone(),
        key: "kz-test-key".into(),
        sender: None,
        http: client(timeout),
    })
}

fn smtp(sink: &Sink) -> Arc<dyn Mailer> {
    Arc::new(
        Smtp::new(
            &sink.url(),
            "Kezek <no-reply@kezek.almaty.kz>",
            Duration::from_secs(5),
            sink.ca.as_deref(),
        )
        .unwrap(),
    )
}

fn sender_mail(dir: &tempfile::TempDir) -> Arc<dyn Mailer> {
    Arc::new(app::notify::mail::DevMail {
        from: "Kezek <no-reply@kezek.almaty.kz>".parse().unwrap(),
        dir: Some(dir.path().into()),
    })
}

/// A one-kindergarten world, an SMSC-protocol gateway, and a worker sending through it (mails
/// into a directory).
async fn smsc_world(store: app::store::Db) -> (World, Gateway, tempfile::TempDir, Worker) {
    let w = world(store, 1).await;
    let gw = Gateway::start().await;
    let dir = tempfile::tempdir().unwrap();
    let sender = worker(&w, smsc(&gw, Duration::from_secs(5)), sender_mail(&dir));
    (w, gw, dir, sender)
}

fn worker(w: &World, sms: Arc<dyn SmsProvider>, mail: Arc<dyn Mailer>) -> Worker {
    let mut worker = Worker::new(
        w.store.clone(),
        sms,
        mail,
        w.clock.clone(),
        "https://kezek.almaty.kz",
    );
    worker.policy = Policy {
        base_ms: 60_000,
        ..Policy::default()
    };
    worker
}

/// The body of a raw e-mail, decoded.
fn body(raw: &str) -> String {
    mailparse::parse_mail(raw.as_bytes())
        .unwrap()
        .get_body()
        .unwrap()
}

fn subject(raw: &str) -> String {
    let m = mailparse::parse_mail(raw.as_bytes()).unwrap();
    m.headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case("subject"))
        .map(|h| h.get_value())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_invitation_reaches_both_numbers_and_the_mailbox_over_starttls_once() {
    on_both(|store| {
        async move {
            // The relay requires STARTTLS, with its own certificate authority.
            let sink = Sink::start_tls().await;
            let w = world(store, 1).await;
            let gw = Gateway::start().await;
            let no = w.apply(C2023, 1, "general").await;
            w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
            assert_eq!(w.invited().await, vec![no.clone()]);
            let sender = worker(&w, smsc(&gw, Duration::from_secs(5)), smtp(&sink));
            let pass = sender.drain().await.unwrap();
            // Two notifications (the application, the invitation), each to two numbers and
            // one mailbox.
            assert_eq!(
                (pass.expanded, pass.sent, pass.dead, pass.retrying),
                (2, 6, 0, 0),
                "{pass:?}"
            );
            let sms = gw.accepted();
            assert_eq!(sms.len(), 4);
            let mut to: Vec<&str> = sms.iter().map(|m| m.to.as_str()).collect();
            to.sort();
            to.dedup();
            assert_eq!(to, vec!["+77011234567", "+77777654321"]);
            // The group is Kazakh: the SMS is in Kazakh, with the deadline and the link, and
            // nothing personal.
            let invitation: Vec<_> = sms.iter().filter(|m| m.text.contains("таңдаңыз")).collect();
            assert_eq!(invitation.len(), 2, "{sms:?}");
            let expires = w.int("SELECT expires_at FROM invitations").await;
            assert!(invitation[0]
                .text
                .contains(&app::notify::texts::when(expires)));
            assert!(invitation[0].text.contains("https://kezek.almaty.kz/my"));
            assert!(invitation[0].text.contains(&no));
            let child = child(C2023, 1).digits();
            for m in &sms {
                assert!(
                    !m.text.contains(&child) && !m.text.contains("Айару"),
                    "{}",
                    m.text
                );
                assert!(app::notify::texts::segments(&m.text) <= 2, "{}", m.text);
            }
            // Every key once.
            let keys: std::collections::HashSet<_> = sms.iter().map(|m| m.key.clone()).collect();
            assert_eq!(keys.len(), 4);
            // The mails: Kazakh and Russian in one, the subject saying what to do.
            let mails = sink.messages();
            assert_eq!(mails.len(), 2, "one mail per notification");
            assert!(mails.iter().all(|m| body(m).contains(&no)));
            let invite = mails
                .iter()
                .find(|m| subject(m).contains("Выберите детский сад"))
                .expect("the invitation mail");
            assert_eq!(header(invite, "To"), Some("ana@mail.kz"));
            let text = body(invite);
            assert!(
                text.contains("таңдаңыз") && text.contains("Выберите детский сад"),
                "{text}"
            );
            assert!(subject(invite).contains(&app::notify::texts::when(expires)));
            // Nothing sent twice on another pass; the figures agree.
            assert!(sender.drain().await.unwrap().is_idle());
            assert_eq!(gw.accepted().len(), 4);
            let s = worker::stats(&w.store, w.clock.now_ms()).await.unwrap();
            assert_eq!((s.queued, s.pending, s.sent, s.dead), (0, 0, 6, 0), "{s:?}");
            // The parent sees where each went, masked.
            let id = w
                .int(&format!(
                    "SELECT id FROM applications WHERE public_no = '{no}'"
                ))
                .await;
            let notes = worker::of_application(&w.store, id).await.unwrap();
            assert_eq!(notes.len(), 6);
            assert!(notes.iter().any(|n| n.to == "+7 701 *** ** 67"
                && n.state == "sent"
                && n.template == "invited"));
            assert!(notes
                .iter()
                .any(|n| n.to == "a***@mail.kz" && n.channel == "email"));
        }
    })
    .await;
}

#[tokio::test]
async fn a_refused_message_is_dead_a_busy_one_retried_a_hung_one_timed_out() {
    on_both(|store| async move {
        let w = world(store, 1).await;
        let gw = Gateway::start().await;
        let dir = tempfile::tempdir().unwrap();
        let mail = sender_mail(&dir);
        let mut sender = worker(&w, mobizon(&gw, Duration::from_millis(300)), mail);
        sender.policy.max_attempts = 4;
        // Mobizon refuses: both SMS of the first notification are dead at once, the mail sent.
        gw.set(Mode::Refuse);
        w.apply(C2023, 1, "general").await;
        let p = sender.drain().await.unwrap();
        assert_eq!((p.sent, p.dead, p.retrying), (1, 2, 0), "{p:?}");
        let dead = worker::dead(&w.store).await.unwrap();
        assert_eq!(dead.len(), 2);
        assert!(dead[0].error.as_deref().unwrap().contains("Mobizon code 1"), "{dead:?}");
        assert_eq!(dead[0].attempts, 1);
        // Busy twice (HTTP 503), then accepting: retried after its backoff, sent on the third.
        gw.set(Mode::BusyFor(2));
        w.apply(C2023, 2, "general").await;
        let p = sender.drain().await.unwrap();
        assert_eq!((p.sent, p.retrying), (1, 2), "the mail went, both SMS wait: {p:?}");
        // Not before the backoff: nothing is due yet.
        assert!(sender.drain().await.unwrap().is_idle());
        w.clock.advance(61_000);
        let p = sender.drain().await.unwrap();
        assert_eq!(p.sent, 2, "the busy gateway took them now: {p:?}");
        let sent = w.strings("SELECT provider_id FROM deliveries WHERE state = 'sent' AND channel = 'sms'").await;
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|id| id.parse::<i64>().unwrap() > 5000), "{sent:?}");
        // A hung gateway: each attempt ends at the timeout, and after the cap on attempts the
        // delivery is dead, with the reason.
        gw.set(Mode::Hang);
        w.apply(C2023, 3, "general").await;
        let started = std::time::Instant::now();
        let p = sender.drain().await.unwrap();
        assert_eq!(p.retrying, 2);
        assert!(started.elapsed() < Duration::from_secs(5), "the timeout is 300 ms");
        for _ in 0..3 {
            w.clock.advance(4 * 3_600_000);
            sender.drain().await.unwrap();
        }
        let attempts = w.strings("SELECT state || ':' || attempts FROM deliveries WHERE channel = 'sms' ORDER BY id DESC LIMIT 2").await;
        assert_eq!(attempts, vec!["dead:4", "dead:4"]);
        let dead = worker::dead(&w.store).await.unwrap();
        assert_eq!(dead.len(), 4);
        assert!(dead.iter().any(|d| d.error.as_deref() == Some("the provider did not answer in time")), "{dead:?}");
        // The department re-queues the dead once the gateway is back: all go.
        gw.set(Mode::Accept);
        assert_eq!(worker::requeue(&w.store, &[], w.clock.now_ms()).await.unwrap(), 4);
        let p = sender.drain().await.unwrap();
        assert_eq!(p.sent, 4, "{p:?}");
        let s = worker::stats(&w.store, w.clock.now_ms()).await.unwrap();
        assert_eq!((s.sent, s.dead, s.retrying), (9, 0, 0), "{s:?}");
        // Three mails in the directory, one per notification.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    })
    .await;
}

#[tokio::test]
async fn smsc_answers_are_sorted_and_a_repeated_key_is_not_sent_again() {
    on_both(|store| async move {
        let (w, gw, dir, sender) = smsc_world(store).await;
        // Out of credit (code 3): retried.
        gw.set(Mode::BusyFor(2));
        w.apply(C2023, 1, "general").await;
        let p = sender.drain().await.unwrap();
        assert_eq!(p.retrying, 2, "{p:?}");
        assert_eq!(
            w.strings("SELECT error FROM deliveries WHERE state = 'retry'")
                .await[0],
            "SMSC code 3: not enough money on the client balance"
        );
        // A worker died after SMSC took one of them but before marking it: the same key again
        // gets error 9, and it is marked sent without a second message.
        w.clock.advance(61_000);
        let first = w
            .int("SELECT MIN(id) FROM deliveries WHERE state = 'retry'")
            .await;
        gw.set(Mode::Accept);
        let sms = app::notify::sms::Sms {
            to: "+77011234567",
            text: "taken before the crash",
            key: &format!("kezek-{first}"),
        };
        smsc(&gw, Duration::from_secs(5)).send(&sms).await.unwrap();
        let p = sender.drain().await.unwrap();
        assert_eq!(p.sent, 2, "{p:?}");
        assert_eq!(gw.repeats(), 1);
        assert_eq!(gw.accepted().len(), 2, "one message per key");
        // A hung gateway is given up on at the timeout, and tried again later.
        gw.set(Mode::Hang);
        let quick = worker(&w, smsc(&gw, Duration::from_millis(300)), sender_mail(&dir));
        w.apply(C2023, 3, "general").await;
        let p = quick.drain().await.unwrap();
        assert_eq!(p.retrying, 2, "{p:?}");
        assert_eq!(
            w.strings("SELECT DISTINCT error FROM deliveries WHERE state = 'retry'")
                .await,
            vec!["the provider did not answer in time"]
        );
        // An invalid number (code 7) is dead at once.
        gw.set(Mode::Refuse);
        w.apply(C2023, 2, "general").await;
        let p = sender.drain().await.unwrap();
        assert_eq!(p.dead, 2);
        assert!(worker::dead(&w.store).await.unwrap()[0]
            .error
            .as_deref()
            .unwrap()
            .starts_with("SMSC code 7"));
    })
    .await;
}

#[tokio::test]
async fn two_workers_on_one_postgresql_never_send_a_message_twice() {
    let Some((store, _guard)) = common::postgres().await else {
        return;
    };
    let w = world(store, 1).await;
    for n in 1..=120 {
        w.apply(C2023, n, "general").await;
    }
    let gw = Gateway::start().await;
    gw.delay(Duration::from_millis(2));
    let dir = tempfile::tempdir().unwrap();
    let make = |id: &str| {
        let mut s = Worker::new(
            w.store.clone(),
            smsc(&gw, Duration::from_secs(5)),
            sender_mail(&dir),
            Arc::new(SystemClock),
            "https://kezek.almaty.kz",
        );
        s.id = id.into();
        s.policy.batch = 20;
        Arc::new(s)
    };
    let (a, b) = (make("worker-a"), make("worker-b"));
    let started = std::time::Instant::now();
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    let elapsed = started.elapsed();
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.expanded + rb.expanded, 120);
    assert_eq!(ra.sent + rb.sent, 360, "{ra:?} {rb:?}");
    assert!(ra.sent > 0 && rb.sent > 0, "both worked: {ra:?} {rb:?}");
    assert_eq!(ra.lost + rb.lost, 0);
    let mut by_key: HashMap<String, u32> = HashMap::new();
    for m in gw.accepted() {
        *by_key.entry(m.key).or_default() += 1;
    }
    assert_eq!(by_key.len(), 240);
    assert!(by_key.values().all(|n| *n == 1));
    assert_eq!(gw.requests(), 240, "no request repeated");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 120);
    let workers = w
        .strings("SELECT DISTINCT worker FROM deliveries ORDER BY worker")
        .await;
    assert_eq!(workers, vec!["worker-a", "worker-b"]);
    eprintln!(
        "two workers on PostgreSQL: 360 deliveries (240 SMS with 2 ms gateway latency, 120 mails to files) in {:.2} s: {:.0}/s",
        elapsed.as_secs_f64(),
        360.0 / elapsed.as_secs_f64()
    );
}

#[tokio::test]
async fn a_changed_contact_is_where_the_next_message_goes() {
    on_both(|store| async move {
        let (w, gw, _dir, sender) = smsc_world(store).await;
        let no = w.apply(C2023, 1, "general").await;
        sender.drain().await.unwrap();
        let contacts = app::domain::queue::ContactsForm {
            phone1: "+7 705 000 11 22".into(),
            phone2: "+7 777 765 43 21".into(),
            email: "ana@mail.kz".into(),
        };
        w.engine
            .update_contacts(&parent(1), &no, &contacts)
            .await
            .unwrap();
        sender.drain().await.unwrap();
        let changed: Vec<_> = gw
            .accepted()
            .into_iter()
            .filter(|m| m.text.contains("өзгертілді"))
            .map(|m| m.to)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(changed, vec!["+77050001122", "+77777654321"]);
    })
    .await;
}

#[tokio::test]
async fn a_referral_is_reminded_one_working_day_before_its_deadline_then_its_expiry_told() {
    on_both(|store| async move {
        let (w, gw, _dir, sender) = smsc_world(store).await;
        let no = w.apply(C2022, 1, "general").await;
        w.engine.post_seats(&HEAD1, 1, C2022, 1).await.unwrap();
        let referral = w.engine.claim(&parent(1), &no, 1).await.unwrap().remove(0);
        sender.drain().await.unwrap();
        let issued = gw.accepted().len();
        let deadline_day = app::engine::rules::almaty_date(referral.expires_at - 1);
        let mut before = deadline_day.previous_day().unwrap();
        while !w.engine.is_working_day(before) {
            before = before.previous_day().unwrap();
        }
        // Day by day at 10:00: the reminder is queued on the working day before the deadline's,
        // once.
        let mut reminded_on = vec![];
        let mut day = app::engine::rules::almaty_date(w.clock.now_ms());
        while day < deadline_day {
            day = day.next_day().unwrap();
            w.clock
                .set(app::engine::rules::start_of_day_ms(day) + 10 * HOUR);
            for _ in 0..2 {
                let r = w.engine.tick().await.unwrap();
                if r.reminders > 0 {
                    reminded_on.push((day, r.reminders));
                }
            }
        }
        assert_eq!(reminded_on, vec![(before, 1)]);
        sender.drain().await.unwrap();
        let reminders: Vec<_> = gw.accepted().into_iter().skip(issued).collect();
        assert_eq!(reminders.len(), 2, "both numbers: {reminders:?}");
        assert!(
            reminders[0].text.contains(&referral.code),
            "{}",
            reminders[0].text
        );
        assert!(reminders[0]
            .text
            .contains(&app::notify::texts::when(referral.expires_at)));
        // Past the deadline: the referral expires, and the parent is told when invitations
        // start again.
        w.clock.set(referral.expires_at + 60_000);
        let r = w.engine.tick().await.unwrap();
        assert_eq!(r.expired_referrals, 1);
        sender.drain().await.unwrap();
        let stop = w.int("SELECT stop_until FROM applications").await;
        let expiry: Vec<_> = gw.accepted().into_iter().skip(issued + 2).collect();
        assert_eq!(expiry.len(), 2);
        assert!(
            expiry[0].text.contains("мерзімі өтті"),
            "{}",
            expiry[0].text
        );
        assert!(
            expiry[0].text.contains(&app::notify::texts::day(stop)),
            "{}",
            expiry[0].text
        );
    })
    .await;
}

#[tokio::test]
async fn the_weekly_summary_goes_on_mondays_to_those_who_asked_with_its_reasons() {
    on_both(|store| async move {
        let (w, gw, dir, sender) = smsc_world(store).await;
        for n in 1..=4 {
            w.apply(C2023, n, "general").await;
        }
        let fourth = w
            .strings("SELECT public_no FROM applications ORDER BY id")
            .await[3]
            .clone();
        // Only a parent may ask, for their own child.
        assert!(w
            .engine
            .set_weekly_summary(&parent(2), &fourth, true)
            .await
            .is_err());
        w.engine
            .set_weekly_summary(&parent(4), &fourth, true)
            .await
            .unwrap();
        sender.drain().await.unwrap();
        let before = gw.accepted().len();
        // Monday 09:00 is too early; from 10:00, once.
        assert_eq!(w.engine.tick().await.unwrap().summaries, 0);
        w.clock.advance(HOUR + 60_000);
        assert_eq!(w.engine.tick().await.unwrap().summaries, 1);
        assert_eq!(w.engine.tick().await.unwrap().summaries, 0);
        sender.drain().await.unwrap();
        let first: Vec<_> = gw.accepted().into_iter().skip(before).collect();
        assert_eq!(first.len(), 2);
        assert!(
            first[0].text.contains("кезектегі орны 4"),
            "{}",
            first[0].text
        );
        // During the week two children ahead are invited and take the seats; next Monday the
        // summary says where the child was and why it moved (positions are recorded every
        // ten minutes by the server).
        w.engine.record_positions().await.unwrap();
        w.clock.advance(HOUR);
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        let nos = w
            .strings("SELECT public_no FROM applications ORDER BY id")
            .await;
        for (n, no) in nos.iter().take(2).enumerate() {
            w.engine.claim(&parent(n as u16 + 1), no, 1).await.unwrap();
        }
        w.engine.record_positions().await.unwrap();
        w.clock.advance(7 * DAY - HOUR);
        assert_eq!(w.engine.tick().await.unwrap().summaries, 1);
        sender.drain().await.unwrap();
        let second: Vec<_> = gw
            .accepted()
            .into_iter()
            .skip(before + 2)
            .filter(|m| m.text.contains("кезектегі орны"))
            .collect();
        assert_eq!(second.len(), 2);
        assert!(
            second[0]
                .text
                .contains("кезектегі орны 2 (бір апта бұрын 4)"),
            "{}",
            second[0].text
        );
        let mail = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .map(|raw| {
                mailparse::parse_mail(raw.as_bytes())
                    .unwrap()
                    .get_body()
                    .unwrap()
            })
            .find(|b| b.contains("неделю назад 4"))
            .expect("the second summary's mail");
        assert!(mail.contains("дети впереди приглашены на места"), "{mail}");
        // Asked to stop: nothing the Monday after.
        w.engine
            .set_weekly_summary(&parent(4), &fourth, false)
            .await
            .unwrap();
        w.clock.advance(7 * DAY);
        assert_eq!(w.engine.tick().await.unwrap().summaries, 0);
    })
    .await;
}
