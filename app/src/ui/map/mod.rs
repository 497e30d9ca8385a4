//! The live map: `/map` (public) and the map on the parent's choice page.
//!
//! The server renders the filter form, an empty map container and the list of kindergartens
//! with free seats (the accessible alternative, and all there is without JavaScript). In the
//! browser, Leaflet starts in the container once the page is live (so hydration never sees its
//! markup), and the page listens at `/events`: each change of seats anywhere in the city moves
//! the markers and the list within a second.

#[cfg(feature = "hydrate")]
mod leaflet;

use super::common::*;
use crate::api::map::load_map;
use crate::domain::map::{MapData, MapFilter, MapPlace, MapTiles};
use crate::domain::{parse_iso_date, Cohort};
use crate::i18n::{self, t, Locale, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// One marker: where, how many free seats count, its title and its popup (HTML, escaped).
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub free: i64,
    pub title: String,
    pub popup: String,
}

/// Text for HTML (the popups are HTML strings handed to Leaflet).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// "middle group (born in 2022)".
pub fn group_words(locale: Locale, cohort: i32, today: Option<time::Date>) -> String {
    let born = i18n::born_in(locale, cohort);
    match today.and_then(|d| Cohort(cohort).age_group(d)) {
        Some(g) => format!("{} ({born})", age_group_name(locale, Some(g))),
        None => born,
    }
}

/// A place's marker for `filter`; `choose` adds the button that picks it (the choice page).
pub fn pin(
    locale: Locale,
    p: &MapPlace,
    free: i64,
    today: Option<time::Date>,
    choose: bool,
) -> Pin {
    let langs: Vec<_> = p
        .languages
        .iter()
        .map(|l| language_name(locale, l))
        .collect();
    let mut html = format!(
        "<p class=\"popup-name\"><strong>{}</strong></p><p>{}<br>{} · {}</p><ul class=\"popup-seats\">",
        escape(&p.name),
        escape(&p.address),
        district_name(locale, p.district),
        langs.join(", "),
    );
    for (cohort, n) in &p.seats {
        html.push_str(&format!(
            "<li>{}: <strong>{}</strong></li>",
            escape(&group_words(locale, *cohort, today)),
            i18n::free_seats(locale, *n)
        ));
    }
    html.push_str("</ul>");
    if choose {
        html.push_str(&format!(
            "<button type=\"button\" class=\"primary\" data-choose=\"{}\">{}</button>",
            p.id,
            t(locale, Msg::ChooseThis)
        ));
    } else {
        html.push_str(&format!(
            "<p><a href=\"/kindergartens/{}\">{}</a></p>",
            p.id,
            t(locale, Msg::AboutKindergarten)
        ));
    }
    Pin {
        id: p.id,
        lat: p.lat,
        lon: p.lon,
        free,
        title: format!("{} · {}", p.name, i18n::free_seats(locale, free)),
        popup: html,
    }
}

/// The map itself: a container the server renders empty and Leaflet fills in the browser.
/// `pins` are shown as they change; a click on a popup's "Choose" calls `on_choose`; the pin
/// `reveal` names (if any) is brought into view with its popup open.
#[component]
pub fn SeatMapView(
    pins: Signal<Vec<Pin>>,
    tiles: MapTiles,
    #[prop(optional)] on_choose: Option<Callback<i64>>,
    #[prop(optional)] reveal: Option<Signal<Option<i64>>>,
) -> impl IntoView {
    let locale = use_locale();
    let el = NodeRef::<leptos::html::Div>::new();
    let failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let map = StoredValue::new_local(None::<leaflet::SeatMap>);
        let ready = RwSignal::new(false);
        let started = StoredValue::new(false);
        Effect::new(move |_| {
            let Some(div) = el.get() else { return };
            if started.get_value() {
                return;
            }
            started.set_value(true);
            let tiles = tiles.clone();
            leptos::task::spawn_local(async move {
                match leaflet::SeatMap::start(div.into(), &tiles.url, &tiles.attribution).await {
                    Ok(m) => {
                        map.set_value(Some(m));
                        ready.set(true);
                    }
                    Err(_) => failed.set(true),
                }
            });
        });
        Effect::new(move |_| {
            let pins = pins.get();
            if ready.get() {
                map.update_value(|m| {
                    if let Some(m) = m {
                        m.show(&pins)
                    }
                });
            }
        });
        Effect::new(move |_| {
            let id = reveal.and_then(|r| r.get());
            if let (Some(id), true) = (id, ready.get()) {
                map.update_value(|m| {
                    if let Some(m) = m {
                        m.reveal(id)
                    }
                });
            }
        });
        on_cleanup(move || map.update_value(|m| drop(m.take())));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (pins, tiles, reveal);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(cb) = on_choose else { return };
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-choose]").ok().flatten())
            .and_then(|e| e.get_attribute("data-choose"))
            .and_then(|id| id.parse::<i64>().ok());
        if let Some(id) = chosen {
            cb.run(id);
        }
    };
    view! {
        {move || failed.get().then(|| view! { <p class="note">{t(locale, Msg::MapUnavailable)}</p> })}
        <div
            class="seat-map"
            node_ref=el
            role="region"
            aria-label=t(locale, Msg::MapRegion)
            data-testid="map"
            on:click=on_click
        ></div>
    }
}

/// Listens at `/events` while the page is open: `hello` (the stream began or began again)
/// calls `on_hello`, each change of seats `on_seats` with its counts.
#[cfg(feature = "hydrate")]
pub fn listen(
    on_hello: impl Fn() + 'static,
    on_seats: impl Fn(Vec<crate::domain::map::SeatCounts>) + 'static,
) {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new("/events") else {
        return;
    };
    let (Ok(mut hello), Ok(mut seats)) = (source.subscribe("hello"), source.subscribe("seats"))
    else {
        return;
    };
    let source = StoredValue::new_local(Some(source));
    on_cleanup(move || source.update_value(|s| drop(s.take())));
    leptos::task::spawn_local(async move {
        while let Some(Ok(_)) = hello.next().await {
            on_hello();
        }
    });
    leptos::task::spawn_local(async move {
        while let Some(Ok((_, msg))) = seats.next().await {
            if let Some(text) = msg.data().as_string() {
                if let Ok(counts) = serde_json::from_str(&text) {
                    on_seats(counts);
                }
            }
        }
    });
}

#[component]
pub fn MapPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        MapFilter::parse(&get("cohort"), &get("district"), &get("lang"))
    });
    let data = Resource::new(move || locale, |l| load_map(l.code().to_string()));
    view! {
        <Title text=t(locale, Msg::MapTitle) />
        <section class="page map-page">
            <h1>{t(locale, Msg::MapTitle)}</h1>
            <p class="lead">{t(locale, Msg::MapIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    or_error(data.await, |d| view! { <LiveMap data=d filter /> }.into_any())
                })}
            </Suspense>
        </section>
    }
}

/// The filter form, the map and the list, kept current by the live stream.
#[component]
fn LiveMap(data: MapData, filter: Memo<MapFilter>) -> impl IntoView {
    let locale = use_locale();
    let today = parse_iso_date(&data.today);
    let cohorts = data.cohorts.clone();
    let tiles = data.tiles.clone();
    let data = RwSignal::new(data);
    let live = RwSignal::new(false);
    // While the map is read afresh (each time the stream begins), the changes that come are
    // kept and laid over the fresh reading, which may be older than they are.
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new(None::<Vec<crate::domain::map::SeatCounts>>);
        listen(
            move || {
                live.set(true);
                pending.set_value(Some(Vec::new()));
                leptos::task::spawn_local(async move {
                    let fresh = load_map(locale.code().to_string()).await;
                    let later = pending
                        .try_update_value(Option::take)
                        .flatten()
                        .unwrap_or_default();
                    if let Ok(mut fresh) = fresh {
                        fresh.update(&later);
                        data.set(fresh);
                    }
                })
            },
            move |counts| {
                pending.update_value(|p| {
                    if let Some(p) = p {
                        p.extend(counts.iter().cloned());
                    }
                });
                data.update(|d| {
                    d.update(&counts);
                })
            },
        );
    }
    let shown = Memo::new(move |_| {
        let f = filter.get();
        data.with(|d| {
            f.apply(&d.places)
                .into_iter()
                .map(|(p, free)| (p.clone(), free))
                .collect::<Vec<_>>()
        })
    });
    let pins = Signal::derive(move || {
        shown.with(|s| {
            s.iter()
                .map(|(p, free)| pin(locale, p, *free, today, false))
                .collect()
        })
    });
    let with_seats = move || shown.with(|s| s.iter().filter(|(_, f)| *f > 0).count() as i64);
    view! {
        <Form method="GET" action="/map" attr:class="filters map-filters" on:change=submit_on_change>
            <fieldset>
                <legend class="visually-hidden">{t(locale, Msg::FilterLegend)}</legend>
                {filter_select(locale, ("m-cohort", "cohort"), (Msg::CohortLabel, Msg::AnyAgeGroup),
                    cohorts.into_iter().map(|c| (c.to_string(), group_words(locale, c, today))).collect(),
                    move |v| filter.get().cohort.map(|c| c.to_string()).unwrap_or_default() == v)}
                {filter_select(locale, ("m-district", "district"), (Msg::DistrictLabel, Msg::AnyDistrict),
                    district_options(locale), move |v| filter.get().district.map_or("", |d| d.code()) == v)}
                {filter_select(locale, ("m-lang", "lang"), (Msg::GroupLanguageLabel, Msg::AnyLanguage),
                    language_options(locale), move |v| filter.get().language.map_or("", |l| l.code()) == v)}
                <div class="actions">
                    <button type="submit">{t(locale, Msg::ApplyFilters)}</button>
                    <a href="/map" class="reset">{t(locale, Msg::ResetFilters)}</a>
                </div>
            </fieldset>
        </Form>
        <div class="map-layout">
            <SeatMapView pins tiles />
            <div class="map-list">
                <h2>{t(locale, Msg::MapListHeading)}</h2>
                {move || live.get().then(|| view! { <p class="hint live" data-testid="live">{t(locale, Msg::MapLive)}</p> })}
                <p class="count" role="status" data-testid="with-seats">
                    {move || i18n::with_seats(locale, with_seats())}
                </p>
                {move || (with_seats() == 0).then(|| view! { <p class="empty">{t(locale, Msg::MapNoSeats)}</p> })}
                <ul class="cards places" data-testid="places">
                    {move || shown.with(|s| {
                        s.iter()
                            .filter(|(_, free)| *free > 0)
                            .map(|(p, free)| place_item(locale, p, *free))
                            .collect_view()
                    })}
                </ul>
            </div>
        </div>
    }
}

/// One line of the list beside the map.
fn place_item(locale: Locale, p: &MapPlace, free: i64) -> impl IntoView {
    let langs: Vec<_> = p
        .languages
        .iter()
        .map(|l| language_name(locale, l))
        .collect();
    view! {
        <li class="card place" data-kindergarten=p.id data-free=free>
            <a href=format!("/kindergartens/{}", p.id) class="card-title">{p.name.clone()}</a>
            <span class="card-meta">{district_name(locale, p.district)} " · " {p.address.clone()}</span>
            <span class="card-meta">
                {langs.join(", ")} " · " <strong>{i18n::free_seats(locale, free)}</strong>
            </span>
        </li>
    }
}
