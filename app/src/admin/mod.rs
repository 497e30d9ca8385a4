//! The education department's page, `/admin`: written whole by the server in the reader's
//! language, plain forms, no script (it costs the browser's bundle nothing and works without
//! JavaScript). Merging the former queues (`legacy::words`) and the heads of kindergartens
//! (`heads`). Every value is escaped.

pub mod heads;

use crate::i18n::{escape_html as esc, t, Locale, Msg};

/// The department's page (`/admin`) in the site's frame: the header (brand, the main links,
/// the languages) and `body`. Written whole by the server: no script, no bundle.
pub fn document(locale: Locale, body: &str) -> String {
    let title = locale.pick([
        "Білім басқармасы",
        "Управление образования",
        "Education department",
    ]);
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
                "<li><a href=\"/lang/{c}?next=%2Fadmin\" rel=\"external\" hreflang=\"{c}\" \
                 lang=\"{c}\"{current}>{}</a></li>",
                esc(l.native_name()),
                c = l.code()
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
         <main id=\"main\" tabindex=\"-1\"><section class=\"page admin\"><h1>{title}</h1>{body}</section></main>\
         </body></html>",
        lang = locale.code(),
        app = esc(t(locale, Msg::AppName)),
        skip = esc(t(locale, Msg::SkipToContent)),
        tag = esc(t(locale, Msg::Tagline)),
        main = esc(t(locale, Msg::MainNavigation)),
        language = esc(t(locale, Msg::LanguageLabel)),
    )
}
