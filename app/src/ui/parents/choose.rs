//! `/choose/{number}`: the kindergartens with a free seat now; pick one and confirm.

use super::*;

#[component]
pub fn ChoosePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let no = move || params.read().get("no").unwrap_or_default();
    let claim = ServerAction::<ClaimSeat>::new();
    let invitation = Resource::new(no, my_invitation);
    // A refused claim (the seat went meanwhile) refreshes the list.
    let seats = Resource::new(
        move || (no(), claim.version().get()),
        |(no, _)| claimable_seats(no),
    );
    let claim_error = move || claim.value().get().and_then(Result::err);
    view! {
        <Title text=t(locale, Msg::ChooseTitle) />
        <section class="page narrow choose">
            <p class="back">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            <h1>{t(locale, Msg::ChooseTitle)}</h1>
            {move || claim_error().map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
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
                    let seats = match seats.await {
                        Ok(s) => s,
                        Err(e) => return refused(e, &here),
                    };
                    view! {
                        <p class="lead">{t(locale, Msg::ChooseIntro)}</p>
                        <p class="deadline">
                            {t(locale, Msg::ChooseBy)} " " <strong>{i18n::through(locale, inv.expires_at)}</strong>
                        </p>
                        {if seats.is_empty() {
                            view! { <p class="card">{t(locale, Msg::NoSeatsNow)}</p> }.into_any()
                        } else {
                            view! { <SeatList seats public_no=inv.public_no.clone() claim /> }.into_any()
                        }}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SeatList(
    seats: Vec<crate::domain::queue::ClaimableSeat>,
    public_no: String,
    claim: ServerAction<ClaimSeat>,
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
                    view! {
                        <label class="choice seat" data-kindergarten=s.place.number>
                            <input type="radio" name="kindergarten_id" value=s.kindergarten_id required />
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
