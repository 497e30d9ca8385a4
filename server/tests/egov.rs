//! Sign-in with eGov mobile over HTTP: the test plays the page (a client with cookies) and the
//! phone (a client without), following the protocol from the QR code's text; the signature is
//! made with a certificate of the dev CA through the dev signer, as the browser tests'
//! NCALayer does. Then every way to misuse it, each refused with a 4xx and nobody signed in.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::Value;

const PARENT: &str = "900101470014";

fn b64(d: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(d)
}

/// The `name=value` a response sets for `name`, if any.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (kv, _) = v.split_once(';')?;
            kv.strip_prefix(&format!("{name}=")).map(str::to_string)
        })
}

/// The page: asks for a code (its waiting cookie kept by the client).
async fn start_code(s: &Running, page: &reqwest::Client, role: &str) -> (u16, Value) {
    let res = page
        .post(format!("{}/auth/egov/start", s.base))
        .header("accept-language", "ru")
        .form(&[("role", role), ("next", "/my")])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The page looks where its sign-in stands: the answer and the session cookie it set.
async fn look(s: &Running, page: &reqwest::Client) -> (Value, Option<String>) {
    let res = page
        .post(format!("{}/auth/egov/wait", s.base))
        .header("accept-language", "ru")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let session = set_cookie(&res, "kezek_session").filter(|v| !v.is_empty());
    (res.json().await.unwrap(), session)
}

/// The phone: the address the QR code holds (`mobileSign:` and an HTTP address).
fn address_of(code: &Value) -> String {
    code["qr"]
        .as_str()
        .unwrap()
        .strip_prefix("mobileSign:")
        .expect("the QR code speaks the mobileSign: scheme")
        .to_string()
}

async fn phone_get(url: &str, bearer: Option<&str>, lang: &str) -> (u16, Value) {
    let mut req = client().get(url).header("accept-language", lang);
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn phone_put(url: &str, bearer: &str, body: &Value) -> (u16, Value) {
    let res = client()
        .put(url)
        .header("accept-language", "kk")
        // What an app's web view may send: no forgery (the token is the app's own).
        .header("origin", "null")
        .header("sec-fetch-site", "cross-site")
        .bearer_auth(bearer)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// What the dev CA signs for `iin` over `data_b64` with the `usage` key (`auth` or `sign`).
async fn dev_signed(s: &Running, iin: &str, usage: &str, data_b64: &str) -> String {
    let v: Value = client()
        .post(format!("{}/auth/dev/sign", s.base))
        .form(&[("iin", iin), ("usage", usage), ("data", data_b64)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["cms"].as_str().unwrap().to_string()
}

/// The document sent back with `cms` in place of its data, as the app does.
fn signed_back(docs: &Value, cms: &str) -> Value {
    let mut back = docs.clone();
    back["documentsToSign"][0]["document"]["file"]["data"] = Value::String(cms.into());
    back
}

/// A code taken as far as the document: (page, document address, token, documents).
async fn up_to_the_document(s: &Running, role: &str) -> (reqwest::Client, String, String, Value) {
    let page = client();
    let (status, code) = start_code(s, &page, role).await;
    assert_eq!(status, 200, "{code}");
    let (status, described) = phone_get(&address_of(&code), None, "ru").await;
    assert_eq!(status, 200, "{described}");
    let uri = described["document"]["uri"].as_str().unwrap().to_string();
    let token = described["document"]["auth_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, docs) = phone_get(&uri, Some(&token), "ru").await;
    assert_eq!(status, 200, "{docs}");
    (page, uri, token, docs)
}

fn data_of(docs: &Value) -> String {
    docs["documentsToSign"][0]["document"]["file"]["data"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_phone_signs_in_the_page_that_showed_the_code() {
    one_runtime(async {
        let s = start().await;
        let page = client();
        let (status, code) = start_code(&s, &page, "parent").await;
        assert_eq!(status, 200, "{code}");
        assert_eq!(code["state"], "waiting");
        assert_eq!(code["seconds_left"], 300);
        let html = code["html"].as_str().unwrap();
        assert!(
            html.contains("<svg") && html.contains("Открыть eGov mobile"),
            "{html}"
        );
        assert_eq!(code["message"], "Ждём подпись из eGov mobile.");
        let address = address_of(&code);
        assert!(
            address.starts_with(&format!("{}/egov/sign-in/", s.base)),
            "{address}"
        );
        // The app link opens eGov mobile with the same address.
        let link = code["link"].as_str().unwrap();
        let encoded = address.replace(':', "%3A").replace('/', "%2F");
        assert_eq!(
            link,
            format!(
                "https://mgovsign.page.link/?link={encoded}&isi=1476128386&ibi=kz.egov.mobile&apn=kz.mobile.mgov"
            )
        );
        // The page waits; until the app has looked, it can show the code again (after a reload).
        let (w, session) = look(&s, &page).await;
        assert_eq!((w["state"].as_str(), session), (Some("waiting"), None));
        assert_eq!(w["qr"], code["qr"]);

        // API 1, in the app's language.
        let (status, described) = phone_get(&address, None, "kk").await;
        assert_eq!(status, 200, "{described}");
        assert!(
            described["description"]
                .as_str()
                .unwrap()
                .starts_with("Кезекке кіру"),
            "{described}"
        );
        assert!(described["expiry_date"]
            .as_str()
            .unwrap()
            .ends_with("+05:00"));
        assert_eq!(
            described["organisation"]["nameRu"],
            "Управление образования города Алматы"
        );
        assert_eq!(described["document"]["auth_type"], "Token");
        let uri = described["document"]["uri"].as_str().unwrap().to_string();
        assert_eq!(uri, format!("{address}/document"));
        let token = described["document"]["auth_token"].as_str().unwrap();
        // The page now knows the app opened it, and shows no code any more.
        let (w, _) = look(&s, &page).await;
        assert_eq!(w["state"], "opened");
        assert_eq!(
            w["message"],
            "eGov mobile открыл запрос. Подтвердите вход в приложении."
        );
        assert!(w.get("qr").is_none(), "{w}");

        // API 2: one document, CMS_SIGN_ONLY, named in three languages, the challenge inside.
        let (status, docs) = phone_get(&uri, Some(token), "ru").await;
        assert_eq!(status, 200, "{docs}");
        assert_eq!(docs["signMethod"], "CMS_SIGN_ONLY");
        assert_eq!(docs["version"], 1);
        let list = docs["documentsToSign"].as_array().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (
                list[0]["nameKz"].as_str(),
                list[0]["nameRu"].as_str(),
                list[0]["nameEn"].as_str()
            ),
            (
                Some("Кезекке кіру"),
                Some("Вход в Кезек"),
                Some("Sign in to Kezek")
            )
        );
        assert_eq!(list[0]["document"]["file"]["mime"], "text/plain");
        let text = base64::engine::general_purpose::STANDARD
            .decode(data_of(&docs))
            .unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("Кезекке кіру / Вход в Кезек / Sign-in to Kezek\n"));
        assert_eq!(text.lines().nth(1).unwrap().len(), 64, "{text}");

        // Signed with the authentication key of a dev CA certificate, sent back with PUT.
        let cms = dev_signed(&s, PARENT, "auth", &data_of(&docs)).await;
        let (status, done) = phone_put(&uri, token, &signed_back(&docs, &cms)).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["message"], "Қолтаңба қабылданды. Браузерге оралыңыз.");

        // The page's next look signs it in, once; the session is the parent's.
        let (w, session) = look(&s, &page).await;
        assert_eq!(w["state"], "signed", "{w}");
        assert_eq!(w["next"], "/my");
        let session = session.expect("the session cookie");
        let actor = app::auth::sessions::actor(&s.db, s.engine.ctx().now, &session)
            .await
            .unwrap();
        assert_eq!(
            actor,
            Some(app::engine::Actor::Parent(
                app::domain::Iin::parse(PARENT).unwrap()
            ))
        );
        let (w, again) = look(&s, &page).await;
        assert_eq!((w["state"].as_str(), again), (Some("none"), None));
        // What the phone fetched and sent is spent.
        assert_eq!(phone_get(&address, None, "ru").await.0, 410);
        assert_eq!(
            phone_put(&uri, token, &signed_back(&docs, &cms)).await.0,
            410
        );
    })
}

#[test]
fn misuse_is_refused_and_signs_nobody_in() {
    one_runtime(async {
        let s = start().await;

        // Unknown and malformed addresses.
        let nowhere = format!("{}/egov/sign-in/{}", s.base, "ab".repeat(32));
        let (status, body) = phone_get(&nowhere, None, "ru").await;
        assert_eq!(status, 404);
        assert!(
            body["message"].as_str().unwrap().contains("Такого запроса"),
            "{body}"
        );
        assert_eq!(
            phone_get(&format!("{}/egov/sign-in/x'--", s.base), None, "ru")
                .await
                .0,
            404
        );

        // The QR code's address fetched twice: the second is refused (whoever it is).
        let page = client();
        let (_, code) = start_code(&s, &page, "parent").await;
        let (status, first) = phone_get(&address_of(&code), None, "ru").await;
        assert_eq!(status, 200);
        let (status, body) = phone_get(&address_of(&code), None, "kk").await;
        assert_eq!(status, 410);
        assert!(
            body["message"].as_str().unwrap().contains("қолданылып"),
            "{body}"
        );
        // The document: without the token, with another, then twice.
        let uri = first["document"]["uri"].as_str().unwrap();
        let token = first["document"]["auth_token"].as_str().unwrap();
        assert_eq!(phone_get(uri, None, "ru").await.0, 401);
        assert_eq!(phone_get(uri, Some(&"0".repeat(64)), "ru").await.0, 401);
        assert_eq!(phone_get(uri, Some(token), "ru").await.0, 200);
        assert_eq!(phone_get(uri, Some(token), "ru").await.0, 410);

        // A signature over another sign-in's challenge.
        let (page_a, uri_a, token_a, docs_a) = up_to_the_document(&s, "parent").await;
        let (_, _, _, docs_b) = up_to_the_document(&s, "parent").await;
        let cms_b = dev_signed(&s, PARENT, "auth", &data_of(&docs_b)).await;
        let (status, body) = phone_put(&uri_a, &token_a, &signed_back(&docs_a, &cms_b)).await;
        assert_eq!(status, 403, "{body}");
        let (w, session) = look(&s, &page_a).await;
        assert_eq!(
            (w["state"].as_str(), w["code"].as_str(), session),
            (Some("failed"), Some("tampered"), None)
        );
        // ... and that sign-in is over: its own good signature comes too late.
        let cms_a = dev_signed(&s, PARENT, "auth", &data_of(&docs_a)).await;
        assert_eq!(
            phone_put(&uri_a, &token_a, &signed_back(&docs_a, &cms_a))
                .await
                .0,
            410
        );

        // Not the document sent back: refused, and nothing spent (the right one then passes).
        let (page_c, uri_c, token_c, docs_c) = up_to_the_document(&s, "parent").await;
        let mut two = docs_c.clone();
        two["documentsToSign"] =
            serde_json::json!([docs_c["documentsToSign"][0], docs_c["documentsToSign"][0]]);
        assert_eq!(phone_put(&uri_c, &token_c, &two).await.0, 400);
        let res = client()
            .put(&uri_c)
            .bearer_auth(&token_c)
            .body("not json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);
        let cms_c = dev_signed(&s, PARENT, "auth", &data_of(&docs_c)).await;
        assert_eq!(
            phone_put(&uri_c, &token_c, &signed_back(&docs_c, &cms_c))
                .await
                .0,
            200
        );
        assert!(look(&s, &page_c).await.1.is_some());

        // The wrong certificate: the signing key, a CA nobody trusts; each said on the page.
        let (page_d, uri_d, token_d, docs_d) = up_to_the_document(&s, "parent").await;
        let cms = dev_signed(&s, PARENT, "sign", &data_of(&docs_d)).await;
        let (status, body) = phone_put(&uri_d, &token_d, &signed_back(&docs_d, &cms)).await;
        assert_eq!(status, 403);
        assert!(body["message"].as_str().unwrap().contains("AUTH"), "{body}");
        let (w, _) = look(&s, &page_d).await;
        assert_eq!(w["code"], "signingkey");
        assert!(
            w["message"]
                .as_str()
                .unwrap()
                .contains("ключ аутентификации"),
            "{w}"
        );
        let (page_e, uri_e, token_e, docs_e) = up_to_the_document(&s, "parent").await;
        {
            use app::auth::dev_ca::{DevCa, Usage};
            let now = s.engine.ctx().now / 1000;
            let stranger = DevCa::generate("Other CA")
                .unwrap()
                .issue(PARENT, "X", Usage::Auth, now - 60, now + 86_400)
                .unwrap();
            let text = base64::engine::general_purpose::STANDARD
                .decode(data_of(&docs_e))
                .unwrap();
            let cms = b64(&stranger.sign(&text, false).unwrap());
            assert_eq!(
                phone_put(&uri_e, &token_e, &signed_back(&docs_e, &cms))
                    .await
                    .0,
                403
            );
        }
        assert_eq!(look(&s, &page_e).await.0["code"], "untrusted");
        // A role the signer does not hold.
        let (page_f, uri_f, token_f, docs_f) = up_to_the_document(&s, "head").await;
        let cms = dev_signed(&s, PARENT, "auth", &data_of(&docs_f)).await;
        assert_eq!(
            phone_put(&uri_f, &token_f, &signed_back(&docs_f, &cms))
                .await
                .0,
            403
        );
        assert_eq!(look(&s, &page_f).await.0["code"], "role");

        // A signature that arrives after the five minutes.
        let (page_g, uri_g, token_g, docs_g) = up_to_the_document(&s, "parent").await;
        let cms = dev_signed(&s, PARENT, "auth", &data_of(&docs_g)).await;
        s.clock.advance(5 * 60_000 + 1);
        let (status, body) = phone_put(&uri_g, &token_g, &signed_back(&docs_g, &cms)).await;
        assert_eq!(status, 410);
        assert!(
            body["message"].as_str().unwrap().contains("5 минут"),
            "{body}"
        );
        assert_eq!(look(&s, &page_g).await.0["state"], "expired");

        // Cancelled on the page: the address is refused as such.
        let page_h = client();
        let (_, code) = start_code(&s, &page_h, "parent").await;
        let res = page_h
            .post(format!("{}/auth/egov/cancel", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let (status, body) = phone_get(&address_of(&code), None, "en").await;
        assert_eq!(status, 410);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("Sign-in cancelled"),
            "{body}"
        );
        // A new code ends the page's last one.
        let (_, first) = start_code(&s, &page_h, "parent").await;
        let (_, _) = start_code(&s, &page_h, "parent").await;
        assert_eq!(phone_get(&address_of(&first), None, "en").await.0, 410);

        // Nobody was signed in by any of it but the one good signature (page C).
        let pool = sqlx::SqlitePool::connect(s.db.url()).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 1);
        // A page of another site cannot ask for a code with the visitor's cookies.
        let res = client()
            .post(format!("{}/auth/egov/start", s.base))
            .header("sec-fetch-site", "cross-site")
            .form(&[("role", "parent")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
    })
}

#[test]
fn a_flood_of_new_codes_from_one_address_is_held_back_but_waiting_is_not() {
    one_runtime(async {
        let s = start().await;
        let page = client();
        let mut statuses = vec![];
        for _ in 0..22 {
            statuses.push(start_code(&s, &page, "parent").await.0);
        }
        assert_eq!(&statuses[..20], &[200; 20]);
        assert_eq!(&statuses[20..], &[429, 429]);
        // The page still looks every second while it waits.
        for _ in 0..30 {
            assert_eq!(look(&s, &page).await.0["state"], "waiting");
        }
    })
}
