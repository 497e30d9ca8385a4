//! `/my`: each child's status, place and its history, live; contacts and withdrawal.

use super::*;

#[component]
pub fn MyPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let withdraw = ServerAction::<Withdraw>::new();
    let contacts = ServerAction::<UpdateContacts>::new();
    let weekly = ServerAction::<SetWeeklySummary>::new();
    let today = Resource::new(|| (), |_| today_in_almaty());
    let mine = Resource::new(
        move || {
            (
                withdraw.version().get(),
                contacts.version().get(),
                weekly.version().get(),
            )
        },
        |_| my_children(),
    );
    // Live: the server says when a child's place changed, and the list is read again.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        listen(move || mine.refetch(), live);
    });
    let applied = move || query.read().get("applied");
    let saved = move || query.read().get("saved").is_some();
    let action_error = move || {
        withdraw
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| contacts.value().get().and_then(Result::err))
            .or_else(|| weekly.value().get().and_then(Result::err))
    };
    view! {
        <Title text=t(locale, Msg::NavMy) />
        <section class="page narrow my">
            <div class="title-row">
                <h1>{t(locale, Msg::NavMy)}</h1>
                <a class="refresh" href="/my">{t(locale, Msg::Refresh)}</a>
            </div>
            {move || live.get().then(|| view! { <p class="hint live" data-testid="live">{t(locale, Msg::LiveNote)}</p> })}
            {move || applied().map(|no| view! {
                <div class="notice" role="status" data-testid="applied">
                    <p>{t(locale, Msg::AppliedNotice)} " " <strong class="number">{no.clone()}</strong></p>
                    <p>
                        <a href=format!("/apply?sibling={}", encode_component(&no))>
                            {t(locale, Msg::ApplySibling)}
                        </a>
                    </p>
                </div>
            })}
            {move || saved().then(|| view! { <p class="notice" role="status">{t(locale, Msg::SavedNotice)}</p> })}
            {move || action_error().map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let today = today.await.ok().and_then(|d| parse_iso_date(&d));
                    match mine.await {
                        Ok(children) if children.is_empty() => view! {
                            <div class="card">
                                <p>{t(locale, Msg::MyEmpty)}</p>
                                <a class="button primary" href="/apply">{t(locale, Msg::ApplyForChild)}</a>
                            </div>
                        }.into_any(),
                        Ok(children) => view! {
                            {children.into_iter().map(|c| view! { <ChildCard c today withdraw contacts weekly /> }).collect_view()}
                            <p><a class="button secondary" href="/apply">{t(locale, Msg::ApplyForChild)}</a></p>
                        }.into_any(),
                        Err(e) => refused(e, "/my"),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Listens at `/events/my` while the page is open; `changed` calls `on_change`.
#[cfg(feature = "hydrate")]
fn listen(on_change: impl Fn() + 'static, live: RwSignal<bool>) {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new("/events/my") else {
        return;
    };
    let Ok(mut changes) = source.subscribe("changed") else {
        return;
    };
    // Closed (and the stream ended) when the page goes.
    let source = StoredValue::new_local(Some(source));
    on_cleanup(move || source.update_value(|s| drop(s.take())));
    live.set(true);
    leptos::task::spawn_local(async move {
        while let Some(Ok(_)) = changes.next().await {
            on_change();
        }
    });
}

#[component]
fn ChildCard(
    c: MyChild,
    today: Option<time::Date>,
    withdraw: ServerAction<Withdraw>,
    contacts: ServerAction<UpdateContacts>,
    weekly: ServerAction<SetWeeklySummary>,
) -> impl IntoView {
    let locale = use_locale();
    let no = c.public_no.clone();
    let open = c.status.is_open();
    let status_class = format!("badge status-{}", c.status.code());
    view! {
        <article class="card child" data-number=no.clone()>
            <header class="child-head">
                <h2>{c.child_name.clone()}</h2>
                <span class=status_class data-testid="status">{t(locale, status_msg(c.status))}</span>
            </header>
            {c.invitation.clone().map(|inv| view! {
                <div class="banner invited" role="status">
                    <p>{t(locale, Msg::InvitedBanner)} " " <strong>{i18n::through(locale, inv.expires_at)}</strong></p>
                    <a class="button primary" href=format!("/choose/{}", inv.public_no) data-testid="choose">
                        {t(locale, Msg::ChooseNow)}
                    </a>
                </div>
            })}
            {c.referral.clone().map(|(r, place)| view! {
                <div class="banner referred">
                    <p>
                        <strong>{place.name(locale).to_owned()}</strong>
                        " · " {t(locale, Msg::ValidUntilLabel)} " " {i18n::through(locale, r.expires_at)}
                    </p>
                    <a class="button primary" href=format!("/referrals/{}", r.code)>{t(locale, Msg::OpenReferral)}</a>
                </div>
            })}
            <dl class="facts">
                <div>
                    <dt>{t(locale, Msg::AppNumberLabel)}</dt>
                    <dd class="number">{no.clone()}</dd>
                </div>
                <div>
                    <dt>{t(locale, Msg::CohortLabel)}</dt>
                    <dd>{cohort_words(locale, c.cohort, today)}</dd>
                </div>
                {c.position.position.map(|p| view! {
                    <div>
                        <dt>{t(locale, Msg::PositionLabel)}</dt>
                        <dd data-testid="position">
                            {i18n::place_in_queue(locale, p, c.position.waiting_in_cohort, c.cohort)}
                        </dd>
                    </div>
                })}
            </dl>
            <details class="history" open=!c.position.history.is_empty()>
                <summary>{t(locale, Msg::PositionHistory)}</summary>
                <History changes=c.position.history.clone() />
            </details>
            <Notices c=c.clone() weekly />
            {open.then(|| {
                let no1 = no.clone();
                let no2 = no.clone();
                let k = c.contacts.clone();
                view! {
                    <details class="edit">
                        <summary>{t(locale, Msg::EditContacts)}</summary>
                        <ActionForm action=contacts>
                            <input type="hidden" name="public_no" value=no1 />
                            <label>{t(locale, Msg::Phone1Label)}
                                <input name="contacts[phone1]" type="tel" inputmode="tel" value=k.phone1 />
                            </label>
                            <label>{t(locale, Msg::Phone2Label)}
                                <input name="contacts[phone2]" type="tel" inputmode="tel" value=k.phone2 />
                            </label>
                            <label>{t(locale, Msg::EmailLabel)}
                                <input name="contacts[email]" type="email" inputmode="email" value=k.email />
                            </label>
                            <button type="submit" class="secondary">{t(locale, Msg::Save)}</button>
                        </ActionForm>
                    </details>
                    <details class="danger">
                        <summary>{t(locale, Msg::Withdraw)}</summary>
                        <p>{t(locale, Msg::WithdrawConfirm)}</p>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="public_no" value=no2 />
                            <button type="submit" class="danger">{t(locale, Msg::WithdrawYes)}</button>
                        </ActionForm>
                    </details>
                }
            })}
        </article>
    }
}

/// The place's history: when it moved, from where to where, and why.
#[component]
pub(crate) fn History(changes: Vec<PositionChange>) -> impl IntoView {
    let locale = use_locale();
    if changes.is_empty() {
        return view! { <p class="hint">{t(locale, Msg::NoChangesYet)}</p> }.into_any();
    }
    view! {
        <ol class="changes">
            {changes.into_iter().map(|ch| {
                let moved = match ch.previous {
                    Some(p) => format!("{} → {}", i18n::fmt_int(locale, p), i18n::fmt_int(locale, ch.position)),
                    None => i18n::fmt_int(locale, ch.position),
                };
                view! {
                    <li>
                        <span class="when">{i18n::when(ch.at)}</span>
                        <strong class="moved">{moved}</strong>
                        <ul>
                            {ch.reasons.into_iter().map(|r| view! {
                                <li>{r.text.clone()}</li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// What became of the notifications to the parent, and the weekly summary's switch (the
/// words come written from the server).
#[component]
fn Notices(c: MyChild, weekly: ServerAction<SetWeeklySummary>) -> impl IntoView {
    let text = c.notices_text.clone();
    let list = if c.notices.is_empty() {
        view! { <p class="hint">{text.none_yet.clone()}</p> }.into_any()
    } else {
        view! {
            <ul class="notices">
                {c.notices.iter().map(|n| view! {
                    <li data-testid="notice">
                        <strong>{n.about.clone()}</strong>
                        <ul>
                            {n.deliveries.iter().map(|d| view! {
                                <li class=format!("delivery-{}", d.state)>{d.line.clone()}</li>
                            }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    // For a child in the queue (or invited from it, who may return to it).
    let switch = matches!(c.status, AppStatus::Waiting | AppStatus::Invited).then(|| {
        view! {
            <ActionForm action=weekly attr:class="weekly">
                <input type="hidden" name="public_no" value=c.public_no.clone() />
                <input type="hidden" name="on" value=(!c.weekly_summary).to_string() />
                <p class="hint" data-testid="weekly-said">{text.weekly_said.clone()}</p>
                <button type="submit" class="secondary" data-testid="weekly">{text.weekly_button.clone()}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="notices-box">
            <h3>{text.title.clone()}</h3>
            {list}
            {switch}
        </section>
    }
}
