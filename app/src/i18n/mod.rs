//! Kazakh, Russian and English.
//!
//! Every text a person reads is a [`Msg`] (or a formatter below) translated by [`t`]. The
//! translations of one message sit side by side in one exhaustive `match`, so a message cannot
//! be added without all three languages: the compiler refuses. We chose this over leptos_i18n
//! 0.6 because its build step exports ICU data at compile time (slow, and heavy for the wasm
//! bundle), while our needs are plain strings, three plural rules and one number format.
//!
//! The locale is decided once per request on the server (cookie, then `Accept-Language`, then
//! Kazakh, the state language), written into `<html lang>`, and read back from there by the
//! browser while hydrating, so both render the same text. The messages' texts are compiled into
//! the server only: each page carries its own language's texts as JSON (`#kezek-texts`), which
//! the browser reads once, so the browser's bundle holds no text of any language (about 10 KB
//! less to download before a page is live).

mod messages;
#[cfg(feature = "ssr")]
pub mod notices;

pub use messages::Msg;
use serde::{Deserialize, Serialize};

/// The cookie that remembers a person's choice of language.
pub const LOCALE_COOKIE: &str = "kezek_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Kk,
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Kk, Locale::Ru, Locale::En];

    /// BCP 47 code, as used in `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Kk => "kk",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Kk => "Қазақша",
            Locale::Ru => "Русский",
            Locale::En => "English",
        }
    }

    /// Picks the best supported language from an `Accept-Language` header.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(l) = Locale::from_code(tag) {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    /// Chooses the locale of a request: the cookie wins, then `Accept-Language`, then Kazakh.
    pub fn for_request(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
        let from_cookie = cookie_header.and_then(|h| {
            h.split(';').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                (k.trim() == LOCALE_COOKIE)
                    .then(|| Locale::from_code(v))
                    .flatten()
            })
        });
        from_cookie
            .or_else(|| accept_language.and_then(Locale::negotiate))
            .unwrap_or_default()
    }

    /// This locale's text of three written in the server's code (Kazakh, Russian, English),
    /// as a message's translations are picked.
    #[cfg(feature = "ssr")]
    pub fn pick(self, texts: [&'static str; 3]) -> &'static str {
        texts[self.index()]
    }

    /// Index of this locale in a message's translations.
    #[cfg(feature = "ssr")]
    fn index(self) -> usize {
        match self {
            Locale::Kk => 0,
            Locale::Ru => 1,
            Locale::En => 2,
        }
    }
}

/// The text of `msg` in `locale`.
#[cfg(feature = "ssr")]
pub fn t(locale: Locale, msg: Msg) -> &'static str {
    msg.texts()[locale.index()]
}

/// The text of `msg` in the page's language (the browser has no other: `locale` is the page's).
#[cfg(not(feature = "ssr"))]
pub fn t(locale: Locale, msg: Msg) -> &'static str {
    let _ = locale;
    page_texts().get(msg as usize).copied().unwrap_or("")
}

/// The id of the element that carries the page's texts (JSON, in the order of [`Msg::ALL`]).
pub const TEXTS_ELEMENT: &str = "kezek-texts";

/// Every message's text in `locale`, as JSON for the page (`<` escaped, so it cannot end the
/// element that holds it).
#[cfg(feature = "ssr")]
pub fn texts_json(locale: Locale) -> String {
    // Made once per language: every page carries it.
    static MADE: std::sync::OnceLock<[String; 3]> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| {
        [Locale::Kk, Locale::Ru, Locale::En].map(|l| {
            let texts: Vec<&str> = Msg::ALL.iter().map(|m| t(l, *m)).collect();
            serde_json::to_string(&texts)
                .unwrap_or_else(|_| "[]".into())
                .replace('<', "\\u003c")
        })
    });
    made[match locale {
        Locale::Kk => 0,
        Locale::Ru => 1,
        Locale::En => 2,
    }]
    .clone()
}

/// The shell is rendered on the server only; the browser's build never calls this.
#[cfg(not(feature = "ssr"))]
pub fn texts_json(_locale: Locale) -> String {
    String::new()
}

/// The browser's texts: the page's language, as the server put them into the page (read once).
#[cfg(not(feature = "ssr"))]
fn page_texts() -> &'static [&'static str] {
    static TEXTS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let json = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(TEXTS_ELEMENT))
            .and_then(|e| e.text_content())
            .unwrap_or_default();
        serde_json::from_str::<Vec<String>>(&json)
            .unwrap_or_default()
            .into_iter()
            .map(|s| &*Box::leak(s.into_boxed_str()))
            .collect()
    })
}

/// An integer with the locale's thousands separator: `64 315` (narrow no-break space) in Kazakh
/// and Russian, `64,315` in English.
pub fn fmt_int(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match locale {
        Locale::En => ",",
        Locale::Kk | Locale::Ru => "\u{202f}",
    };
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// Russian plural form index for `n`: 0 for 1, 21, ...; 1 for 2-4, 22-24, ...; 2 otherwise.
fn ru_plural(n: i64) -> usize {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, r) if r != 11 => 0,
        (2..=4, r) if !(12..=14).contains(&r) => 1,
        _ => 2,
    }
}

/// "3 free seats" in each language.
pub fn free_seats(locale: Locale, n: i64) -> String {
    let num = fmt_int(locale, n);
    match locale {
        Locale::Kk => format!("{num} бос орын"),
        Locale::Ru => {
            let word = ["свободное место", "свободных места", "свободных мест"][ru_plural(n)];
            format!("{num} {word}")
        }
        Locale::En => format!("{num} free seat{}", if n == 1 { "" } else { "s" }),
    }
}

/// "3 working days left" (today counted); none left reads as the last day passed.
pub fn working_days_left(locale: Locale, n: i64) -> String {
    let num = fmt_int(locale, n);
    match locale {
        Locale::Kk => format!("{num} жұмыс күні қалды"),
        Locale::Ru => {
            let (left, word) = [
                ("остался", "рабочий день"),
                ("осталось", "рабочих дня"),
                ("осталось", "рабочих дней"),
            ][ru_plural(n)];
            format!("{left} {num} {word}")
        }
        Locale::En => format!("{num} working day{} left", if n == 1 { "" } else { "s" }),
    }
}

/// "12 kindergartens found".
pub fn found(locale: Locale, n: i64) -> String {
    let num = fmt_int(locale, n);
    match locale {
        Locale::Kk => format!("{num} балабақша табылды"),
        Locale::Ru => {
            let word = ["детский сад", "детских сада", "детских садов"][ru_plural(n)];
            format!("Найдено: {num} {word}")
        }
        Locale::En => format!("{num} kindergarten{} found", if n == 1 { "" } else { "s" }),
    }
}

/// "12 kindergartens with free seats".
pub fn with_seats(locale: Locale, n: i64) -> String {
    let num = fmt_int(locale, n);
    match locale {
        Locale::Kk => format!("Бос орны бар {num} балабақша"),
        Locale::Ru => {
            let word = ["детский сад", "детских сада", "детских садов"][ru_plural(n)];
            format!("{num} {word} со свободными местами")
        }
        Locale::En => format!(
            "{num} kindergarten{} with free seats",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// "Page 2 of 29".
pub fn page_of(locale: Locale, page: u32, pages: u32) -> String {
    match locale {
        Locale::Kk => format!("{pages} беттің {page}-беті"),
        Locale::Ru => format!("Страница {page} из {pages}"),
        Locale::En => format!("Page {page} of {pages}"),
    }
}

/// "born in 2023".
pub fn born_in(locale: Locale, year: i32) -> String {
    match locale {
        Locale::Kk => format!("{year} жылы туғандар"),
        Locale::Ru => format!("{year} года рождения"),
        Locale::En => format!("born in {year}"),
    }
}

/// "Kindergarten No. 12".
pub fn number(locale: Locale, n: i32) -> String {
    match locale {
        Locale::Kk => format!("№{n} балабақша"),
        Locale::Ru => format!("Детский сад №{n}"),
        Locale::En => format!("Kindergarten No. {n}"),
    }
}

/// Almaty's offset from UTC (UTC+5 all year).
const ALMATY_OFFSET_S: i64 = 5 * 3600;

fn almaty(ms: i64) -> Option<time::PrimitiveDateTime> {
    let t =
        time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000) + ALMATY_OFFSET_S).ok()?;
    Some(time::PrimitiveDateTime::new(t.date(), t.time()))
}

/// A day as people write it: `25.11.2026` (the same in the three languages).
pub fn day(ms: i64) -> String {
    almaty(ms)
        .map(|t| format!("{:02}.{:02}.{}", t.day(), t.month() as u8, t.year()))
        .unwrap_or_default()
}

/// Text for HTML the server writes by hand (the eGov block, the department's page).
#[cfg(feature = "ssr")]
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A moment in Almaty time: `25.11.2026, 18:00`.
pub fn when(ms: i64) -> String {
    almaty(ms)
        .map(|t| format!("{}, {:02}:{:02}", day(ms), t.hour(), t.minute()))
        .unwrap_or_default()
}

/// The last day of a validity that ends at midnight: `03.12.2026 inclusive`.
pub fn through(locale: Locale, end_ms: i64) -> String {
    let word = match locale {
        Locale::Kk => "қоса алғанда",
        Locale::Ru => "включительно",
        Locale::En => "inclusive",
    };
    format!("{} {word}", day(end_ms - 1))
}

/// "3 children" with the right form of the word.
#[cfg(feature = "ssr")]
pub fn children(locale: Locale, n: i64) -> String {
    let num = fmt_int(locale, n);
    match locale {
        Locale::Kk => format!("{num} бала"),
        Locale::Ru => format!("{num} {}", ["ребёнок", "ребёнка", "детей"][ru_plural(n)]),
        Locale::En => format!("{num} child{}", if n == 1 { "" } else { "ren" }),
    }
}

/// Writes the reasons of a position's history in words (`text`), in the reader's language.
#[cfg(feature = "ssr")]
pub fn write_reasons(locale: Locale, view: &mut crate::domain::queue::PositionView) {
    for change in &mut view.history {
        for r in &mut change.reasons {
            r.text = reason(locale, &r.change, r.privileged, r.n);
        }
    }
}

/// Why a place in the queue moved, in words: one reason of a recorded change.
#[cfg(feature = "ssr")]
pub fn reason(locale: Locale, change: &str, privileged: bool, n: i64) -> String {
    let who = children(locale, n);
    let with = |kk: &str, ru: &str, en: &str| match locale {
        Locale::Kk => format!(
            "{} {kk}",
            if privileged {
                format!("Жеңілдігі бар {who}")
            } else {
                who.clone()
            }
        ),
        Locale::Ru => format!("{who}{} {ru}", if privileged { " с льготой" } else { "" }),
        Locale::En => format!(
            "{who}{} {en}",
            if privileged { " with a privilege" } else { "" }
        ),
    };
    // One child or several: the verb agrees (Kazakh verbs do not change after a number).
    let one = match locale {
        Locale::Ru => ru_plural(n) == 0,
        _ => n == 1,
    };
    let pick = |single: &'static str, plural: &'static str| if one { single } else { plural };
    match change {
        // The child's own privilege (n = 0: not others ahead).
        "privilege_dropped" if n == 0 => match locale {
            Locale::Kk => "Жеңілдік мерзімінде қайта расталмады: бала жалпы кезекке бастапқы өтініш күнімен ауыстырылды",
            Locale::Ru => "Льгота не подтверждена в срок: ребёнок переведён в общую очередь с исходной датой заявления",
            Locale::En => "The privilege was not re-confirmed in time: the child moved to the general list at the original application date",
        }
        .to_string(),
        "privilege_dropped" => with(
            "жеңілдігі расталмай, сізден алда жалпы кезекке көшті",
            pick(
                "переведён в общую очередь впереди вас (льгота не подтверждена)",
                "переведены в общую очередь впереди вас (льготы не подтверждены)",
            ),
            "moved to the general list ahead of you (privilege not re-confirmed)",
        ),
        "applied" => with(
            "сізден алда кезекке тұрды",
            pick(
                "встал в очередь впереди вас",
                "встали в очередь впереди вас",
            ),
            "joined the queue ahead of you",
        ),
        "returned" => with(
            "жолдамасын пайдаланбай, сізден алда кезекке оралды",
            pick(
                "вернулся в очередь впереди вас (не использовал направление)",
                "вернулись в очередь впереди вас (не использовали направление)",
            ),
            pick(
                "returned to the queue ahead of you (the referral went unused)",
                "returned to the queue ahead of you (their referrals went unused)",
            ),
        ),
        "invited" => with(
            "сізден алда тұрған, орын таңдауға шақырылды",
            pick(
                "из стоявших впереди приглашён выбрать место",
                "из стоявших впереди приглашены выбрать место",
            ),
            pick(
                "ahead of you was invited to choose a seat",
                "ahead of you were invited to choose a seat",
            ),
        ),
        "withdrawn" => with(
            "сізден алда тұрған, өтінішін қайтарып алды",
            pick(
                "из стоявших впереди отозвал заявление",
                "из стоявших впереди отозвали заявления",
            ),
            pick(
                "ahead of you withdrew the application",
                "ahead of you withdrew their applications",
            ),
        ),
        "admitted" => with(
            "сізден алда тұрған, балабақшаға қабылданды",
            pick(
                "из стоявших впереди получил место",
                "из стоявших впереди получили места",
            ),
            pick(
                "ahead of you was given a place",
                "ahead of you were given places",
            ),
        ),
        _ => with(
            "кезекте орнын ауыстырды",
            pick("изменил место в очереди", "изменили место в очереди"),
            "changed places in the queue",
        ),
    }
}

/// "No. 37 of 2,470 waiting in the 2021 age group".
pub fn place_in_queue(locale: Locale, position: i64, waiting: i64, cohort: i32) -> String {
    let (p, w) = (fmt_int(locale, position), fmt_int(locale, waiting));
    match locale {
        Locale::Kk => format!("{cohort} жылы туғандар кезегінде {w} баланың ішінде {p}-орын"),
        Locale::Ru => format!("№{p} из {w} в очереди детей {cohort} года рождения"),
        Locale::En => format!("No. {p} of {w} waiting for children born in {cohort}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(
            Locale::negotiate("ru-RU,ru;q=0.9,en-US;q=0.8"),
            Some(Locale::Ru)
        );
        assert_eq!(
            Locale::negotiate("de-DE, en;q=0.5, kk;q=0.7"),
            Some(Locale::Kk)
        );
        assert_eq!(Locale::negotiate("de-DE, fr"), None);
        assert_eq!(Locale::negotiate("kk;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(Locale::negotiate(""), None);
    }

    #[test]
    fn cookie_wins_over_header() {
        assert_eq!(
            Locale::for_request(Some("a=b; kezek_lang=ru"), Some("en")),
            Locale::Ru
        );
        assert_eq!(
            Locale::for_request(Some("kezek_lang=xx"), Some("en-GB")),
            Locale::En
        );
        assert_eq!(Locale::for_request(None, None), Locale::Kk);
    }

    #[test]
    fn formats_numbers_per_locale() {
        assert_eq!(fmt_int(Locale::En, 64315), "64,315");
        assert_eq!(fmt_int(Locale::Ru, 64315), "64\u{202f}315");
        assert_eq!(fmt_int(Locale::En, 685), "685");
        assert_eq!(fmt_int(Locale::En, -1234567), "-1,234,567");
    }

    #[test]
    fn days_and_times_are_almaty_time() {
        // 2026-12-04 00:00 in Almaty is 2026-12-03 19:00 UTC.
        let midnight = 1_796_324_400_000;
        assert_eq!(when(midnight), "04.12.2026, 00:00");
        assert_eq!(through(Locale::Ru, midnight), "03.12.2026 включительно");
        assert_eq!(day(midnight - 1), "03.12.2026");
    }

    #[test]
    fn reasons_and_places_read_as_sentences() {
        assert_eq!(
            reason(Locale::En, "applied", true, 3),
            "3 children with a privilege joined the queue ahead of you"
        );
        assert_eq!(
            reason(Locale::Ru, "invited", false, 12),
            "12 детей из стоявших впереди приглашены выбрать место"
        );
        assert_eq!(
            reason(Locale::Ru, "applied", true, 21),
            "21 ребёнок с льготой встал в очередь впереди вас"
        );
        assert_eq!(
            reason(Locale::En, "invited", false, 1),
            "1 child ahead of you was invited to choose a seat"
        );
        assert_eq!(
            place_in_queue(Locale::En, 37, 2470, 2021),
            "No. 37 of 2,470 waiting for children born in 2021"
        );
    }

    #[test]
    fn russian_plurals() {
        assert_eq!(free_seats(Locale::Ru, 1), "1 свободное место");
        assert_eq!(free_seats(Locale::Ru, 3), "3 свободных места");
        assert_eq!(free_seats(Locale::Ru, 11), "11 свободных мест");
        assert_eq!(free_seats(Locale::Ru, 21), "21 свободное место");
        assert_eq!(free_seats(Locale::Ru, 112), "112 свободных мест");
        assert_eq!(free_seats(Locale::En, 1), "1 free seat");
        assert_eq!(found(Locale::En, 2), "2 kindergartens found");
    }

    #[test]
    fn the_pages_texts_are_every_message_in_order_and_cannot_end_their_element() {
        for locale in Locale::ALL {
            let json = texts_json(locale);
            assert!(!json.contains('<'), "{json}");
            let texts: Vec<String> = serde_json::from_str(&json).unwrap();
            assert_eq!(texts.len(), Msg::ALL.len());
            for (m, text) in Msg::ALL.iter().zip(&texts) {
                assert_eq!(t(locale, *m), text);
                assert_eq!(*m as usize, Msg::ALL.iter().position(|x| x == m).unwrap());
            }
        }
    }

    #[test]
    fn every_message_has_three_non_empty_texts() {
        for m in Msg::ALL {
            for l in Locale::ALL {
                assert!(!t(l, *m).trim().is_empty(), "{m:?} in {l:?}");
            }
        }
    }
}
