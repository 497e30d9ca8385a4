//! `/apply`: the application, checked as it is typed by the rules the server uses.

use super::*;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| who_am_i());
    let today = Resource::new(|| (), |_| today_in_almaty());
    let siblings = Resource::new(
        move || query.read().get("sibling").is_some(),
        |wanted| async move {
            if wanted {
                Some(my_children().await)
            } else {
                None
            }
        },
    );
    view! {
        <Title text=t(locale, Msg::ApplyTitle) />
        <section class="page narrow apply">
            <p class="back">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            <h1>{t(locale, Msg::ApplyTitle)}</h1>
            <p class="lead">{t(locale, Msg::ApplyIntro)}</p>
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let sibling = query.read_untracked().get("sibling");
                    match (me.await, today.await) {
                        (Ok(m), Ok(today)) if m.role.as_deref() == Some("parent") => {
                            let today = parse_iso_date(&today)
                                .unwrap_or(time::macros::date!(2026 - 01 - 01));
                            // A brother's or sister's application: the same contacts and
                            // wishes, ready to change.
                            let mut prefill = ApplicationForm::default();
                            if let (Some(no), Some(Ok(children))) = (&sibling, siblings.await) {
                                if let Some(c) = children.iter().find(|c| &c.public_no == no) {
                                    prefill.phone1 = c.contacts.phone1.clone();
                                    prefill.phone2 = c.contacts.phone2.clone();
                                    prefill.email = c.contacts.email.clone();
                                    prefill.district = c.district.clone();
                                    prefill.language = c.language.clone();
                                }
                            }
                            view! { <ApplyForm today sibling prefill /> }.into_any()
                        }
                        (Ok(_), Ok(_)) => {
                            let here = match &sibling {
                                Some(s) => format!("/apply?sibling={s}"),
                                None => "/apply".into(),
                            };
                            to_sign_in(&here)
                        }
                        (Err(e), _) | (_, Err(e)) => refused(e, "/apply"),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ApplyForm(
    today: time::Date,
    sibling: Option<String>,
    prefill: ApplicationForm,
) -> impl IntoView {
    let locale = use_locale();
    let apply = ServerAction::<Apply>::new();
    let form = RwSignal::new(ApplicationForm {
        priority: "general".into(),
        sibling_of: sibling.clone(),
        ..prefill.clone()
    });
    // A field's message shows once the field was left (or the IIN is whole), and every
    // message once the form was sent.
    let touched = RwSignal::new(HashSet::<Field>::new());
    let tried = RwSignal::new(apply.value().with_untracked(|v| v.is_some()));
    let problems = Memo::new(move |_| form.with(|f| check(f, None, today).1));
    let problem = move |f: Field| -> Option<&'static str> {
        if !(tried.get() || touched.with(|t| t.contains(&f))) {
            return None;
        }
        problems.with(|p| {
            p.iter()
                .find(|p| p.0 == f)
                .map(|p| t(locale, invalid_msg(p.1)))
        })
    };
    let touch = move |f: Field| {
        touched.update(|t| {
            t.insert(f);
        })
    };
    let derived = move || {
        form.with(|f| Iin::parse(&f.child_iin).ok()).map(|iin| {
            let born = iin.birth_date();
            (
                format!(
                    "{:02}.{:02}.{}",
                    born.day(),
                    born.month() as u8,
                    born.year()
                ),
                cohort_words(locale, born.year(), Some(today)),
            )
        })
    };
    // The inputs keep what is typed (also before the page's code has arrived); the form's
    // data is read from them on every change and once the page is live.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let read = move || -> Option<ApplicationForm> {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            let el = form_ref.get_untracked()?;
            let data = web_sys::FormData::new_with_form(&el).ok()?;
            Apply::from_form_data(&data).ok().map(|a| a.form)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    };
    let reread = move || {
        if let Some(f) = read() {
            if f.child_iin.trim().len() >= 12 {
                touch(Field::ChildIin);
            }
            form.set(f);
        }
    };
    Effect::new(reread);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        reread();
        tried.set(true);
        if problems.with_untracked(Vec::is_empty) {
            apply.dispatch(Apply {
                form: form.get_untracked(),
            });
        }
    };
    let server_error = move || apply.value().get().and_then(Result::err);
    let privileged = move || form.with(|f| f.priority != "general");

    // One text field: its label, the input bound to the form, and its message.
    let text_field = move |field: Field,
                           id: &'static str,
                           label: Msg,
                           kind: &'static str,
                           extra: (&'static str, &'static str),
                           value: String| {
        let err_id = format!("{id}-error");
        let described = err_id.clone();
        view! {
            <div class="field" class:invalid=move || problem(field).is_some()>
                <label for=id>{t(locale, label)}</label>
                <input
                    id=id
                    name=format!("form[{id}]")
                    type=kind
                    inputmode=extra.0
                    autocomplete=extra.1
                    value=value
                    on:blur=move |_| touch(field)
                    aria-invalid=move || problem(field).is_some().then_some("true")
                    aria-describedby=described
                />
                <p class="field-error" id=err_id aria-live="polite">{move || problem(field)}</p>
            </div>
        }
    };

    // One choice among options: its label, the select, and its message.
    let select_field = move |field: Field,
                             id: &'static str,
                             label: Msg,
                             options: Vec<(&'static str, &'static str)>,
                             chosen: String| {
        let err_id = format!("{id}-error");
        let described = err_id.clone();
        view! {
            <div class="field" class:invalid=move || problem(field).is_some()>
                <label for=id>{t(locale, label)}</label>
                <select
                    id=id
                    name=format!("form[{id}]")
                    on:change=move |_| touch(field)
                    aria-describedby=described
                >
                    <option value="">{t(locale, Msg::ChooseOption)}</option>
                    {options
                        .into_iter()
                        .map(|(code, name)| view! {
                            <option value=code selected=chosen == code>{name}</option>
                        })
                        .collect_view()}
                </select>
                <p class="field-error" id=err_id>{move || problem(field)}</p>
            </div>
        }
    };

    view! {
        {move || server_error().map(|error| view! { <ErrorBox error /> })}
        {move || {
            (tried.get() && !problems.with(Vec::is_empty))
                .then(|| view! { <p class="error" role="alert">{t(locale, Msg::FixBelow)}</p> })
        }}
        <form
            method="post"
            action=Apply::url()
            on:submit=on_submit
            on:input=move |_| reread()
            on:change=move |_| reread()
            node_ref=form_ref
            novalidate
            class="card form"
        >
            {sibling.clone().map(|s| view! {
                <p class="note">{t(locale, Msg::TogetherWith)} " " <strong>{s.clone()}</strong></p>
                <input type="hidden" name="form[sibling_of]" value=s />
            })}
            <fieldset>
                <legend>{t(locale, Msg::ChildSection)}</legend>
                {text_field(Field::ChildIin, "child_iin", Msg::ChildIinLabel, "text", ("numeric", "off"), String::new())}
                <p class="derived" data-testid="derived" aria-live="polite">
                    {move || derived().map(|(born, cohort)| view! {
                        {t(locale, Msg::BornLabel)} ": " <strong>{born}</strong> " · "
                        {t(locale, Msg::CohortLabel)} ": " <strong>{cohort}</strong>
                    })}
                </p>
                {text_field(Field::ChildName, "child_name", Msg::ChildNameLabel, "text", ("text", "off"), String::new())}
            </fieldset>
            <fieldset class="choices">
                <legend>{t(locale, Msg::PrioritySection)}</legend>
                {[("general", Msg::PriorityGeneral), ("primary", Msg::PriorityPrimary), ("extraordinary", Msg::PriorityExtraordinary)]
                    .into_iter()
                    .map(|(code, msg)| view! {
                        <label class="choice">
                            <input type="radio" name="form[priority]" value=code checked=code == "general" />
                            <span>{t(locale, msg)}</span>
                        </label>
                    })
                    .collect_view()}
                // Shown to everyone without JavaScript; with it, only for a privileged class.
                <div class="field" class:invalid=move || problem(Field::PriorityDoc).is_some()
                    class:hidden-when-general=move || !privileged()>
                    <label for="priority_doc">{t(locale, Msg::PriorityDocLabel)}</label>
                    <input
                        id="priority_doc"
                        name="form[priority_doc]"
                        on:blur=move |_| touch(Field::PriorityDoc)
                        aria-invalid=move || problem(Field::PriorityDoc).is_some().then_some("true")
                        aria-describedby="priority_doc-hint priority_doc-error"
                    />
                    <p class="hint" id="priority_doc-hint">{t(locale, Msg::PriorityDocHint)}</p>
                    <p class="field-error" id="priority_doc-error" aria-live="polite">
                        {move || problem(Field::PriorityDoc)}
                    </p>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(locale, Msg::ContactsSection)}</legend>
                <p class="hint">{t(locale, Msg::ContactsHint)}</p>
                {text_field(Field::Phone1, "phone1", Msg::Phone1Label, "tel", ("tel", "tel"), prefill.phone1.clone())}
                {text_field(Field::Phone2, "phone2", Msg::Phone2Label, "tel", ("tel", "off"), prefill.phone2.clone())}
                {text_field(Field::Email, "email", Msg::EmailLabel, "email", ("email", "email"), prefill.email.clone())}
            </fieldset>
            <fieldset>
                <legend>{t(locale, Msg::WishesSection)}</legend>
                {select_field(Field::District, "district", Msg::DistrictWanted,
                    District::ALL.iter().map(|d| (d.code(), district_name(locale, *d))).collect(),
                    prefill.district.clone())}
                {select_field(Field::Language, "language", Msg::LanguageWanted,
                    GroupLanguage::ALL.iter().map(|l| (l.code(), language_name(locale, *l))).collect(),
                    prefill.language.clone())}
            </fieldset>
            <button type="submit" class="primary wide" disabled=move || apply.pending().get()>
                {t(locale, Msg::ApplySubmit)}
            </button>
        </form>
    }
}
