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
            // eGov mobile: the page, and what the app is told.
            SignInEgov => ["eGov mobile арқылы кіру", "Войти через eGov mobile", "Sign in with eGov mobile"],
            EgovHeading => ["Телефонда: eGov mobile", "С телефона: eGov mobile", "On a phone: eGov mobile"],
            EgovIntro => [
                "ЭЦҚ eGov mobile қосымшасында тұрса, кіру PIN-кодпен немесе биометриямен расталады.",
                "Если ваша ЭЦП в приложении eGov mobile, вход подтверждается PIN-кодом или биометрией.",
                "If your EDS is in the eGov mobile app, you confirm with your PIN or biometrics.",
            ],
            NcaLayerHeading => ["Компьютерде: NCALayer", "На компьютере: NCALayer", "On a computer: NCALayer"],
            EgovScanHint => [
                "Телефоныңызда eGov mobile ашып, QR-код сканерімен осы кодты оқыңыз, содан кейін кіруді растаңыз.",
                "Откройте eGov mobile на телефоне, отсканируйте этот код сканером QR-кодов в приложении и подтвердите вход.",
                "Open eGov mobile on your phone, scan this code with the app's QR scanner and confirm the sign-in.",
            ],
            EgovOpenApp => ["eGov mobile ашу", "Открыть eGov mobile", "Open eGov mobile"],
            EgovPhoneHint => [
                "Қосымшада кіруді растап, осы бетке оралыңыз: ол өзі жалғасады.",
                "Подтвердите вход в приложении и вернитесь на эту страницу: она продолжит сама.",
                "Confirm the sign-in in the app and come back to this page: it carries on by itself.",
            ],
            EgovOtherPhone => [
                "QR-кодты басқа телефонмен оқу",
                "Отсканировать QR-код другим телефоном",
                "Scan the QR code with another phone",
            ],
            EgovQrLabel => [
                "eGov mobile-ге арналған QR-код",
                "QR-код для eGov mobile",
                "QR code for eGov mobile",
            ],
            EgovWaiting => [
                "eGov mobile-ден қолтаңбаны күтудеміз.",
                "Ждём подпись из eGov mobile.",
                "Waiting for the signature from eGov mobile.",
            ],
            EgovOpened => [
                "eGov mobile сұрауды ашты. Қосымшада кіруді растаңыз.",
                "eGov mobile открыл запрос. Подтвердите вход в приложении.",
                "eGov mobile opened the request. Confirm the sign-in in the app.",
            ],
            EgovTimeLeft => ["Код жарамды", "Код действует ещё", "The code is valid for"],
            EgovSignedIn => [
                "Қолтаңба тексерілді, кіріп жатырсыз…",
                "Подпись проверена, входим…",
                "Signature checked, signing you in…",
            ],
            EgovNewCode => ["Жаңа код алу", "Получить новый код", "Get a new code"],
            EgovCancel => ["Болдырмау", "Отменить", "Cancel"],
            EgovExpired => [
                "Кодтың мерзімі өтті (5 минут). Жаңа код алыңыз.",
                "Срок кода истёк (5 минут). Получите новый код.",
                "The code has expired (5 minutes). Get a new one.",
            ],
            EgovCancelled => [
                "Кіру тоқтатылды. Қаласаңыз, жаңа код алыңыз.",
                "Вход отменён. Если нужно, получите новый код.",
                "Sign-in cancelled. Get a new code if you wish.",
            ],
            EgovUnknown => [
                "Мұндай кіру сұрауы жоқ. Кіру бетінде жаңа код алыңыз.",
                "Такого запроса на вход нет. Получите новый код на странице входа.",
                "There is no such sign-in request. Get a new code on the sign-in page.",
            ],
            EgovUsed => [
                "Бұл код қолданылып қойған. Кіру бетінде жаңа код алыңыз.",
                "Этот код уже использован. Получите новый код на странице входа.",
                "This code has been used already. Get a new code on the sign-in page.",
            ],
            EgovToken => [
                "Құжатқа рұқсат жоқ: QR-кодты қайта оқыңыз.",
                "Нет доступа к документу: отсканируйте QR-код заново.",
                "No access to the document: scan the QR code again.",
            ],
            EgovDone => [
                "Қолтаңба қабылданды. Браузерге оралыңыз.",
                "Подпись принята. Вернитесь в браузер.",
                "Signature accepted. Go back to your browser.",
            ],
            EgovDescription => [
                "Кезекке кіру: Алматы балабақшаларына бірыңғай кезек",
                "Вход в Кезек: единая очередь в детские сады Алматы",
                "Sign-in to Kezek: Almaty's unified kindergarten queue",
            ],
            EgovOrganisation => [
                "Алматы қаласының Білім басқармасы",
                "Управление образования города Алматы",
                "Education Department of Almaty",
            ],
            EgovSite => ["Сайт", "Сайт", "Site"],
            EgovValidUntil => ["Жарамды", "Действует до", "Valid until"],
            EgovNeedsScript => [
                "eGov mobile арқылы кіру үшін браузерде JavaScript қосулы болуы керек.",
                "Для входа через eGov mobile в браузере должен быть включён JavaScript.",
                "Signing in with eGov mobile needs JavaScript in the browser.",
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
