//! Pieces every page uses: the locale, names of domain values, errors, URL building.

use crate::domain::{AgeGroup, District, GroupLanguage, KindergartenCard, KindergartenKind};
use crate::error::AppError;
use crate::i18n::{t, Locale, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The locale of this page, decided once per request.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// The locale of the current request: on the server from the cookie or `Accept-Language`, in
/// the browser from `<html lang>`, which the server wrote, so both render the same.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use http::header::{ACCEPT_LANGUAGE, COOKIE};
        use_context::<http::request::Parts>()
            .map(|parts| {
                let header = |name| {
                    parts
                        .headers
                        .get(name)
                        .and_then(|v: &http::HeaderValue| v.to_str().ok())
                };
                Locale::for_request(header(COOKIE), header(ACCEPT_LANGUAGE))
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
}

/// Sets the HTTP status of a server-rendered page (a no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(code) {
            opts.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

pub fn district_name(locale: Locale, d: District) -> &'static str {
    t(
        locale,
        match d {
            District::Alatau => Msg::DistrictAlatau,
            District::Almaly => Msg::DistrictAlmaly,
            District::Auezov => Msg::DistrictAuezov,
            District::Bostandyk => Msg::DistrictBostandyk,
            District::Zhetysu => Msg::DistrictZhetysu,
            District::Medeu => Msg::DistrictMedeu,
            District::Nauryzbay => Msg::DistrictNauryzbay,
            District::Turksib => Msg::DistrictTurksib,
        },
    )
}

pub fn language_name(locale: Locale, l: GroupLanguage) -> &'static str {
    t(
        locale,
        match l {
            GroupLanguage::Kazakh => Msg::LangKazakh,
            GroupLanguage::Russian => Msg::LangRussian,
            GroupLanguage::Mixed => Msg::LangMixed,
        },
    )
}

pub fn kind_name(locale: Locale, k: KindergartenKind) -> &'static str {
    t(
        locale,
        match k {
            KindergartenKind::General => Msg::KindGeneral,
            KindergartenKind::Specialized => Msg::KindSpecialized,
            KindergartenKind::Private => Msg::KindPrivate,
        },
    )
}

pub fn age_group_name(locale: Locale, g: Option<AgeGroup>) -> &'static str {
    t(
        locale,
        match g {
            Some(AgeGroup::Nursery) => Msg::GroupNursery,
            Some(AgeGroup::Junior) => Msg::GroupJunior,
            Some(AgeGroup::Middle) => Msg::GroupMiddle,
            Some(AgeGroup::Senior) => Msg::GroupSenior,
            Some(AgeGroup::Preschool) => Msg::GroupPreschool,
            None => Msg::GroupOther,
        },
    )
}

/// The kindergarten's name and address in the reader's language (Russian for English readers:
/// the registry keeps Kazakh and Russian only).
pub fn card_name(locale: Locale, k: &KindergartenCard) -> &str {
    match locale {
        Locale::Kk => &k.name_kk,
        Locale::Ru | Locale::En => &k.name_ru,
    }
}

pub fn card_address(locale: Locale, k: &KindergartenCard) -> &str {
    match locale {
        Locale::Kk => &k.address_kk,
        Locale::Ru | Locale::En => &k.address_ru,
    }
}

/// A translated error message in an alert box.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="alert" role="alert">
            <p>{error.message(locale)}</p>
        </div>
    }
}

/// Percent-encodes a query-string component (RFC 3986 unreserved characters stay).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds `path?k=v&...`, leaving out empty values.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Links to each language; the server sets the cookie and sends the reader back here. A full
/// page load, so every text (and `<html lang>`) changes together.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let current = use_locale();
    let location = use_location();
    let next = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    view! {
        <nav class="lang" aria-label=t(current, Msg::LanguageLabel)>
            <ul>
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        let href = move || with_query(&format!("/lang/{}", l.code()), &[("next", &next())]);
                        view! {
                            <li>
                                <a
                                    href=href
                                    rel="external"
                                    hreflang=l.code()
                                    lang=l.code()
                                    aria-current=(l == current).then_some("true")
                                >
                                    {l.native_name()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// One choice of a filter form: "any" first, then `options` (`(value, text)`); `chosen`
/// tells whether a value is the one in force ("" for any).
pub fn filter_select(
    locale: Locale,
    (id, name): (&'static str, &'static str),
    (label, any): (Msg, Msg),
    options: Vec<(String, String)>,
    chosen: impl Fn(&str) -> bool + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let any_chosen = chosen.clone();
    view! {
        <div class="field">
            <label for=id>{t(locale, label)}</label>
            <select id=id name=name>
                <option value="" selected=move || any_chosen("")>{t(locale, any)}</option>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = chosen.clone();
                        let is = value.clone();
                        view! { <option value=value selected=move || chosen(&is)>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The districts as a filter's options.
pub fn district_options(locale: Locale) -> Vec<(String, String)> {
    District::ALL
        .into_iter()
        .map(|d| (d.code().to_string(), district_name(locale, d).to_string()))
        .collect()
}

/// The group languages as a filter's options.
pub fn language_options(locale: Locale) -> Vec<(String, String)> {
    GroupLanguage::ALL
        .into_iter()
        .map(|l| (l.code().to_string(), language_name(locale, l).to_string()))
        .collect()
}

/// A page's data shown by `page`, or its error (with the error's HTTP status).
pub fn or_error<T>(result: Result<T, AppError>, page: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(v) => page(v),
        Err(error) => {
            set_status(error.status());
            view! { <ErrorBox error /> }.into_any()
        }
    }
}

/// Submits the filter form when a select or checkbox changes, so a parent on a phone does not
/// have to find the button. Only runs in the browser.
pub fn submit_on_change(ev: leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let Some(target) = ev.target() else { return };
    let Ok(input) = target.dyn_into::<web_sys::Element>() else {
        return;
    };
    // Typing in the search box submits on Enter, as usual; other fields apply at once.
    if input.get_attribute("type").as_deref() == Some("search") {
        return;
    }
    if let Some(form) = input
        .closest("form")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
    {
        let _ = form.request_submit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_building_encodes_and_skips_empty() {
        assert_eq!(with_query("/", &[("q", ""), ("page", "")]), "/");
        assert_eq!(
            with_query("/", &[("q", "Балапан 5"), ("district", "medeu")]),
            "/?q=%D0%91%D0%B0%D0%BB%D0%B0%D0%BF%D0%B0%D0%BD%205&district=medeu"
        );
        assert_eq!(encode_component("a&b=c"), "a%26b%3Dc");
    }
}

/// A change that could not reach the server (no connection, or its answer lost on the way):
/// said so where it will be seen, with a button that sends the very same request again. The
/// server takes every change a person makes idempotently (a key for the change, or a state that
/// is reached already), so a request that did arrive the first time counts once.
///
/// Place it where it outlives the view that sent the change (the page reloads its data after
/// every answer, failures included).
#[component]
pub fn Unreached<S>(action: ServerAction<S>) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let locale = use_locale();
    // The input is the action's only while it is in flight: keep the last one.
    let last = StoredValue::new(None::<S>);
    Effect::new(move || {
        if let Some(input) = action.input().get() {
            last.set_value(Some(input));
        }
    });
    let unreached = move || matches!(action.value().get(), Some(Err(AppError::Unavailable)));
    let again = move |_| {
        if let Some(input) = last.get_value() {
            action.dispatch(input);
        }
    };
    view! {
        <div class="unreached-slot">
            {move || unreached().then(|| view! {
                <div class="alert unreached" role="alert" data-testid="unreached">
                    <p>{t(locale, Msg::ErrUnreached)}</p>
                    <button type="button" class="primary" on:click=again
                        disabled=move || action.pending().get()>
                        {move || if action.pending().get() { t(locale, Msg::Sending) } else { t(locale, Msg::TryAgain) }}
                    </button>
                </div>
            })}
        </div>
    }
}
