//! How the parent's page tells what became of each notification: "SMS sent to
//! +7 701 *** ** 12 on 26.11.2026, 10:02".
//!
//! The words are written on the server, into the answer ([`write`]): the browser's code
//! carries none of them (the hydrate bundle has a budget).

use super::{when, Locale};
use crate::domain::queue::{MyChild, NoticeDelivery, NoticesText};

/// Writes a child's notifications box in `locale`: each notification's subject and lines, the
/// box's title and the weekly summary's switch.
pub fn write(locale: Locale, c: &mut MyChild) {
    for n in &mut c.notices {
        n.about = about(locale, &n.template).to_string();
        for d in &mut n.deliveries {
            d.line = delivery(locale, d);
        }
    }
    let (said, button) = weekly(locale, c.weekly_summary);
    c.notices_text = NoticesText {
        title: title(locale).into(),
        none_yet: none_yet(locale).into(),
        weekly_said: said.into(),
        weekly_button: button.into(),
    };
}

/// What the notification was about.
fn about(locale: Locale, template: &str) -> &'static str {
    let [kk, ru, en] = match template {
        "application_created" => [
            "Өтінім қабылданды",
            "Заявка принята",
            "Application received",
        ],
        "invited" => [
            "Орын таңдауға шақыру",
            "Приглашение выбрать место",
            "Invitation to choose a seat",
        ],
        "referral_issued" => ["Жолдама берілді", "Направление выдано", "Referral issued"],
        "referral_reminder" => [
            "Жолдама туралы еске салу",
            "Напоминание о направлении",
            "Referral reminder",
        ],
        "referral_expired" => [
            "Жолдаманың мерзімі өтті",
            "Направление истекло",
            "Referral expired",
        ],
        "referral_declined" => [
            "Жолдамадан бас тарту",
            "Отказ от направления",
            "Referral declined",
        ],
        "invitation_lapsed" => [
            "Шақырудың мерзімі өтті",
            "Приглашение истекло",
            "Invitation lapsed",
        ],
        "referral_extended" => [
            "Жолдама ұзартылды",
            "Направление продлено",
            "Referral extended",
        ],
        "enrolled" => [
            "Балабақшаға қабылданды",
            "Зачислен в детский сад",
            "Enrolled",
        ],
        "withdrawn" => ["Өтінім алынды", "Заявка отозвана", "Application withdrawn"],
        "contacts_changed" => [
            "Байланыстар өзгертілді",
            "Контакты изменены",
            "Contacts changed",
        ],
        "weekly_position" => ["Апталық шолу", "Еженедельная сводка", "Weekly summary"],
        "privilege_dropped" => [
            "Жеңілдік расталмады",
            "Льгота не подтверждена",
            "Privilege not re-confirmed",
        ],
        _ => ["Хабарлама", "Уведомление", "Notification"],
    };
    match locale {
        Locale::Kk => kk,
        Locale::Ru => ru,
        Locale::En => en,
    }
}

/// One message: by which channel to whom, and what became of it.
fn delivery(locale: Locale, n: &NoticeDelivery) -> String {
    let channel = match (locale, n.channel.as_str()) {
        (_, "sms") => "SMS",
        (Locale::Kk, _) => "Хат",
        (Locale::Ru, _) => "Письмо",
        (Locale::En, _) => "E-mail",
    };
    let (to, at) = (&n.to, when(n.at));
    // Kazakh says "to the number" or "to the address".
    let to_kk = if n.channel == "sms" {
        format!("{to} нөміріне")
    } else {
        format!("{to} мекенжайына")
    };
    let state = match (locale, n.state.as_str()) {
        (Locale::Kk, "sent") => format!("{channel} {to_kk} жіберілді, {at}"),
        (Locale::Ru, "sent") => format!("{channel} отправлено на {to}, {at}"),
        (Locale::En, "sent") => format!("{channel} sent to {to} on {at}"),
        (Locale::Kk, "retry") => format!("{channel} {to_kk} жетпеді, {at} қайталанады"),
        (Locale::Ru, "retry") => format!("{channel} на {to} не дошло, повторим {at}"),
        (Locale::En, "retry") => {
            format!("{channel} to {to} did not go through; trying again on {at}")
        }
        (Locale::Kk, "dead") => format!("{channel} {to_kk} жеткізілмеді: байланыстарды тексеріңіз"),
        (Locale::Ru, "dead") => format!("{channel} на {to} не доставлено: проверьте контакты"),
        (Locale::En, "dead") => {
            format!("{channel} to {to} could not be delivered: check the contacts")
        }
        (Locale::Kk, _) => format!("{channel} {to_kk} жіберілуде"),
        (Locale::Ru, _) => format!("{channel} на {to} отправляется"),
        (Locale::En, _) => format!("{channel} to {to} is being sent"),
    };
    state
}

fn title(locale: Locale) -> &'static str {
    match locale {
        Locale::Kk => "Хабарламалар",
        Locale::Ru => "Уведомления",
        Locale::En => "Notifications",
    }
}

fn none_yet(locale: Locale) -> &'static str {
    match locale {
        Locale::Kk => "Әзірге хабарлама жоқ.",
        Locale::Ru => "Уведомлений пока нет.",
        Locale::En => "No notifications yet.",
    }
}

/// The weekly summary: whether it is on, and the button that changes it.
fn weekly(locale: Locale, on: bool) -> (&'static str, &'static str) {
    match (locale, on) {
        (Locale::Kk, true) => (
            "Әр дүйсенбі сайын кезектегі орын туралы SMS пен хат келеді.",
            "Апталық шолуды тоқтату",
        ),
        (Locale::Kk, false) => (
            "Кезектегі орын мен оның өзгеру себептерін аптасына бір рет алуға болады.",
            "Апталық шолуды алу",
        ),
        (Locale::Ru, true) => (
            "Каждый понедельник приходит SMS и письмо о месте в очереди.",
            "Отключить еженедельную сводку",
        ),
        (Locale::Ru, false) => (
            "Можно раз в неделю получать место в очереди и причины его изменений.",
            "Получать еженедельную сводку",
        ),
        (Locale::En, true) => (
            "Every Monday an SMS and an e-mail tell the place in the queue.",
            "Stop the weekly summary",
        ),
        (Locale::En, false) => (
            "You can get the place in the queue and why it moved once a week.",
            "Get a weekly summary",
        ),
    }
}
