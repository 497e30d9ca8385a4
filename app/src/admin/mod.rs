//! The education department's pages, `/admin/…`: written whole by the server in the reader's
//! language, plain forms, no script of the bundle (they cost the browser's bundle nothing and
//! work without JavaScript). Merging the former queues (`legacy::words`) and the heads of
//! kindergartens (`heads`) on `/admin`; the rules and the calendar (`rules`, also public at
//! `/rules`); the yearly re-check of privileges (`privileges`); the kindergarten registry
//! (`registry`). Every value is escaped.

pub mod heads;
mod history;
pub mod privileges;
pub mod registry;
pub mod rules;

/// The department's pages: (path, name).
const PAGES: [(&str, [&str; 3]); 4] = [
    (
        "/admin",
        [
            "Кезектерді біріктіру, меңгерушілер",
            "Импорт очередей, заведующие",
            "Import, heads",
        ],
    ),
    (
        "/admin/rules",
        [
            "Ережелер мен күнтізбе",
            "Правила и календарь",
            "Rules and calendar",
        ],
    ),
    (
        "/admin/privileges",
        ["Жеңілдіктерді тексеру", "Проверка льгот", "Privileges"],
    ),
    (
        "/admin/kindergartens",
        [
            "Балабақшалар тізілімі",
            "Реестр детских садов",
            "Kindergartens",
        ],
    ),
];

/// A change refused for want of its reason.
pub const NO_REASON: [&str; 3] = [
    "Себебін жазыңыз (200 таңбаға дейін).",
    "Укажите причину (до 200 знаков).",
    "Give the reason (up to 200 characters).",
];

/// What a change came to, said at the top of its section: `ok` a notice, otherwise an alert.
pub fn outcome(ok: bool, text: &str, testid: &str) -> String {
    let (class, role) = if ok {
        ("notice", "status")
    } else {
        ("error", "alert")
    };
    format!(
        "<p class=\"{class}\" role=\"{role}\" data-testid=\"{testid}\">{}</p>",
        esc(text)
    )
}

/// One labelled input of a form, named as its id unless `extra` (more attributes, written as
/// given) names it.
pub fn field(id: &str, label: &str, value: &str, extra: &str) -> String {
    let name = if extra.contains("name=\"") {
        String::new()
    } else {
        format!(" name=\"{id}\"")
    };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{}</label>\
         <input id=\"{id}\"{name} value=\"{}\" {extra}></div>",
        esc(label),
        esc(value)
    )
}

use crate::i18n::{escape_html as esc, t, Locale, Msg};

/// A department's page (`here`, one of `/admin/…`) in the site's frame: the header (brand, the
/// main links, the languages), the department's own links, and `body`.
pub fn document(locale: Locale, here: &str, body: &str) -> String {
    let title = locale.pick([
        "Білім басқармасы",
        "Управление образования",
        "Education department",
    ]);
    let pages: String = PAGES
        .iter()
        .map(|(href, name)| {
            let current = if is_under(here, href) {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a href=\"{href}\"{current}>{}</a>",
                esc(locale.pick(*name))
            )
        })
        .collect();
    let here_name = PAGES
        .iter()
        .find(|(href, _)| is_under(here, href))
        .map_or("", |(_, name)| locale.pick(*name));
    let body = format!(
        "<nav class=\"admin-nav\" aria-label=\"{title}\">{pages}</nav><h1>{title}</h1>\
         <p class=\"admin-here\">{}</p>{body}",
        esc(here_name)
    );
    frame(locale, here, title, &body)
}

/// Whether the page `here` is `page` or one of its own (`/admin` has none).
fn is_under(here: &str, page: &str) -> bool {
    here == page || (page != "/admin" && here.starts_with(&format!("{page}/")))
}

/// A page in the site's frame, written by the server (the department's, and the public rules
/// page): `here` is its path, where a change of language comes back to.
pub fn frame(locale: Locale, here: &str, title: &str, body: &str) -> String {
    let nav: String = [
        ("/", Msg::NavDirectory),
        ("/map", Msg::NavMap),
        ("/my", Msg::NavMy),
        ("/account", Msg::NavAccount),
    ]
    .iter()
    .map(|(href, m)| format!("<a href=\"{href}\">{}</a>", esc(t(locale, *m))))
    .collect();
    let langs: String = Locale::ALL
        .iter()
        .map(|l| {
            let current = if *l == locale {
                " aria-current=\"true\""
            } else {
                ""
            };
            format!(
                "<li><a href=\"/lang/{c}?next={next}\" rel=\"external\" hreflang=\"{c}\" \
                 lang=\"{c}\"{current}>{}</a></li>",
                esc(l.native_name()),
                c = l.code(),
                next = here.replace('/', "%2F"),
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"theme-color\" content=\"#0b6e4f\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/pkg/kezek.css\"><title>{title} · {app}</title></head>\
         <body><a class=\"skip\" href=\"#main\">{skip}</a><header class=\"top\"><div class=\"top-inner\">\
         <a href=\"/\" class=\"brand\"><span class=\"brand-mark\" aria-hidden=\"true\">К</span>\
         <span class=\"brand-text\"><span class=\"brand-name\">{app}</span>\
         <span class=\"brand-tag\">{tag}</span></span></a>\
         <nav aria-label=\"{main}\" class=\"main-nav\">{nav}</nav>\
         <nav aria-label=\"{language}\" class=\"lang\"><ul>{langs}</ul></nav></div></header>\
         <main id=\"main\" tabindex=\"-1\"><section class=\"page admin\">{body}</section></main>\
         </body></html>",
        lang = locale.code(),
        app = esc(t(locale, Msg::AppName)),
        skip = esc(t(locale, Msg::SkipToContent)),
        tag = esc(t(locale, Msg::Tagline)),
        main = esc(t(locale, Msg::MainNavigation)),
        language = esc(t(locale, Msg::LanguageLabel)),
    )
}
