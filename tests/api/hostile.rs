//! Hostile documents, uploaded over HTTP: a PDF form that draws itself, a nested-Flate
//! decompression bomb, HTML nested 200,000 deep, binary bytes named `.md`, a truncated
//! PDF, control characters in a page, a document of more passages than the limit. Each fails alone (or loads), and after
//! each the server is alive and still answers searches. The files are built here, not
//! shipped.

use std::sync::{Arc, LazyLock};

use lopdf::{Document, Object, Stream, dictionary};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, seed_and_sign_in, sign_in, spawn_app_with};

/// `doc` as a one-page PDF whose page draws `content` with `resources`.
fn pdf_with(doc: &mut Document, content: Stream, resources: lopdf::Dictionary) -> Vec<u8> {
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("pdf written");
    bytes
}

/// A form XObject whose own resources name itself, drawn by the page: a naive extractor
/// recurses without end.
pub fn self_drawing_form() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let form_id = doc.new_object_id();
    let resources = dictionary! { "XObject" => dictionary! { "X0" => form_id } };
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
            "Resources" => resources.clone(),
        },
        b"/X0 Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    pdf_with(
        &mut doc,
        Stream::new(dictionary! {}, b"/X0 Do".to_vec()),
        resources,
    )
}

fn deflate(data: impl Fn(&mut dyn std::io::Write)) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    data(&mut encoder);
    encoder.finish().expect("deflated")
}

/// A page whose content is 1 GiB of zeros behind two Flate filters: a few kilobytes.
fn nested_flate_bomb() -> Vec<u8> {
    let zeros = vec![0u8; 1 << 20];
    let once = deflate(|w| {
        for _ in 0..1024 {
            w.write_all(&zeros).expect("written");
        }
    });
    let twice = deflate(|w| w.write_all(&once).expect("written"));
    let mut doc = Document::with_version("1.5");
    let content = Stream::new(
        dictionary! { "Filter" => vec!["FlateDecode".into(), "FlateDecode".into()] },
        twice,
    );
    pdf_with(&mut doc, content, dictionary! {})
}

fn deep_html() -> Vec<u8> {
    let depth = 200_000;
    let mut html = String::from("<html><head><title>Deep</title></head><body>");
    html.push_str(&"<span>".repeat(depth));
    html.push_str("Deeply nested text about the quarterly badge renewal.");
    html.push_str(&"</span>".repeat(depth));
    html.push_str("</body></html>");
    html.into_bytes()
}

fn truncated_pdf() -> Vec<u8> {
    let whole = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kb/vpn-guide.pdf"
    ))
    .expect("fixture");
    whole[..whole.len() / 2].to_vec()
}

/// Name, bytes, and what the upload must answer: 201, or 422 with this limit (`None`:
/// unreadable without hitting one).
type Hostile = (&'static str, Vec<u8>, Result<(), Option<&'static str>>);

static HOSTILE: LazyLock<Vec<Hostile>> = LazyLock::new(|| {
    vec![
        (
            "self-drawing-form.pdf",
            self_drawing_form(),
            Err(Some("stack")),
        ),
        (
            "nested-flate-bomb.pdf",
            nested_flate_bomb(),
            Err(Some("inflated")),
        ),
        ("deep.html", deep_html(), Ok(())),
        (
            "binary.md",
            (0..=255u8).cycle().take(4096).collect(),
            Err(None),
        ),
        ("truncated.pdf", truncated_pdf(), Err(None)),
        (
            "controls.md",
            "# Zebra\u{202e} crossings \u{1b}[31m\n\nZebra crossings are repainted\u{0} every \u{c}spring.\n"
                .as_bytes()
                .to_vec(),
            Ok(()),
        ),
    ]
});

/// The fixture page every test here loads first ("Laptop care").
fn laptop_page() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kb/laptop.md"
    ))
    .expect("fixture")
}

/// The server is up and a search still finds the page loaded before the attack.
async fn still_serves(app: &TestApp, token: &str, after: &str) {
    assert_eq!(
        app.get_health().await.status().as_u16(),
        200,
        "health after {after}"
    );
    let found = app
        .get_json(token, "/api/v1/search?q=lost+laptop&k=3")
        .await;
    assert_eq!(
        found["pages"][0]["title"], "Laptop care",
        "search after {after}: {found}"
    );
}

async fn hostile_uploads_fail_alone(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}, Arc::new(|_| {})).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let laptop = laptop_page();
    assert_eq!(
        app.upload_document(&admin, "laptop.md", laptop, None)
            .await
            .status()
            .as_u16(),
        201
    );

    for (name, bytes, expected) in HOSTILE.iter() {
        let response = app.upload_document(&admin, name, bytes.clone(), None).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json body");
        match expected {
            Ok(()) => assert_eq!(status, 201, "{name}: {body}"),
            Err(limit) => {
                assert_eq!(status, 422, "{name}: {body}");
                assert_eq!(body["code"], "document_unparseable", "{name}: {body}");
                assert_eq!(body["limit"].as_str(), *limit, "{name}: {body}");
                assert!(
                    body["detail"].as_str().is_some_and(|d| d.starts_with(name)),
                    "{name}: {body}"
                );
            }
        }
        still_serves(&app, &agent, name).await;
    }
    // The deep page was read to its innermost text.
    let found = app
        .get_json(&agent, "/api/v1/search?q=quarterly+badge+renewal&k=1")
        .await;
    assert_eq!(found["pages"][0]["title"], "Deep", "{found}");
    // Control characters became spaces (a NUL cannot be stored in a PostgreSQL text
    // column), and the heading lost its bidirectional override.
    let found = app
        .get_json(&agent, "/api/v1/search?q=zebra+crossings+repainted&k=1")
        .await;
    let page = &found["pages"][0];
    assert_eq!(page["source"], "controls.md", "{found}");
    assert_eq!(page["headings"], json!(["Zebra crossings [31m"]), "{found}");
    let snippet = page["snippet"].as_str().unwrap_or_default();
    let words: Vec<&str> = snippet.split_whitespace().collect();
    assert!(
        words.join(" ").contains("repainted every spring"),
        "{found}"
    );
}

crate::on_both_backends!(hostile_uploads_fail_alone);

/// A parser answer larger than the output cap is refused, naming the limit.
#[tokio::test]
async fn a_document_over_the_output_cap_fails_naming_it() {
    let app = spawn_app_with(
        Backend::Sqlite,
        |s| s.knowledge.parser.output_bytes = 200,
        Arc::new(|_| {}),
    )
    .await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let laptop = laptop_page();
    let response = app.upload_document(&admin, "laptop.md", laptop, None).await;
    let body = crate::helpers::assert_problem(response, 422, "document_unparseable").await;
    assert_eq!(body["limit"], "output", "{body}");
}

/// A parser that runs out of its address space fails the document, naming memory.
#[tokio::test]
async fn a_parser_out_of_memory_fails_naming_it() {
    // Below what the child already maps: its first sizeable allocation fails.
    let app = spawn_app_with(
        Backend::Sqlite,
        |s| s.knowledge.parser.memory_bytes = 16 << 20,
        Arc::new(|_| {}),
    )
    .await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let big = "Laptops are returned to the service desk.\n\n".repeat(50_000);
    let response = app
        .upload_document(&admin, "big.md", big.into_bytes(), None)
        .await;
    let body = crate::helpers::assert_problem(response, 422, "document_unparseable").await;
    assert_eq!(body["limit"], "memory", "{body}");
    assert_eq!(app.get_health().await.status().as_u16(), 200);
}

/// One multipart file part whose file name is written byte for byte, as a hostile client
/// would send it (reqwest would escape it).
async fn upload_named(app: &TestApp, token: &str, file_name: &[u8]) -> reqwest::Response {
    let boundary = "helpdesk-hostile-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
            .into_bytes();
    body.extend_from_slice(file_name);
    body.extend_from_slice(
        format!(
            "\"\r\nContent-Type: text/markdown\r\n\r\n# Bell\n\nRing the bell twice.\n\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    app.client
        .post(app.url("/api/v1/documents"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request sent")
}

/// A file's name becomes the source shown in citations and listings and written to logs:
/// a control character, a bidirectional override or a name past 255 characters is refused,
/// naming the field, and nothing is stored; a path keeps only its last segment.
#[tokio::test]
async fn file_names_are_checked() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}, Arc::new(|_| {})).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let before = app.get_json(&admin, "/api/v1/documents").await["items"]
        .as_array()
        .map(Vec::len);
    // A raw ASCII control character does not get past the multipart parser.
    let response = upload_named(&app, &admin, b"bell\x1b[2J.md").await;
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["code"], "malformed_body", "{body}");
    let long = format!("{}.md", "a".repeat(300));
    for (name, code) in [
        ("bell\u{85}.md", "control_characters"),
        ("invoice\u{202e}dm.pdf", "control_characters"),
        (long.as_str(), "too_long"),
    ] {
        let response = upload_named(&app, &admin, name.as_bytes()).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json body");
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["code"], "validation_failed", "{body}");
        assert_eq!(body["errors"][0]["field"], "file", "{body}");
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    let after = app.get_json(&admin, "/api/v1/documents").await;
    assert_eq!(after["items"].as_array().map(Vec::len), before, "{after}");

    let response = upload_named(&app, &admin, b"../../etc/bell.md").await;
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["documents"][0]["source"], "bell.md", "{body}");
}

/// A document that would make more passages than `knowledge.max_document_chunks` is
/// refused before anything is embedded (each passage would cost both cores a share of a
/// second), and a page already stored under that name stays as it was.
#[tokio::test]
async fn a_document_of_too_many_passages_is_refused_before_embedding() {
    let app = spawn_app_with(
        Backend::Sqlite,
        |s| s.knowledge.max_document_chunks = 3,
        Arc::new(|_| {}),
    )
    .await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let laptop = laptop_page();
    let response = app.upload_document(&admin, "guide.md", laptop, None).await;
    assert_eq!(response.status().as_u16(), 201);
    let before = app.get_json(&admin, "/api/v1/documents").await;

    let sections: String = (0..40)
        .map(|i| {
            format!(
                "## Section {i}\n\n{}\n\n",
                "Badges renew every quarter. ".repeat(40)
            )
        })
        .collect();
    let response = app
        .upload_document(&admin, "guide.md", sections.into_bytes(), None)
        .await;
    let body = crate::helpers::assert_problem(response, 413, "document_too_large").await;
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("guide.md makes") && d.contains("limit is 3")),
        "{body}"
    );
    let after = app.get_json(&admin, "/api/v1/documents").await;
    assert_eq!(after, before, "the stored page is untouched");
    still_serves(&app, &admin, "a document of too many passages").await;
}

/// Control characters in a query string or a setting are refused on both databases alike:
/// PostgreSQL cannot take a NUL in a text or JSON value (these answered 500 there), while
/// SQLite matched nothing or stored it.
async fn control_characters_are_refused_alike(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}, Arc::new(|_| {})).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    for (path, field) in [
        ("/api/v1/tickets?queue=a%00b", "queue"),
        ("/api/v1/audit?actor=a%00", "actor"),
        ("/api/v1/search?q=lost%1B%5B2Jlaptop", "q"),
    ] {
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("sent");
        let body = crate::helpers::assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{path}: {body}");
        assert_eq!(
            body["errors"][0]["code"], "control_characters",
            "{path}: {body}"
        );
    }
    let response = app
        .client
        .patch(app.url("/api/v1/tenant/settings"))
        .bearer_auth(&admin)
        .json(&json!({"theme": {"display_name": "Acme\u{0}"}}))
        .send()
        .await
        .expect("sent");
    let body = crate::helpers::assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "theme.display_name", "{body}");
}

crate::on_both_backends!(control_characters_are_refused_alike);
