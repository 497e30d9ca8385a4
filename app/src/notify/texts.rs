//! What each notification says: a short SMS (one or two segments in Cyrillic) in the language
//! of the child's group (Kazakh for a Kazakh group, Russian otherwise), and an e-mail with
//! Kazakh and Russian in one message whose subject says what happened and what to do.
//!
//! Texts name the application's public number, a referral's code, a kindergarten and a date:
//! never the child's name or IIN (an SMS is read on a lock screen).

use crate::clock::ALMATY;
use serde_json::Value;
use time::OffsetDateTime;

/// What a notification needs besides its parameters: the site's address and, for referrals,
/// the kindergarten (looked up when the notification is expanded into deliveries).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The site's public address, without a trailing slash (`https://kezek.almaty.kz`).
    pub site: String,
    pub public_no: String,
    /// `kk` or `ru`: the SMS language.
    pub lang: &'static str,
    pub kindergarten: Option<Place>,
}

#[derive(Debug, Clone, Default)]
pub struct Place {
    pub number: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
}

/// One notification, written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub sms: String,
    pub subject: String,
    pub email: String,
}

/// `dd.mm.yyyy HH:MM` in Almaty.
pub fn when(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.to_offset(ALMATY))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// `dd.mm.yyyy` in Almaty.
pub fn day(ms: i64) -> String {
    when(ms)[..10].to_string()
}

/// The number of SMS segments a text takes: GSM-7 (160, or 153 when split) if every character
/// is in its basic set, UCS-2 (70, or 67) otherwise, as Cyrillic always is.
pub fn segments(text: &str) -> usize {
    const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    let n = text.chars().count();
    let (one, many) = if text.chars().all(|c| GSM.contains(c)) {
        (160, 153)
    } else {
        (70, 67)
    };
    if n <= one {
        1
    } else {
        n.div_ceil(many)
    }
}

fn int(p: &Value, key: &str) -> i64 {
    p.get(key).and_then(Value::as_i64).unwrap_or(0)
}

fn text<'a>(p: &'a Value, key: &str) -> &'a str {
    p.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Writes the notification `template` with `params` (as the engine queued them), or `None`
/// for a template that is not sent to parents.
pub fn write(template: &str, params: &Value, f: &Facts) -> Option<Written> {
    let no = &f.public_no;
    let site = &f.site;
    let kk = f.lang == "kk";
    let code = text(params, "code");
    let referral = format!("{site}/referrals/{code}");
    let my = format!("{site}/my");
    let (place_kk, place_ru) = match &f.kindergarten {
        Some(p) => (
            format!("{}, {}", p.name_kk, p.address_kk),
            format!("{}, {}", p.name_ru, p.address_ru),
        ),
        None => (String::new(), String::new()),
    };
    let w = match template {
        "application_created" => {
            let at = when(int(params, "applied_at"));
            Written {
                sms: if kk {
                    format!("Kezek: {no} өтінімі қабылданды. Кезектегі орны: {my}")
                } else {
                    format!("Kezek: заявка {no} принята. Место в очереди: {my}")
                },
                subject: format!("Өтінім қабылданды / Заявка принята: {no}"),
                email: format!(
                    "{no} өтінімі {at} қабылданды. Кезектегі орнын мына жерден қараңыз: {my}\n\n\
                     Заявка {no} принята {at}. Место в очереди смотрите здесь: {my}"
                ),
            }
        }
        "invited" => {
            let until = when(int(params, "expires_at"));
            Written {
                sms: if kk {
                    format!("Kezek: {no} өтінімі бойынша балабақшада орын бар. {until} дейін таңдаңыз: {my}")
                } else {
                    format!("Kezek: для заявки {no} есть место в детском саду. Выберите до {until}: {my}")
                },
                subject: format!(
                    "Балабақшаны {until} дейін таңдаңыз / Выберите детский сад до {until}: {no}"
                ),
                email: format!(
                    "{no} өтінімі бойынша балабақшада бос орын бар. Балабақшаны {until} дейін \
                     таңдаңыз: {my}\nУақытында таңдамасаңыз, орын келесі балаға беріледі, ал бала \
                     кезектегі орнында қалады.\n\n\
                     Для заявки {no} есть свободное место в детском саду. Выберите детский сад до \
                     {until}: {my}\nЕсли не выбрать вовремя, место перейдёт следующему ребёнку, \
                     а ваш останется на своём месте в очереди."
                ),
            }
        }
        "referral_issued" => {
            let until = day(int(params, "expires_at"));
            // The kindergarten by its number (names run long); the code is in the link.
            let n = f.kindergarten.as_ref().map_or(0, |p| p.number);
            Written {
                sms: if kk {
                    format!("Kezek: №{n} балабақшаға жолдама берілді. {until} дейін барыңыз: {referral}")
                } else {
                    format!("Kezek: выдано направление в детсад №{n}. Придите до {until}: {referral}")
                },
                subject: format!(
                    "Жолдама берілді, {until} дейін барыңыз / Направление выдано, придите до {until}: {code}"
                ),
                email: format!(
                    "{code} жолдамасы берілді: {place_kk}.\nБалабақшаға {until} дейін жолдамамен \
                     барыңыз. Басып шығаруға арналған жолдама: {referral}\n\n\
                     Выдано направление {code}: {place_ru}.\nПридите в детский сад с направлением \
                     до {until}. Направление для печати: {referral}"
                ),
            }
        }
        "referral_reminder" => {
            let until = when(int(params, "expires_at"));
            Written {
                sms: if kk {
                    format!("Kezek: жолдама {until} дейін жарамды, балабақшаға барыңыз: {referral}")
                } else {
                    format!("Kezek: направление действует до {until}, успейте в детский сад: {referral}")
                },
                subject: format!(
                    "Жолдама ертең аяқталады / Направление истекает завтра: {code}"
                ),
                email: format!(
                    "{code} жолдамасы {until} дейін жарамды: {place_kk}. Уақытында бармасаңыз, орын \
                     келесі балаға беріледі. Жолдама: {referral}\n\n\
                     Направление {code} действует до {until}: {place_ru}. Если не прийти вовремя, \
                     место перейдёт следующему ребёнку. Направление: {referral}"
                ),
            }
        }
        "referral_expired" | "referral_declined" | "invitation_lapsed" => {
            let stop = day(int(params, "stop_until"));
            let (what_kk, what_ru) = match template {
                "referral_expired" => (
                    format!("{code} жолдамасының мерзімі өтті"),
                    format!("Направление {code} истекло"),
                ),
                "referral_declined" => (
                    format!("{code} жолдамасынан бас тарттыңыз"),
                    format!("Вы отказались от направления {code}"),
                ),
                _ => (
                    format!("{no} өтінімі бойынша шақырудың мерзімі өтті"),
                    format!("Приглашение по заявке {no} истекло"),
                ),
            };
            Written {
                sms: if kk {
                    format!("Kezek: {what_kk}. Бала кезектегі орнында, жаңа шақыру {stop} кейін.")
                } else {
                    format!("Kezek: {what_ru}. Ребёнок на своём месте в очереди, новые приглашения после {stop}.")
                },
                subject: format!(
                    "{what_kk}: жаңа шақыру {stop} кейін / {what_ru}: новые приглашения после {stop}"
                ),
                email: format!(
                    "{what_kk}. Бала кезектегі бұрынғы орнында қалды; {stop} дейін жаңа шақыру \
                     келмейді. {my}\n\n\
                     {what_ru}. Ребёнок остался на прежнем месте в очереди; до {stop} новых \
                     приглашений не будет. {my}"
                ),
            }
        }
        "privilege_dropped" => {
            let due = day(int(params, "due"));
            Written {
                sms: if kk {
                    format!("Kezek: {no} өтінімінің жеңілдігі {due} дейін расталмады, бала жалпы кезекте: {my}")
                } else {
                    format!("Kezek: льгота по заявке {no} не подтверждена до {due}, ребёнок в общей очереди: {my}")
                },
                subject: format!("Жеңілдік расталмады / Льгота не подтверждена: {no}"),
                email: format!(
                    "{no} өтінімі бойынша жеңілдік {due} дейін қайта расталмады, сондықтан бала \
                     жалпы кезекке бастапқы өтініш күнімен ауыстырылды. Жеңілдік құқығы сақталса, \
                     құжатты білім басқармасына әкеліңіз. Кезектегі орны: {my}\n\n\
                     Льгота по заявке {no} не была подтверждена до {due}, поэтому ребёнок \
                     переведён в общую очередь с исходной датой заявления. Если право на льготу \
                     сохраняется, принесите документ в управление образования. Место в очереди: {my}"
                ),
            }
        }
        "referral_extended" => {
            let until = day(int(params, "expires_at"));
            Written {
                sms: if kk {
                    format!("Kezek: {code} жолдамасы {until} дейін ұзартылды: {referral}")
                } else {
                    format!("Kezek: направление {code} продлено до {until}: {referral}")
                },
                subject: format!("Жолдама ұзартылды / Направление продлено: {code}"),
                email: format!(
                    "{code} жолдамасы {until} дейін ұзартылды. {referral}\n\n\
                     Направление {code} продлено до {until}. {referral}"
                ),
            }
        }
        "enrolled" => Written {
            sms: if kk {
                format!("Kezek: {code} жолдамасы бойынша бала балабақшаға қабылданды.")
            } else {
                format!("Kezek: по направлению {code} ребёнок зачислен в детский сад.")
            },
            subject: format!("Бала қабылданды / Ребёнок зачислен: {code}"),
            email: format!(
                "{code} жолдамасы бойынша бала балабақшаға қабылданды. Өтінім жабылды.\n\n\
                 По направлению {code} ребёнок зачислен в детский сад. Заявка закрыта."
            ),
        },
        "withdrawn" => Written {
            sms: if kk {
                format!("Kezek: {no} өтінімі кезектен алынды.")
            } else {
                format!("Kezek: заявка {no} отозвана из очереди.")
            },
            subject: format!("Өтінім алынды / Заявка отозвана: {no}"),
            email: format!(
                "{no} өтінімі кезектен алынды. Егер мұны сіз жасамасаңыз, кіріп тексеріңіз: {my}\n\n\
                 Заявка {no} отозвана из очереди. Если это сделали не вы, войдите и проверьте: {my}"
            ),
        },
        "contacts_changed" => Written {
            sms: if kk {
                format!("Kezek: {no} өтінімінің байланыстары өзгертілді. Сіз емес пе? {my}")
            } else {
                format!("Kezek: контакты заявки {no} изменены. Это были не вы? {my}")
            },
            subject: format!("Байланыстар өзгертілді / Контакты изменены: {no}"),
            email: format!(
                "{no} өтінімінің телефондары немесе поштасы өзгертілді. Егер мұны сіз жасамасаңыз, \
                 кіріп тексеріңіз: {my}\n\n\
                 Телефоны или почта заявки {no} изменены. Если это сделали не вы, войдите и \
                 проверьте: {my}"
            ),
        },
        "weekly_position" => {
            let pos = int(params, "position");
            let was = params.get("was").and_then(Value::as_i64);
            let moved_kk = match was {
                Some(w) if w != pos => format!(" (бір апта бұрын {w})"),
                _ => String::new(),
            };
            let moved_ru = match was {
                Some(w) if w != pos => format!(" (неделю назад {w})"),
                _ => String::new(),
            };
            let reasons = params
                .get("reasons")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                .unwrap_or_default();
            let why = |lang: &str| {
                reasons
                    .iter()
                    .map(|r| format!("- {}", reason(r, lang)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            Written {
                sms: if kk {
                    format!("Kezek: {no} өтінімі, кезектегі орны {pos}{moved_kk}. Толығырақ: {my}")
                } else {
                    format!("Kezek: заявка {no}, место в очереди {pos}{moved_ru}. Подробнее: {my}")
                },
                subject: format!(
                    "Кезектегі орын: {pos} / Место в очереди: {pos} ({no})"
                ),
                email: format!(
                    "{no} өтінімі: кезектегі орны {pos}{moved_kk}.\n{}\nТолығырақ: {my}\n\
                     Апталық хабарламадан бас тарту: {my}\n\n\
                     Заявка {no}: место в очереди {pos}{moved_ru}.\n{}\nПодробнее: {my}\n\
                     Отказаться от еженедельной сводки: {my}",
                    why("kk"),
                    why("ru")
                ),
            }
        }
        _ => return None,
    };
    Some(w)
}

/// A reason a place changed, as the position history names it.
fn reason(code: &str, lang: &str) -> &'static str {
    let kk = lang == "kk";
    match code {
        "invited" if kk => "алдыңғы балалар орынға шақырылды",
        "invited" => "дети впереди приглашены на места",
        "admitted" if kk => "алдыңғы балалар балабақшаға жолдама алды",
        "admitted" => "дети впереди получили направления",
        "withdrawn" if kk => "алдыңғы өтінімдер алынды",
        "withdrawn" => "заявки впереди отозваны",
        "returned" if kk => "алдыңғы орындарына балалар оралды",
        "returned" => "на места впереди вернулись дети",
        // A privileged application, or one from a kindergarten's former queue with an earlier
        // date (the merge of the legacy queues).
        "applied" if kk => "алдыңғы орындарға жаңа өтінімдер түсті",
        "applied" => "впереди встали новые заявки",
        "privilege_dropped" if kk => "алдыңғы орындарға жеңілдігі расталмаған балалар көшті",
        "privilege_dropped" => "впереди встали дети, чья льгота не подтверждена",
        _ if kk => "кезек өзгерді",
        _ => "очередь изменилась",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(lang: &'static str) -> Facts {
        Facts {
            site: "https://kezek.almaty.kz".into(),
            public_no: "2026-4821-3390".into(),
            lang,
            kindergarten: Some(Place {
                number: 187,
                // The longest kind of name the demo city has.
                name_kk: "№ 187 «Балдырған» мамандандырылған бөбекжай-балабақшасы".into(),
                name_ru: "Ясли-сад № 187 «Балдырган» специализированный".into(),
                address_kk: "Алатау ауданы, Шаңырақ-2 шағын ауданы, Жанкожа батыр көшесі, 202"
                    .into(),
                address_ru: "Алатауский район, мкр. Шанырак-2, ул. Жанкожа батыра, 202".into(),
            }),
        }
    }

    #[test]
    fn every_sms_fits_two_segments_in_both_languages() {
        let t: i64 = 1_795_000_000_000;
        let params = json!({ "code": "REF-2026-000123", "expires_at": t, "stop_until": t,
            "applied_at": t, "due": t, "position": 12345, "was": 12400, "reasons": ["invited", "applied"] });
        for template in [
            "application_created",
            "invited",
            "referral_issued",
            "referral_reminder",
            "referral_expired",
            "referral_declined",
            "invitation_lapsed",
            "referral_extended",
            "enrolled",
            "withdrawn",
            "contacts_changed",
            "weekly_position",
            "privilege_dropped",
        ] {
            for lang in ["kk", "ru"] {
                let w = write(template, &params, &facts(lang)).expect(template);
                assert!(
                    segments(&w.sms) <= 2,
                    "{template} {lang}: {} chars: {}",
                    w.sms.chars().count(),
                    w.sms
                );
                assert!(w.email.contains("\n\n"), "{template}: Kazakh, then Russian");
                assert!(!w.subject.is_empty());
            }
        }
        assert!(write("unknown", &params, &facts("ru")).is_none());
    }

    #[test]
    fn segments_count_cyrillic_as_ucs2() {
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"я".repeat(70)), 1);
        assert_eq!(segments(&"я".repeat(71)), 2);
        assert_eq!(segments(&"я".repeat(134)), 2);
        assert_eq!(segments(&"я".repeat(135)), 3);
    }

    #[test]
    fn the_invitation_says_until_when_in_almaty_time() {
        // 2026-12-01 13:00 UTC is 18:00 in Almaty.
        let at = time::macros::datetime!(2026-12-01 13:00 UTC).unix_timestamp() * 1000;
        let w = write("invited", &json!({ "expires_at": at }), &facts("ru")).unwrap();
        assert!(w.sms.contains("01.12.2026 18:00"), "{}", w.sms);
        assert!(w.sms.contains("https://kezek.almaty.kz/my"));
        assert!(w.subject.contains("01.12.2026 18:00"));
    }
}
