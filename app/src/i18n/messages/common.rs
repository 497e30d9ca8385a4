//! The frame of every page, the city summary, the directory and a kindergarten's page.

/// Adds these messages to those gathered so far and passes them on (see `super`).
macro_rules! common_messages {
    ($next:ident $(, $rest:ident)* ; $($gathered:tt)*) => {
        $next! { $($rest),* ; $($gathered)*
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

        }
    };
}
