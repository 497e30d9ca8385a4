//! `/referrals/{code}`: the referral, to print, with its signed QR code; decline.

use super::*;

#[component]
pub fn ReferralSheet() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let decline = ServerAction::<DeclineReferral>::new();
    let page = Resource::new(
        move || (code(), decline.version().get()),
        |(c, _)| open_referral(c),
    );
    view! {
        <Title text=t(locale, Msg::ReferralTitle) />
        <section class="page narrow referral">
            <p class="back no-print">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            {move || decline.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Sheet p decline /> }.into_any(),
                        Err(e) => refused(e, &format!("/referrals/{}", code())),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Sheet(p: ReferralPage, decline: ServerAction<DeclineReferral>) -> impl IntoView {
    let locale = use_locale();
    let r = p.referral.clone();
    let (name, address) = (
        p.place.name(locale).to_owned(),
        p.place.address(locale).to_owned(),
    );
    let active = r.state == "active";
    let code = r.code.clone();
    view! {
        <article class="card sheet">
            <header class="sheet-head">
                <p class="brand-line">{t(locale, Msg::AppName)} " · " {t(locale, Msg::Tagline)}</p>
                <h1>{t(locale, Msg::ReferralTitle)}</h1>
                <p class="badge" data-testid="referral-state">{t(locale, referral_state_msg(&r.state))}</p>
            </header>
            <div class="sheet-body">
                <dl class="facts">
                    <div>
                        <dt>{t(locale, Msg::ChildLabel)}</dt>
                        <dd>{p.child_name.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::AppNumberLabel)}</dt>
                        <dd class="number">{r.public_no.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::KindergartenNo)}</dt>
                        <dd><strong>{name}</strong> " (" {i18n::number(locale, p.place.number)} ")"</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::AddressLabel)}</dt>
                        <dd>{district_name(locale, p.place.district)} ", " {address}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::GroupLabel)}</dt>
                        <dd>{i18n::born_in(locale, r.cohort)}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::IssuedLabel)}</dt>
                        <dd>{i18n::when(r.issued_at)}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::ValidUntilLabel)}</dt>
                        <dd><strong data-testid="valid-until">{i18n::through(locale, r.expires_at)}</strong></dd>
                    </div>
                </dl>
                <div class="code-block">
                    <p class="code-label">{t(locale, Msg::ReferralCode)}</p>
                    <p class="code" data-testid="code">{r.code.clone()}</p>
                    <figure class="qr" role="img" aria-label=t(locale, Msg::QrLabel) inner_html=p.qr_svg.clone()></figure>
                </div>
            </div>
            <p class="howto">{t(locale, Msg::ReferralHowTo)}</p>
            <p class="token visually-hidden" data-testid="token">{p.token.clone()}</p>
        </article>
        <div class="actions no-print">
            <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>
                {t(locale, Msg::Print)}
            </button>
            {active.then(|| view! {
                <details class="danger">
                    <summary>{t(locale, Msg::Decline)}</summary>
                    <p>{t(locale, Msg::DeclineConfirm)}</p>
                    <ActionForm action=decline>
                        <input type="hidden" name="code" value=code />
                        <button type="submit" class="danger">{t(locale, Msg::DeclineYes)}</button>
                    </ActionForm>
                </details>
            })}
        </div>
    }
}
