//! Storage behaviour, the same bodies on SQLite and PostgreSQL.

mod common;

use app::demo::{self, Scale};
use app::domain::{DirectoryFilter, District, GroupLanguage, KindergartenKind};
use app::store::{City, Db, StoreError};
use common::on_both;
use std::sync::atomic::{AtomicU64, Ordering};
use time::macros::date;

fn small_city() -> City {
    demo::generate(42, date!(2026 - 11 - 25), Scale::TOWN)
}

async fn loaded(store: &Db) -> City {
    let city = small_city();
    store.load_city(&city, &|_, _| {}).await.expect("load city");
    city
}

#[tokio::test]
async fn a_new_store_is_empty_and_answers_pings() {
    on_both(|store| async move {
        store.ping().await.unwrap();
        assert!(store.is_empty().await.unwrap());
        let s = store.city_summary().await.unwrap();
        assert_eq!(
            (s.organisations, s.waiting_children, s.free_seats),
            (0, 0, 0)
        );
        let page = store.directory(&DirectoryFilter::default()).await.unwrap();
        assert_eq!(page.total, 0);
        assert!(page.items.is_empty());
    })
    .await;
}

#[tokio::test]
async fn loading_a_city_keeps_every_row_and_reports_progress() {
    on_both(|store| async move {
        let last = AtomicU64::new(0);
        let city = small_city();
        store
            .load_city(&city, &|done, total| {
                assert!(done <= total);
                assert!(
                    done >= last.swap(done, Ordering::SeqCst),
                    "progress never goes back"
                );
            })
            .await
            .unwrap();
        assert_eq!(last.load(Ordering::SeqCst), 2_090);
        assert!(!store.is_empty().await.unwrap());
        let s = store.city_summary().await.unwrap();
        assert_eq!(s.organisations, 90);
        assert_eq!(s.in_queue, 60);
        assert_eq!(s.waiting_children, 2_000);
        let expected_free: i64 = city
            .kindergartens
            .iter()
            .filter(|k| k.in_queue)
            .flat_map(|k| k.seats.iter().map(|s| s.2))
            .sum();
        assert_eq!(s.free_seats, expected_free);
        let by_cohort = store.waiting_by_cohort().await.unwrap();
        assert_eq!(by_cohort.iter().map(|(_, n)| n).sum::<i64>(), 2_000);
        assert!(by_cohort.windows(2).all(|w| w[0].0 < w[1].0));
    })
    .await;
}

#[tokio::test]
async fn a_second_load_is_refused_and_changes_nothing() {
    on_both(|store| async move {
        loaded(&store).await;
        let err = store
            .load_city(&small_city(), &|_, _| {})
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotEmpty), "{err:?}");
        assert_eq!(store.city_summary().await.unwrap().waiting_children, 2_000);
    })
    .await;
}

#[tokio::test]
async fn a_load_that_breaks_a_rule_is_rolled_back_whole() {
    on_both(|store| async move {
        let mut city = small_city();
        // The same child twice: the database's own one-open-application-per-child rule.
        let twin = city.applications[0].clone();
        let mut dup = twin.clone();
        dup.id = 999_999;
        dup.public_no = "ALM-2099-999999".into();
        city.applications.push(dup);
        let err = store.load_city(&city, &|_, _| {}).await.unwrap_err();
        assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
        assert!(
            store.is_empty().await.unwrap(),
            "nothing of the failed load remains"
        );
        assert_eq!(store.city_summary().await.unwrap().waiting_children, 0);
    })
    .await;
}

#[tokio::test]
async fn directory_filters_agree_with_the_data() {
    on_both(|store| async move {
        let city = loaded(&store).await;
        let all = store.directory(&DirectoryFilter::default()).await.unwrap();
        assert_eq!(all.total, 90);
        assert_eq!(all.items.len(), DirectoryFilter::PAGE_SIZE as usize);
        // Kindergartens in the queue come first.
        assert!(all.items.iter().all(|k| k.in_queue));

        for d in District::ALL {
            let f = DirectoryFilter {
                district: Some(d),
                ..Default::default()
            };
            let page = store.directory(&f).await.unwrap();
            let expected = city
                .kindergartens
                .iter()
                .filter(|k| k.district == d)
                .count() as i64;
            assert_eq!(page.total, expected, "{d:?}");
            assert!(page.items.iter().all(|k| k.district == d));
        }

        let f = DirectoryFilter {
            language: Some(GroupLanguage::Russian),
            ..Default::default()
        };
        let page = store.directory(&f).await.unwrap();
        let expected = city
            .kindergartens
            .iter()
            .filter(|k| k.languages.contains(GroupLanguage::Russian))
            .count() as i64;
        assert_eq!(page.total, expected);
        assert!(page
            .items
            .iter()
            .all(|k| k.languages.contains(GroupLanguage::Russian)));

        let f = DirectoryFilter {
            free_only: true,
            ..Default::default()
        };
        let page = store.directory(&f).await.unwrap();
        let expected = city
            .kindergartens
            .iter()
            .filter(|k| k.in_queue && k.seats.iter().any(|s| s.2 > 0))
            .count() as i64;
        assert!(expected > 0, "the small city has free seats somewhere");
        assert_eq!(page.total, expected);
        assert!(page.items.iter().all(|k| k.free_seats > 0 && k.in_queue));
    })
    .await;
}

#[tokio::test]
async fn search_finds_names_in_both_languages_any_case() {
    on_both(|store| async move {
        let city = loaded(&store).await;
        let k = city
            .kindergartens
            .iter()
            .find(|k| k.kind == KindergartenKind::General)
            .unwrap();
        // A word from the Kazakh name in upper case, as a person might type it.
        let word = k
            .name_kk
            .split('«')
            .nth(1)
            .unwrap()
            .split('»')
            .next()
            .unwrap();
        let f = DirectoryFilter::parse(&word.to_uppercase(), "", "", "", "").unwrap();
        let page = store.directory(&f).await.unwrap();
        assert!(page.total >= 1);
        assert!(page
            .items
            .iter()
            .all(|c| c.name_kk.to_lowercase().contains(&word.to_lowercase())
                || c.name_ru.to_lowercase().contains(&word.to_lowercase())));

        // By registry number.
        let f = DirectoryFilter::parse(&format!("№{}", k.number), "", "", "", "").unwrap();
        let page = store.directory(&f).await.unwrap();
        assert!(page.items.iter().any(|c| c.id == k.id));

        // LIKE wildcards typed by a person are literal, not patterns.
        let f = DirectoryFilter {
            text: "%".into(),
            ..Default::default()
        };
        assert_eq!(store.directory(&f).await.unwrap().total, 0);
        let f = DirectoryFilter::parse("zzzz-no-such-name", "", "", "", "").unwrap();
        assert_eq!(store.directory(&f).await.unwrap().total, 0);
    })
    .await;
}

#[tokio::test]
async fn pages_cover_every_kindergarten_once() {
    on_both(|store| async move {
        loaded(&store).await;
        let mut seen = std::collections::HashSet::new();
        let mut page_no = 0;
        loop {
            let f = DirectoryFilter {
                page: page_no,
                ..Default::default()
            };
            let page = store.directory(&f).await.unwrap();
            if page.items.is_empty() {
                break;
            }
            for k in page.items {
                assert!(seen.insert(k.id), "kindergarten {} on two pages", k.id);
            }
            page_no += 1;
        }
        assert_eq!(seen.len(), 90);
        assert_eq!(page_no, 4);
    })
    .await;
}

#[tokio::test]
async fn a_kindergarten_page_has_its_groups() {
    on_both(|store| async move {
        let city = loaded(&store).await;
        for k in city.kindergartens.iter().take(10) {
            let d = store.kindergarten(k.id).await.unwrap().expect("exists");
            assert_eq!(d.card.name_ru, k.name_ru);
            assert_eq!(d.card.languages, k.languages);
            assert_eq!(d.groups.len(), k.seats.len());
            assert_eq!(d.card.capacity, k.seats.iter().map(|s| s.1).sum::<i64>());
            assert_eq!(d.card.free_seats, k.seats.iter().map(|s| s.2).sum::<i64>());
            assert!(d.groups.windows(2).all(|w| w[0].cohort > w[1].cohort));
        }
        assert!(store.kindergarten(123_456).await.unwrap().is_none());
    })
    .await;
}
