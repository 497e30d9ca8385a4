//! Signing in (EDS with NCALayer, eGov mobile, dev mode) and the account page.

/// Adds these messages to those gathered so far and passes them on (see `super`).
macro_rules! account_messages {
    ($next:ident $(, $rest:ident)* ; $($gathered:tt)*) => {
        $next! { $($rest),* ; $($gathered)*
            NavSignIn => ["Кіру", "Войти", "Sign in"],
            NavAccount => ["Менің кабинетім", "Мой кабинет", "My account"],
            SignInTitle => ["Кезекке кіру", "Вход в Кезек", "Sign in to Kezek"],
            SignInIntro => [
                "Электрондық цифрлық қолтаңбаңызбен (ЭЦҚ) кіріңіз, egov.kz сияқты. ЖСН сертификаттан алынады.",
                "Войдите с электронной цифровой подписью (ЭЦП), как на egov.kz. ИИН берётся из сертификата.",
                "Sign in with your electronic digital signature (EDS), as on egov.kz. Your IIN is read from the certificate.",
            ],
            SignInAs => ["Кім ретінде кіресіз", "Войти как", "Sign in as"],
            RoleParent => ["Ата-ана", "Родитель", "Parent"],
            RoleHead => ["Балабақша меңгерушісі", "Заведующий детским садом", "Head of a kindergarten"],
            RoleAdmin => ["Білім басқармасы", "Управление образования", "Education department"],
            SignInEds => ["ЭЦҚ арқылы кіру", "Войти через ЭЦП", "Sign in with EDS"],
            SignInHint => [
                "NCALayer іске қосулы болуы керек. Аутентификация кілтін (AUTH) таңдаңыз.",
                "NCALayer должен быть запущен. Выберите ключ аутентификации (AUTH).",
                "NCALayer must be running. Choose your authentication key (AUTH).",
            ],
            SignInWorking => ["NCALayer-де қол қойыңыз…", "Подпишите в NCALayer…", "Sign in NCALayer…"],
            ErrNcaLayerDown => [
                "NCALayer іске қосылмаған. Оны іске қосып (pki.gov.kz), қайталаңыз.",
                "NCALayer не запущен. Запустите его (pki.gov.kz) и повторите.",
                "NCALayer is not running. Start it (pki.gov.kz) and try again.",
            ],
            ErrNcaLayerFailed => [
                "NCALayer қол қоя алмады. Кілт салынғанын тексеріп, қайталаңыз.",
                "NCALayer не смог подписать. Проверьте, что ключ подключён, и повторите.",
                "NCALayer could not sign. Check that your key is plugged in and try again.",
            ],
            ErrNcaLayerCancelled => [
                "Қол қою тоқтатылды. Қайта көріңіз.",
                "Подписание отменено. Попробуйте ещё раз.",
                "Signing was cancelled. Try again.",
            ],
            DevSignInTitle => ["Әзірлеу режимі", "Режим разработки", "Development mode"],
            DevSignInNote => [
                "Бұл сервер әзірлеу режимінде: кез келген адам ретінде кіруге болады. Нақты қызметте бұл бөлім жоқ.",
                "Этот сервер в режиме разработки: можно войти как кто угодно. В настоящем сервисе этого раздела нет.",
                "This server is in development mode: anyone can sign in as anyone. The real service has no such section.",
            ],
            DevAsParent => ["Демо ата-ана ретінде", "Как демо-родитель", "As the demo parent"],
            DevAsHead => ["Демо меңгеруші ретінде", "Как демо-заведующий", "As the demo head"],
            DevAsAdmin => ["Демо басқарма ретінде", "Как демо-управление", "As the demo department"],
            DevAnyIin => [
                "Кез келген ЖСН бойынша ата-ана ретінде",
                "Как родитель с любым ИИН",
                "As a parent with any IIN",
            ],
            AccountTitle => ["Менің кабинетім", "Мой кабинет", "My account"],
            SignedInAs => ["Сіз кірдіңіз:", "Вы вошли как:", "You are signed in as:"],
            KindergartenNo => ["Балабақша", "Детский сад", "Kindergarten"],
            SignOut => ["Шығу", "Выйти", "Sign out"],
            SignOutEverywhere => [
                "Барлық құрылғылардан шығу",
                "Выйти на всех устройствах",
                "Sign out on every device",
            ],
            TryAgain => ["Қайталау", "Повторить", "Try again"],
            GoHome => ["Басты бетке", "На главную", "Go to the start page"],
        }
    };
}
