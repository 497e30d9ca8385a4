//! Every fixed text of the interface, in Kazakh, Russian and English, side by side.
//!
//! The macro makes a message without all three texts a compile error.

macro_rules! messages {
    ($($name:ident => [$kk:expr, $ru:expr, $en:expr $(,)?],)*) => {
        /// A translatable text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($name,)* }

        /// The texts of every message, in the order of [`Msg`]'s variants: one table, read by
        /// index. The server's build only: the browser reads the page's own language from the
        /// page (`super::page_texts`), so its bundle carries no text of any language.
        #[cfg(feature = "ssr")]
        const TEXTS: &[[&str; 3]] = &[$([$kk, $ru, $en],)*];

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name,)*];

            /// The texts in Kazakh, Russian and English.
            #[cfg(feature = "ssr")]
            pub fn texts(self) -> [&'static str; 3] {
                TEXTS[self as usize]
            }
        }
    };
}

messages! {
    AppName => ["Кезек", "Кезек", "Kezek"],
    Tagline => [
        "Алматы балабақшаларына бірыңғай кезек",
        "Единая очередь в детские сады Алматы",
        "Almaty's unified kindergarten queue",
    ],
    SkipToContent => ["Негізгі мазмұнға өту", "Перейти к содержимому", "Skip to content"],
    MainNavigation => ["Негізгі мәзір", "Главное меню", "Main navigation"],
    NavDirectory => ["Балабақшалар", "Детские сады", "Kindergartens"],
    LanguageLabel => ["Тіл", "Язык", "Language"],
    FooterNote => [
        "Жолдамалар автоматты түрде беріледі: кезек ашық әрі тексеруге болады.",
        "Направления выдаются автоматически: очередь открыта и проверяема.",
        "Referrals are issued automatically: the queue is public and checkable.",
    ],

    // City summary
    SummaryWaiting => ["кезектегі бала", "детей в очереди", "children waiting"],
    SummaryInQueue => ["кезекке қосылған балабақша", "детских садов в очереди", "kindergartens in the queue"],
    SummaryFreeSeats => ["қазір бос орын", "свободных мест сейчас", "free seats now"],

    // Directory
    DirectoryTitle => ["Балабақшалар анықтамалығы", "Справочник детских садов", "Kindergarten directory"],
    DirectoryIntro => [
        "Атауы бойынша іздеңіз немесе аудан, топ тілі және бос орындар бойынша сүзіңіз.",
        "Ищите по названию или отберите по району, языку группы и свободным местам.",
        "Search by name or narrow by district, group language and free seats.",
    ],
    FilterLegend => ["Іздеу және сүзгілер", "Поиск и фильтры", "Search and filters"],
    SearchLabel => ["Атауы немесе нөмірі", "Название или номер", "Name or number"],
    SearchPlaceholder => ["мысалы, Балапан немесе 125", "например, Балапан или 125", "e.g. Balapan or 125"],
    DistrictLabel => ["Аудан", "Район", "District"],
    AnyDistrict => ["Барлық аудандар", "Все районы", "All districts"],
    GroupLanguageLabel => ["Топ тілі", "Язык группы", "Group language"],
    AnyLanguage => ["Кез келген тіл", "Любой язык", "Any language"],
    FreeOnlyLabel => ["Тек бос орындары барлар", "Только со свободными местами", "Only with free seats"],
    ApplyFilters => ["Көрсету", "Показать", "Show"],
    ResetFilters => ["Сүзгілерді тазарту", "Сбросить фильтры", "Clear filters"],
    NoResults => [
        "Ештеңе табылмады. Сүзгілерді өзгертіп көріңіз.",
        "Ничего не найдено. Попробуйте изменить фильтры.",
        "Nothing found. Try changing the filters.",
    ],
    Loading => ["Жүктелуде…", "Загрузка…", "Loading…"],
    PrevPage => ["Алдыңғы бет", "Предыдущая страница", "Previous page"],
    NextPage => ["Келесі бет", "Следующая страница", "Next page"],
    Pagination => ["Беттер", "Страницы", "Pages"],
    NoFreeSeats => ["Бос орын жоқ", "Нет свободных мест", "No free seats"],
    InQueueBadge => ["Бірыңғай кезекте", "В единой очереди", "In the unified queue"],
    OutsideQueueBadge => ["Кезектен тыс", "Вне очереди", "Outside the queue"],

    // Kinds and languages
    KindGeneral => ["Мемлекеттік балабақша", "Государственный детский сад", "State kindergarten"],
    KindSpecialized => ["Мамандандырылған балабақша", "Специализированный детский сад", "Specialized kindergarten"],
    KindPrivate => ["Жекеменшік балабақша", "Частный детский сад", "Private kindergarten"],
    LangKazakh => ["қазақ тілі", "казахский", "Kazakh"],
    LangRussian => ["орыс тілі", "русский", "Russian"],
    LangMixed => ["аралас", "смешанный", "mixed"],

    // Districts
    DistrictAlatau => ["Алатау ауданы", "Алатауский район", "Alatau district"],
    DistrictAlmaly => ["Алмалы ауданы", "Алмалинский район", "Almaly district"],
    DistrictAuezov => ["Әуезов ауданы", "Ауэзовский район", "Auezov district"],
    DistrictBostandyk => ["Бостандық ауданы", "Бостандыкский район", "Bostandyk district"],
    DistrictZhetysu => ["Жетісу ауданы", "Жетысуский район", "Zhetysu district"],
    DistrictMedeu => ["Медеу ауданы", "Медеуский район", "Medeu district"],
    DistrictNauryzbay => ["Наурызбай ауданы", "Наурызбайский район", "Nauryzbay district"],
    DistrictTurksib => ["Түрксіб ауданы", "Турксибский район", "Turksib district"],

    // Age groups
    GroupNursery => ["Бөбекжай тобы (1–2 жас)", "Ясельная группа (1–2 года)", "Nursery group (1–2 years)"],
    GroupJunior => ["Кіші топ (2–3 жас)", "Младшая группа (2–3 года)", "Junior group (2–3 years)"],
    GroupMiddle => ["Ортаңғы топ (3–4 жас)", "Средняя группа (3–4 года)", "Middle group (3–4 years)"],
    GroupSenior => ["Ересек топ (4–5 жас)", "Старшая группа (4–5 лет)", "Senior group (4–5 years)"],
    GroupPreschool => ["Мектепалды тобы (5–6 жас)", "Предшкольная группа (5–6 лет)", "Pre-school group (5–6 years)"],
    GroupOther => ["Басқа топ", "Другая группа", "Other group"],

    // Kindergarten page
    BackToDirectory => ["Анықтамалыққа оралу", "Назад к справочнику", "Back to the directory"],
    AddressLabel => ["Мекенжайы", "Адрес", "Address"],
    KindLabel => ["Түрі", "Тип", "Type"],
    LanguagesLabel => ["Топ тілдері", "Языки групп", "Group languages"],
    CoordinatesLabel => ["Координаттары", "Координаты", "Coordinates"],
    SeatsHeading => ["Жас топтары және орындар", "Возрастные группы и места", "Age groups and seats"],
    SeatsCaption => [
        "Бос орындар — дәл қазір жолдама алуға болатын орындар.",
        "Свободные места — те, на которые можно получить направление прямо сейчас.",
        "Free seats are the seats a referral can be claimed for right now.",
    ],
    ColGroup => ["Топ", "Группа", "Group"],
    ColCohort => ["Туған жылы", "Год рождения", "Year of birth"],
    ColCapacity => ["Орын саны", "Мест всего", "Capacity"],
    ColFree => ["Бос", "Свободно", "Free"],
    OutsideQueueExplained => [
        "Бұл ұйым бірыңғай кезекке қатыспайды: орындарды өзі береді.",
        "Эта организация не участвует в единой очереди: места распределяет сама.",
        "This organisation is not part of the unified queue: it fills its own places.",
    ],
    SpecializedExplained => [
        "Мамандандырылған балабақшаларға жолдама ПМПК қорытындысы бойынша беріледі және бірыңғай кезекке кірмейді.",
        "Направления в специализированные сады выдаются по заключению ПМПК и не входят в единую очередь.",
        "Specialized kindergartens admit children on a medical-pedagogical commission's referral, outside the unified queue.",
    ],

    // Errors
    ErrNotFound => ["Бет табылмады.", "Страница не найдена.", "Page not found."],
    ErrKindergartenNotFound => ["Мұндай балабақша жоқ.", "Такого детского сада нет.", "There is no such kindergarten."],
    ErrUnauthorized => ["Алдымен кіріңіз.", "Сначала войдите.", "Please sign in first."],
    ErrForbidden => ["Бұл әрекетке рұқсатыңыз жоқ.", "У вас нет прав на это действие.", "You are not allowed to do this."],
    ErrAlreadyApplied => [
        "Бұл баланың кезекте ашық өтінімі бар.",
        "У этого ребёнка уже есть открытое заявление в очереди.",
        "This child already has an open application in the queue.",
    ],
    ErrNotInvited => [
        "Балаға қазір шақыру жоқ. Орын босағанда SMS және e-mail келеді.",
        "Сейчас у ребёнка нет приглашения. Когда место освободится, придут SMS и e-mail.",
        "The child has no invitation now. When a seat frees up, an SMS and an e-mail will come.",
    ],
    ErrInvitationLapsed => [
        "Шақыру мерзімі өтті. Бала кезектегі орнын сақтайды.",
        "Срок приглашения истёк. Ребёнок сохраняет своё место в очереди.",
        "The invitation has lapsed. The child keeps its place in the queue.",
    ],
    ErrSeatGone => [
        "Сіз таңдап жатқанда бұл балабақшадағы соңғы орынды басқа біреу алды. Тізім жаңартылды: басқасын таңдаңыз.",
        "Пока вы выбирали, последнее место в этом саду заняли. Список обновлён: выберите другой.",
        "While you were choosing, someone took the last seat in this kindergarten. The list is updated: choose another.",
    ],
    ErrAlreadyReferred => [
        "Балада жолдама бар.",
        "У ребёнка уже есть направление.",
        "The child already holds a referral.",
    ],
    ErrNotOpen => [
        "Өтінім жабық: бала қабылданған немесе өтінім қайтарылған.",
        "Заявление закрыто: ребёнок зачислен или заявление отозвано.",
        "The application is closed: the child was enrolled or the application withdrawn.",
    ],
    ErrReferralNotActive => [
        "Жолдама енді жарамсыз (қабылданған, бас тартылған немесе мерзімі өткен).",
        "Направление больше не действует (зачислен, отказ или истёк срок).",
        "The referral is no longer active (enrolled, declined or expired).",
    ],
    ErrPostingPaused => [
        "Тамызда балалар жас топтары арасында ауысады: бос орындарды 1 қыркүйектен бастап жариялаңыз.",
        "В августе дети переходят между возрастными группами: публикуйте места с 1 сентября.",
        "In August children move between age groups: post seats again from 1 September.",
    ],
    ErrSiblingsDoNotFit => [
        "Бір балабақшада барлық бауырларға орын жетпейді.",
        "Ни в одном детском саду нет мест сразу для всех братьев и сестёр.",
        "No kindergarten has seats for all the siblings together.",
    ],
    ErrEmail => [
        "E-mail мекенжайын тексеріңіз (мысалы, ana@mail.kz).",
        "Проверьте адрес e-mail (например, ana@mail.kz).",
        "Check the e-mail address (for example, ana@mail.kz).",
    ],
    ErrName => [
        "Баланың атын жазыңыз (200 таңбаға дейін).",
        "Укажите имя ребёнка (до 200 символов).",
        "Enter the child's name (up to 200 characters).",
    ],
    ErrBirthDate => [
        "Туған күні ЖСН-дағы күнмен сәйкес келмейді.",
        "Дата рождения не совпадает с датой в ИИН.",
        "The birth date does not match the one in the IIN.",
    ],
    ErrChildTooOld => [
        "Бала 6 жастан асқан: кезек мектепке дейінгі балаларға арналған.",
        "Ребёнку уже 6 лет: очередь для детей дошкольного возраста.",
        "The child is 6 or older: the queue is for preschool children.",
    ],
    ErrNotBorn => [
        "ЖСН-дағы туған күн әлі келмеген. ЖСН-ды тексеріңіз.",
        "Дата рождения в ИИН ещё не наступила. Проверьте ИИН.",
        "The birth date in this IIN has not come yet. Check the IIN.",
    ],
    ErrPriorityDocument => [
        "Басымдық беретін құжатты көрсетіңіз (түрі мен нөмірі).",
        "Укажите документ, дающий право на льготу (вид и номер).",
        "Name the document that grants the priority (its kind and number).",
    ],
    ErrChoose => ["Біреуін таңдаңыз.", "Выберите один из вариантов.", "Choose one."],
    ErrChildIsParent => [
        "Баланың ЖСН-і сіздің ЖСН-іңізбен бірдей.",
        "ИИН ребёнка совпадает с вашим ИИН.",
        "The child's IIN is your own.",
    ],
    ErrSamePhones => [
        "Екі түрлі ұялы нөмір көрсетіңіз: біреуі өзгерсе, хабар екіншісіне келеді.",
        "Укажите два разных мобильных номера: если один сменится, сообщение придёт на второй.",
        "Give two different mobile numbers: if one changes, messages still reach the other.",
    ],
    ErrSeatCount => [
        "Орын саны 0-ден топтың бос сыйымдылығына дейін болуы керек.",
        "Число мест должно быть от 0 до свободной вместимости группы.",
        "The seat count must be between 0 and the group's remaining capacity.",
    ],
    ErrReason => [
        "Себебін жазыңыз (500 таңбаға дейін).",
        "Укажите причину (до 500 символов).",
        "Give the reason (up to 500 characters).",
    ],
    ErrStaffOrder => [
        "Бұйрықтың нөмірін жазыңыз (100 таңбаға дейін).",
        "Укажите номер приказа (до 100 символов).",
        "Give the order's number (up to 100 characters).",
    ],
    ErrToken => [
        "Бұл QR-кодқа Kezek қол қоймаған немесе ол өзгертілген: жолдама жарамсыз.",
        "Этот QR-код не подписан Kezek или изменён: направление недействительно.",
        "Kezek did not sign this QR code, or it was altered: the referral is not valid.",
    ],
    ErrExtensionDate => [
        "Жаңа мерзім қазіргіден кейін және берілген күннен бастап 30 күннен аспауы керек.",
        "Новый срок должен быть позже текущего и не дальше 30 дней от выдачи.",
        "The new end must be after the current one and at most 30 days after issue.",
    ],
    ErrRules => [
        "Ереже параметрлері дұрыс емес.",
        "Параметры правил некорректны.",
        "The rules' parameters are not valid.",
    ],
    ErrConflict => [
        "Деректер жаңа ғана өзгерді. Бетті жаңартып, қайталаңыз.",
        "Данные только что изменились. Обновите страницу и повторите.",
        "The data has just changed. Reload the page and try again.",
    ],
    ErrUnavailable => [
        "Қызмет уақытша қолжетімсіз. Біраздан кейін қайталаңыз.",
        "Сервис временно недоступен. Повторите чуть позже.",
        "The service is briefly unavailable. Please try again in a moment.",
    ],
    ErrInternal => [
        "Бізде қате кетті. Ол тіркелді, біз оны түзетеміз.",
        "У нас произошла ошибка. Она записана, мы её исправим.",
        "Something went wrong on our side. It has been logged and we will fix it.",
    ],
    ErrNetwork => [
        "Серверге қосылу мүмкін болмады. Интернетті тексеріңіз.",
        "Не удалось связаться с сервером. Проверьте интернет.",
        "Could not reach the server. Check your connection.",
    ],
    ErrQueryTooLong => [
        "Іздеу мәтіні тым ұзын (80 таңбадан аспауы керек).",
        "Слишком длинный запрос (не более 80 символов).",
        "The search text is too long (80 characters at most).",
    ],
    ErrUnknownDistrict => ["Мұндай аудан жоқ.", "Такого района нет.", "There is no such district."],
    ErrUnknownLanguage => ["Мұндай топ тілі жоқ.", "Такого языка группы нет.", "There is no such group language."],
    ErrBadPage => ["Бет нөмірі дұрыс емес.", "Неверный номер страницы.", "That page number is not valid."],
    ErrBadRequest => ["Сұрау дұрыс емес.", "Некорректный запрос.", "The request is not valid."],
    ErrIinLength => ["ЖСН 12 цифрдан тұруы керек.", "ИИН должен состоять из 12 цифр.", "An IIN has 12 digits."],
    ErrIinNotDigits => ["ЖСН тек цифрлардан тұрады.", "ИИН состоит только из цифр.", "An IIN contains digits only."],
    ErrIinCentury => [
        "ЖСН-нің 7-цифры 1-ден 6-ға дейін болуы керек.",
        "7-я цифра ИИН должна быть от 1 до 6.",
        "The 7th digit of an IIN must be 1 to 6.",
    ],
    ErrIinBirthDate => [
        "ЖСН-нің алғашқы 6 цифры нақты туған күн емес.",
        "Первые 6 цифр ИИН не образуют реальную дату рождения.",
        "The first 6 digits of the IIN are not a real birth date.",
    ],
    ErrIinChecksum => [
        "ЖСН-де қате бар (бақылау цифры сәйкес емес). Цифрларды тексеріңіз.",
        "В ИИН ошибка (не сходится контрольная цифра). Проверьте цифры.",
        "The IIN has a typo (its check digit does not match). Please check the digits.",
    ],
    ErrPhoneEmpty => ["Телефон нөмірін енгізіңіз.", "Введите номер телефона.", "Enter a phone number."],
    ErrPhoneBadCharacter => [
        "Нөмірде тек цифрлар, бос орын, жақша және сызықша болуы мүмкін.",
        "В номере допустимы только цифры, пробелы, скобки и дефисы.",
        "A phone number may contain only digits, spaces, brackets and dashes.",
    ],
    ErrPhoneLength => [
        "Нөмір толық емес: +7 7XX XXX XX XX түрінде енгізіңіз.",
        "Номер неполный: введите в виде +7 7XX XXX XX XX.",
        "The number is incomplete: enter it as +7 7XX XXX XX XX.",
    ],
    ErrPhoneNotKazakh => [
        "Қазақстандық нөмір енгізіңіз (+7 7XX…).",
        "Введите казахстанский номер (+7 7XX…).",
        "Enter a Kazakhstan number (+7 7XX…).",
    ],
    ErrPhoneNotMobile => [
        "Бұл ұялы нөмір емес: SMS тек ұялы телефонға келеді.",
        "Это не мобильный номер: SMS приходят только на мобильный.",
        "This is not a mobile number: SMS only reach mobile phones.",
    ],
    ErrTooMany => [
        "Тым көп әрекет. Біраз күтіп, қайталаңыз.",
        "Слишком много попыток. Подождите немного и повторите.",
        "Too many attempts. Wait a little and try again.",
    ],
    ErrCrossSite => [
        "Басқа сайттан келген сұрау қабылданбады. Кезек бетін ашып, сол жерден қайталаңыз.",
        "Запрос с другого сайта отклонён. Откройте страницу Кезек и повторите там.",
        "A request from another site was refused. Open the Kezek page and try again there.",
    ],
    ErrSignGarbage => [
        "Бұл ЭЦҚ қолтаңбасы емес. NCALayer арқылы қайта қол қойыңыз.",
        "Это не подпись ЭЦП. Подпишите ещё раз через NCALayer.",
        "This is not an EDS signature. Sign again with NCALayer.",
    ],
    ErrSignAttached => [
        "Қолтаңба деректерді өз ішінде алып келді. Тек бөлек (detached) қолтаңба қабылданады.",
        "Подпись содержит данные внутри себя. Принимается только отсоединённая подпись.",
        "The signature carries its data inside. Only a detached signature is accepted.",
    ],
    ErrSignTampered => [
        "Қолтаңба кіру сұрауына сәйкес келмейді. Бетті жаңартып, қайта қол қойыңыз.",
        "Подпись не соответствует запросу входа. Обновите страницу и подпишите снова.",
        "The signature does not match the sign-in request. Reload the page and sign again.",
    ],
    ErrSignUntrusted => [
        "Сертификатты сенімді куәландырушы орталық бермеген.",
        "Сертификат выдан не доверенным удостоверяющим центром.",
        "The certificate was not issued by a trusted certification authority.",
    ],
    ErrSignExpired => [
        "Сертификаттың мерзімі өтті. Жаңасын egov.kz немесе ХҚКО арқылы алыңыз.",
        "Срок сертификата истёк. Получите новый на egov.kz или в ЦОН.",
        "The certificate has expired. Get a new one on egov.kz or at a public service centre.",
    ],
    ErrSignNotYetValid => [
        "Сертификат әлі күшіне енген жоқ.",
        "Сертификат ещё не вступил в силу.",
        "The certificate is not valid yet.",
    ],
    ErrSignSigningKey => [
        "Бұл қол қою кілті (RSA/GOST «SIGN»). Кіру үшін аутентификация кілтін (AUTH) таңдаңыз.",
        "Это ключ для подписи (SIGN). Для входа выберите ключ аутентификации (AUTH).",
        "This is the signing key (SIGN). To sign in, choose the authentication key (AUTH).",
    ],
    ErrSignNoIin => [
        "Сертификатта ЖСН жоқ.",
        "В сертификате нет ИИН.",
        "The certificate has no IIN.",
    ],
    ErrSignUnsupported => [
        "Бұл сертификат түрін қазір тексеру мүмкін емес. Кейінірек қайталаңыз.",
        "Этот тип сертификата сейчас нельзя проверить. Повторите позже.",
        "This kind of certificate cannot be checked right now. Try again later.",
    ],
    ErrSignChallenge => [
        "Кіру сұрауының мерзімі өтті немесе ол қолданылған. Бетті жаңартып, қайта қол қойыңыз.",
        "Запрос входа устарел или уже использован. Обновите страницу и подпишите снова.",
        "The sign-in request has expired or was used already. Reload the page and sign again.",
    ],
    ErrSignRole => [
        "Бұл рөл сізге берілмеген. Басшы немесе білім басқармасы ретінде кіру үшін басқармаға хабарласыңыз.",
        "Эта роль вам не назначена. Чтобы войти как заведующий или управление образования, обратитесь в управление.",
        "You do not hold this role. To sign in as a head or for the education department, contact the department.",
    ],
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
    // The parent's journey.
    NavApply => ["Өтініш беру", "Подать заявление", "Apply"],
    NavMy => ["Менің балаларым", "Мои дети", "My children"],
    ApplyTitle => [
        "Балабақшаға кезекке тұру",
        "Встать в очередь в детский сад",
        "Apply for a kindergarten place",
    ],
    ApplyIntro => [
        "Баланың ЖСН-ын енгізіңіз: туған күні мен жас тобы одан анықталады.",
        "Введите ИИН ребёнка: дата рождения и возрастная группа определятся по нему.",
        "Enter the child's IIN: the birth date and age group are read from it.",
    ],
    ChildSection => ["Бала", "Ребёнок", "The child"],
    ChildIinLabel => ["Баланың ЖСН-ы", "ИИН ребёнка", "Child's IIN"],
    ChildNameLabel => ["Баланың аты-жөні", "ФИО ребёнка", "Child's full name"],
    BornLabel => ["Туған күні", "Дата рождения", "Born"],
    CohortLabel => ["Жас тобы", "Возрастная группа", "Age group"],
    PrioritySection => ["Кезек санаты", "Категория очереди", "Queue category"],
    PriorityGeneral => ["Жалпы кезек", "Общая очередь", "General queue"],
    PriorityPrimary => [
        "Бірінші кезектегі құқық (жетім балалар, мүгедектігі бар балалар, көпбалалы отбасылар, педагогтердің балалары…)",
        "Первоочередное право (сироты, дети с инвалидностью, многодетные семьи, дети педагогов…)",
        "Primary right (orphans, children with disabilities, large families, teachers' children…)",
    ],
    PriorityExtraordinary => [
        "Кезектен тыс құқық (әскери қызметшілер мен арнаулы мемлекеттік органдар қызметкерлерінің балалары)",
        "Внеочередное право (дети военнослужащих и сотрудников специальных государственных органов)",
        "Extraordinary right (children of military and special state service staff)",
    ],
    PriorityDocLabel => [
        "Құқық беретін құжат (түрі, нөмірі, күні)",
        "Документ, дающий право (вид, номер, дата)",
        "Document granting the right (kind, number, date)",
    ],
    PriorityDocHint => [
        "Тек жеңілдік санаты үшін. Құжаттың өзін балабақшаға келгенде көрсетесіз.",
        "Только для льготных категорий. Сам документ покажете при поступлении в сад.",
        "Only for a privileged category. You show the document itself when the child starts.",
    ],
    ContactsSection => ["Байланыс", "Контакты", "Contacts"],
    Phone1Label => ["Ұялы телефон", "Мобильный телефон", "Mobile phone"],
    Phone2Label => ["Екінші ұялы телефон", "Второй мобильный телефон", "Second mobile phone"],
    EmailLabel => ["Электрондық пошта", "Электронная почта", "E-mail"],
    ContactsHint => [
        "Орын босағанда SMS екі нөмірге де, хат поштаға келеді.",
        "Когда освободится место, SMS придёт на оба номера, письмо — на почту.",
        "When a seat frees, an SMS goes to both numbers and an e-mail to the address.",
    ],
    WishesSection => ["Қалауыңыз", "Пожелания", "Preferences"],
    DistrictWanted => ["Аудан", "Район", "District"],
    LanguageWanted => ["Топ тілі", "Язык группы", "Group language"],
    ChooseOption => ["Таңдаңыз…", "Выберите…", "Choose…"],
    ApplySubmit => ["Өтініш беру", "Подать заявление", "Submit the application"],
    TogetherWith => [
        "Бауырымен бірге беріледі:",
        "Подаётся вместе с братом или сестрой:",
        "Applied for together with a brother or sister:",
    ],
    FixBelow => [
        "Белгіленген жолдарды түзетіңіз.",
        "Исправьте отмеченные поля.",
        "Please correct the marked fields.",
    ],
    MyEmpty => [
        "Сізде әзірге өтініш жоқ.",
        "У вас пока нет заявлений.",
        "You have no applications yet.",
    ],
    ApplyForChild => ["Балаға өтініш беру", "Подать заявление на ребёнка", "Apply for a child"],
    AppliedNotice => [
        "Өтініш қабылданды. Нөмірі:",
        "Заявление принято. Его номер:",
        "Application accepted. Its number:",
    ],
    ApplySibling => [
        "Бауырына немесе егізіне бірге өтініш беру",
        "Подать вместе на брата, сестру или близнеца",
        "Apply together for a brother, sister or twin",
    ],
    StatusWaiting => ["Кезекте", "В очереди", "Waiting"],
    StatusInvited => ["Орын таңдауға шақырылды", "Приглашён выбрать место", "Invited to choose a seat"],
    StatusReferred => ["Жолдама берілді", "Выдано направление", "Referral issued"],
    StatusEnrolled => ["Балабақшаға қабылданды", "Зачислен в детский сад", "Enrolled"],
    StatusWithdrawn => ["Қайтарып алынды", "Отозвано", "Withdrawn"],
    AppNumberLabel => ["Өтініш нөмірі", "Номер заявления", "Application number"],
    PositionLabel => ["Кезектегі орны", "Место в очереди", "Place in the queue"],
    PositionHistory => [
        "Кезектегі орны неге өзгерді",
        "Почему менялось место в очереди",
        "Why the place in the queue changed",
    ],
    NoChangesYet => ["Әзірге өзгеріс жоқ.", "Пока изменений не было.", "No changes yet."],
    InvitedBanner => [
        "Орын босады! Балабақшаны мына мерзімге дейін таңдаңыз:",
        "Освободилось место! Выберите детский сад до",
        "A seat is free! Choose a kindergarten by",
    ],
    ChooseNow => ["Балабақшаны таңдау", "Выбрать детский сад", "Choose a kindergarten"],
    OpenReferral => ["Жолдаманы ашу", "Открыть направление", "Open the referral"],
    EditContacts => ["Байланысты өзгерту", "Изменить контакты", "Change the contacts"],
    Save => ["Сақтау", "Сохранить", "Save"],
    SavedNotice => ["Байланыс сақталды.", "Контакты сохранены.", "Contacts saved."],
    Withdraw => ["Өтінішті қайтарып алу", "Отозвать заявление", "Withdraw the application"],
    WithdrawConfirm => [
        "Өтініш кезектен шығады. Қайта берсеңіз, кезек басынан басталады.",
        "Заявление уйдёт из очереди. Если подадите снова, очередь начнётся заново.",
        "The application leaves the queue. If you apply again, you start at the back.",
    ],
    WithdrawYes => ["Иә, қайтарып алу", "Да, отозвать", "Yes, withdraw"],
    Refresh => ["Жаңарту", "Обновить", "Refresh"],
    LiveNote => [
        "Орны өзгергенде бет өздігінен жаңарады.",
        "Страница обновляется сама, когда место меняется.",
        "This page updates itself when the place changes.",
    ],
    ChooseTitle => ["Балабақшаны таңдаңыз", "Выберите детский сад", "Choose a kindergarten"],
    ChooseIntro => [
        "Бұл балабақшаларда дәл қазір бос орын бар. Біреуін таңдап, растаңыз: жолдама бірден беріледі.",
        "В этих детских садах есть свободное место прямо сейчас. Выберите один и подтвердите: направление выдаётся сразу.",
        "These kindergartens have a free seat right now. Pick one and confirm: the referral is issued at once.",
    ],
    ChooseBy => ["Таңдау мерзімі:", "Выбрать нужно до", "Choose by"],
    ConfirmChoice => ["Таңдауды растау", "Подтвердить выбор", "Confirm the choice"],
    NoInvitation => [
        "Бұл өтініште ашық шақыру жоқ.",
        "У этого заявления нет открытого приглашения.",
        "This application has no open invitation.",
    ],
    NoSeatsNow => [
        "Дәл қазір бос орын жоқ. Кейінірек қайталаңыз.",
        "Прямо сейчас свободных мест нет. Попробуйте позже.",
        "No free seats right now. Try again later.",
    ],
    BackToMy => ["Менің балаларым", "Мои дети", "My children"],
    ReferralTitle => ["Балабақшаға жолдама", "Направление в детский сад", "Referral to a kindergarten"],
    ReferralCode => ["Жолдама коды", "Код направления", "Referral code"],
    ChildLabel => ["Бала", "Ребёнок", "Child"],
    GroupLabel => ["Топ", "Группа", "Group"],
    IssuedLabel => ["Берілген күні", "Выдано", "Issued"],
    ValidUntilLabel => ["Жарамды мерзімі", "Действует до", "Valid until"],
    ReferralHowTo => [
        "Осы жолдаманы және баланың құжаттарын балабақшаға мерзімі біткенге дейін апарыңыз. Меңгеруші QR-кодты тексереді.",
        "Принесите это направление и документы ребёнка в детский сад до окончания срока. Заведующий проверит QR-код.",
        "Bring this referral and the child's documents to the kindergarten before it expires. The head checks the QR code.",
    ],
    QrLabel => [
        "Жолдаманың қол қойылған коды (QR)",
        "Подписанный код направления (QR)",
        "The referral's signed code (QR)",
    ],
    Print => ["Басып шығару", "Распечатать", "Print"],
    Decline => ["Жолдамадан бас тарту", "Отказаться от направления", "Decline the referral"],
    DeclineConfirm => [
        "Орын басқа балаға беріледі, ал сіздің балаңыз кезектегі орнын сақтайды.",
        "Место перейдёт другому ребёнку, а ваш ребёнок сохранит место в очереди.",
        "The seat goes to another child; your child keeps its place in the queue.",
    ],
    DeclineYes => ["Иә, бас тарту", "Да, отказаться", "Yes, decline"],
    RefActive => ["Жарамды", "Действует", "Valid"],
    RefEnrolled => ["Бала қабылданды", "Ребёнок зачислен", "Child enrolled"],
    RefDeclined => ["Бас тартылды", "Отказ", "Declined"],
    RefExpired => ["Мерзімі өтті", "Срок истёк", "Expired"],
    // The live map.
    NavMap => ["Карта", "Карта", "Map"],
    MapTitle => [
        "Бос орындар картасы",
        "Карта свободных мест",
        "Map of free seats",
    ],
    MapIntro => [
        "Бірыңғай кезектегі балабақшалар: жасыл белгіде бос орын бар, сұр белгіде жоқ. Карта орын босағанда немесе алынғанда өзі жаңарады.",
        "Детские сады единой очереди: на зелёной метке есть свободные места, на серой нет. Карта обновляется сама, когда место освобождается или занимается.",
        "The kindergartens of the unified queue: a green marker has free seats, a grey one has none. The map updates itself as seats free up or are taken.",
    ],
    MapRegion => ["Балабақшалар картасы", "Карта детских садов", "Map of kindergartens"],
    AnyAgeGroup => ["Кез келген жас тобы", "Любая возрастная группа", "Any age group"],
    MapListHeading => [
        "Бос орны бар балабақшалар",
        "Детские сады со свободными местами",
        "Kindergartens with free seats",
    ],
    MapNoSeats => [
        "Қазір бұл сүзгі бойынша бос орын жоқ.",
        "Сейчас по этому фильтру свободных мест нет.",
        "No free seats for this filter right now.",
    ],
    AboutKindergarten => ["Балабақша туралы", "О детском саде", "About the kindergarten"],
    ChooseThis => ["Осы балабақшаны таңдау", "Выбрать этот детский сад", "Choose this kindergarten"],
    MapLive => [
        "Тікелей: орындар өзгергенде тізім мен карта бірден жаңарады.",
        "В реальном времени: список и карта обновляются сразу, как меняются места.",
        "Live: the list and the map change as soon as seats do.",
    ],
    MapUnavailable => [
        "Карта жүктелмеді; төмендегі тізімді пайдаланыңыз.",
        "Карта не загрузилась; воспользуйтесь списком ниже.",
        "The map did not load; use the list below.",
    ],
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
