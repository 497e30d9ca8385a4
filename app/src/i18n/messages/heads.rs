//! The head's tablet: seats, referrals, the staff order.

/// Adds these messages to those gathered so far and passes them on (see `super`).
macro_rules! heads_messages {
    ($next:ident $(, $rest:ident)* ; $($gathered:tt)*) => {
        $next! { $($rest),* ; $($gathered)*
            // The head's tablet.
            HeadTitle => ["Бос орындар", "Свободные места", "Free seats"],
            HeadIntro => [
                "Әр жас тобының бос орындарын жариялаңыз: кезектегі балалар бірден шақырылады.",
                "Публикуйте свободные места каждой возрастной группы: дети из очереди приглашаются сразу.",
                "Post each age group's free seats: children in the queue are invited at once.",
            ],
            CapacityLabel => ["Орын саны", "Мест в группе", "Capacity"],
            PendingLabel => ["Жолдамамен келетіндер", "Ждём по направлениям", "Coming with referrals"],
            FreeNowLabel => ["Қазір бос", "Свободно сейчас", "Free now"],
            OneSeatLess => ["Бір орын азайту", "На одно место меньше", "One seat fewer"],
            OneSeatMore => ["Бір орын қосу", "На одно место больше", "One seat more"],
            SetSeatsLabel => ["Бос орын саны", "Число свободных мест", "Number of free seats"],
            SetSeats => ["Сақтау", "Сохранить", "Save"],
            SeatsConflict => [
                "Бұл топты басқа планшет жаңа ғана өзгертті. Қазіргі саны:",
                "Эту группу только что изменил другой планшет. Сейчас:",
                "Another tablet has just changed this group. Now:",
            ],
            ApplyOnTop => ["Өзгерісімді үстіне қолдану", "Применить моё изменение поверх", "Apply my change on top"],
            KeepCurrent => ["Осылай қалдыру", "Оставить как есть", "Keep it as it is"],
            HistoryHeading => ["Соңғы жариялаулар", "Последние публикации", "Latest postings"],
            ColWhen => ["Уақыты", "Когда", "When"],
            ColChange => ["Өзгеріс", "Изменение", "Change"],
            NoPostings => ["Әлі жариялау жоқ.", "Публикаций пока нет.", "No postings yet."],
            NavHead => ["Балабақшам", "Мой детский сад", "My kindergarten"],
            ReferralsHeading => ["Осы балабақшаға жолдамалар", "Направления в этот детский сад", "Referrals to this kindergarten"],
            CheckReferralLabel => ["Жолдама коды", "Код направления", "Referral code"],
            CheckReferral => ["Тексеру", "Проверить", "Check"],
            EnrolChild => ["Қабылдау", "Зачислить", "Enrol"],
            ExtendReferral => ["Мерзімін ұзарту", "Продлить", "Extend"],
            ExtendUntilLabel => ["Қай күнге дейін", "До какого дня", "Until"],
            ExtendReasonLabel => ["Себебі", "Причина", "Reason"],
            StaffChildFlag => ["Қызметкердің баласы, бұйрық", "Ребёнок сотрудника, приказ", "A staff member's child, order"],
            NoReferrals => ["Әзірге жолдама жоқ.", "Направлений пока нет.", "No referrals yet."],
            CheckReferralHint => [
                "Кодты теріңіз немесе QR-кодты сканерлеңіз.",
                "Введите код или отсканируйте QR-код.",
                "Type the code or scan the QR code.",
            ],
            ScanQr => ["QR-кодты сканерлеу", "Сканировать QR-код", "Scan the QR code"],
            ScanStop => ["Камераны жабу", "Закрыть камеру", "Close the camera"],
            ScanHint => [
                "Жолдаманың QR-кодын камераға көрсетіңіз.",
                "Поднесите QR-код направления к камере.",
                "Hold the referral's QR code up to the camera.",
            ],
            ScanNoCamera => [
                "Камера қолжетімсіз (рұқсат берілмеген немесе камера жоқ). Кодты теріңіз.",
                "Камера недоступна (нет разрешения или камеры). Введите код.",
                "The camera is not available (no permission, or no camera). Type the code instead.",
            ],
            SignatureValid => [
                "Kezek қолтаңбасы дұрыс",
                "Подпись Kezek верна",
                "Kezek's signature is valid",
            ],
            StaffHeading => [
                "Қызметкердің баласын қабылдау",
                "Принять ребёнка сотрудника",
                "Admit a staff member's child",
            ],
            StaffIntro => [
                "Меңгерушінің бұйрығы бойынша, кезектен тыс. Жолдама ашық хаттамада белгіленеді.",
                "По приказу заведующего, вне очереди. Направление отмечается в открытом протоколе.",
                "By the head's order, outside the queue. The referral is flagged in the public record.",
            ],
            StaffAppLabel => ["Өтініш нөмірі", "Номер заявления", "Application number"],
            StaffOrderLabel => ["Бұйрық нөмірі", "Номер приказа", "Order number"],
            StaffAdmit => ["Қабылдау", "Принять", "Admit"],
            ErrNoSuchApplication => [
                "Мұндай нөмірлі өтініш жоқ.",
                "Заявления с таким номером нет.",
                "There is no application with this number.",
            ],
            ErrNoSuchReferral => [
                "Мұндай кодты жолдама жоқ (немесе ол басқа балабақшаға берілген).",
                "Направления с таким кодом нет (или оно в другой детский сад).",
                "There is no referral with this code (or it is to another kindergarten).",
            ],
            ErrStaffNoSeat => [
                "Бұл топта бос орын жоқ: алдымен бос орынды жариялаңыз.",
                "В этой группе нет свободного места: сначала опубликуйте его.",
                "There is no free seat in this age group: post one first.",
            ],
            ErrUnreached => [
                "Сервермен байланыс болмады: өзгеріс жетпеген болуы мүмкін. Қайталаңыз: ол бір рет қана есептеледі.",
                "Нет связи с сервером: изменение могло не дойти. Повторите: оно будет учтено один раз.",
                "The server could not be reached: the change may not have arrived. Try again: it counts once.",
            ],
            Sending => ["Жіберілуде…", "Отправляется…", "Sending…"],
        }
    };
}
