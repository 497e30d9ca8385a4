//! `/choose/{number}`: the kindergartens with a free seat now, on the map and in the list
//! beside it (the accessible way, and the only one without JavaScript); pick one and confirm.
//! The page listens to the live seat stream: a seat taken or freed anywhere refreshes the
//! choice, keeping what the parent picked.

use super::*;
use crate::api::map::map_tiles;
use crate::domain::map::{MapPlace, MapTiles};
use crate::domain::queue::ClaimableSeat;
use crate::ui::map::{pin, SeatMapView};

#[component]
pub fn ChoosePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let no = move || params.read().get("no").unwrap_or_default();
    let claim = ServerAction::<ClaimSeat>::new();
    let invitation = Resource::new(no, my_invitation);
    let tiles = Resource::new(|| (), |_| map_tiles());
    // Read again after a refused claim (the seat went meanwhile) and on every change of seats.
    let refresh = RwSignal::new(0u32);
    let seats = Resource::new(
        move || (no(), claim.version().get(), refresh.get()),
        |(no, _, _)| claimable_seats(no),
    );
    #[cfg(feature = "hydrate")]
    crate::ui::map::listen(
        move || refresh.update(|n| *n += 1),
        move |_| refresh.update(|n| *n += 1),
    );
    let selected = RwSignal::new(None::<i64>);
    let claim_error = move || claim.value().get().and_then(Result::err);
    view! {
        <Title text=t(locale, Msg::ChooseTitle) />
        <section class="page choose">
            <p class="back">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            <h1>{t(locale, Msg::ChooseTitle)}</h1>
            {move || claim_error().map(|error| view! { <ErrorBox error /> })}
            // A transition, not a suspense: the list and the map read the seats, which are read
            // again on every change of seats anywhere in the city; the page keeps showing them
            // meanwhile (a suspense showed "Loading…" in their place and rebuilt the map).
            <Transition fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let here = format!("/choose/{}", no());
                    let inv = match invitation.await {
                        Ok(Some(inv)) => inv,
                        Ok(None) => {
                            return view! {
                                <div class="card">
                                    <p>{t(locale, Msg::NoInvitation)}</p>
                                    <a class="button secondary" href="/my">{t(locale, Msg::BackToMy)}</a>
                                </div>
                            }.into_any();
                        }
                        Err(e) => return refused(e, &here),
                    };
                    let tiles = tiles.await.unwrap_or_default();
                    view! {
                        <p class="lead">{t(locale, Msg::ChooseIntro)}</p>
                        <p class="deadline">
                            {t(locale, Msg::ChooseBy)} " " <strong>{i18n::through(locale, inv.expires_at)}</strong>
                        </p>
                        <ChoiceMap seats cohort=inv.cohort tiles selected />
                        <Transition fallback=move || loading(locale)>
                            {move || Suspend::new({
                                let public_no = inv.public_no.clone();
                                let here = here.clone();
                                async move {
                                    match seats.await {
                                        Ok(s) if s.is_empty() => {
                                            view! { <p class="card">{t(locale, Msg::NoSeatsNow)}</p> }.into_any()
                                        }
                                        Ok(seats) => view! { <SeatList seats public_no claim selected /> }.into_any(),
                                        Err(e) => refused(e, &here),
                                    }
                                }
                            })}
                        </Transition>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

/// A claimable seat as a place on the map (its one age group: the child's).
fn as_place(locale: Locale, s: &ClaimableSeat, cohort: i32) -> MapPlace {
    MapPlace {
        id: s.kindergarten_id,
        number: s.place.number,
        name: s.place.name(locale).to_owned(),
        address: s.place.address(locale).to_owned(),
        district: s.place.district,
        lat: s.lat,
        lon: s.lon,
        languages: s.languages,
        seats: vec![(cohort, s.free)],
    }
}

/// The map of the seats the child may take; "Choose" in a marker's popup picks that
/// kindergarten in the list and sends the choice (the same form, the same server function).
/// A kindergarten picked in the list is shown on the map with its popup open.
#[component]
fn ChoiceMap(
    seats: Resource<Result<Vec<ClaimableSeat>, AppError>>,
    cohort: i32,
    tiles: MapTiles,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let locale = use_locale();
    let pins = Signal::derive(move || {
        seats
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .iter()
            .map(|s| pin(locale, &as_place(locale, s, cohort), s.free, None, true))
            .collect()
    });
    let on_choose = Callback::new(|id: i64| {
        use wasm_bindgen::JsCast;
        let doc = document();
        let input = doc
            .query_selector(&format!("input[name=kindergarten_id][value=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            input.set_checked(true);
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
        }
    });
    view! {
        <div class="choose-map">
            <SeatMapView pins tiles on_choose reveal=Signal::from(selected) />
        </div>
    }
}

#[component]
fn SeatList(
    seats: Vec<ClaimableSeat>,
    public_no: String,
    claim: ServerAction<ClaimSeat>,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let locale = use_locale();
    // In the server's order: the parent's district and language first.
    view! {
        <ActionForm action=claim>
            <input type="hidden" name="public_no" value=public_no />
            <fieldset class="seats">
                <legend class="visually-hidden">{t(locale, Msg::ChooseTitle)}</legend>
                {seats.into_iter().map(|s| {
                    let (name, address) =
                        (s.place.name(locale).to_owned(), s.place.address(locale).to_owned());
                    let langs: Vec<_> = s.languages.iter().map(|l| language_name(locale, l)).collect();
                    let id = s.kindergarten_id;
                    view! {
                        <label class="choice seat" data-kindergarten=s.place.number>
                            <input
                                type="radio"
                                name="kindergarten_id"
                                value=id
                                required
                                prop:checked=move || selected.get() == Some(id)
                                on:change=move |_| selected.set(Some(id))
                            />
                            <span class="seat-text">
                                <span class="seat-name">{name}</span>
                                <span class="seat-meta">
                                    {district_name(locale, s.place.district)} " · " {address}
                                </span>
                                <span class="seat-meta">
                                    {langs.join(", ")} " · "
                                    <strong>{i18n::free_seats(locale, s.free)}</strong>
                                </span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="sticky-actions">
                <button type="submit" class="primary wide" disabled=move || claim.pending().get()>
                    {t(locale, Msg::ConfirmChoice)}
                </button>
            </div>
        </ActionForm>
    }
}
