//! Every refusal and fault a person can meet, with what to do about it.

/// Adds these messages to those gathered so far and passes them on (see `super`).
macro_rules! errors_messages {
    ($next:ident $(, $rest:ident)* ; $($gathered:tt)*) => {
        $next! { $($rest),* ; $($gathered)*
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
        }
    };
}
