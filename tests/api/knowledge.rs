//! The knowledge base with real weights: loaders, chunking limits, idempotent loads,
//! atomic replacement, pruning, reconciliation after an interrupted load, tenant
//! isolation, and the HTTP surface.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use helpdesk::knowledge::{Audience, LoadReport, Visibility};
use helpdesk::tenancy::TenantId;
use helpdesk::vector::SearchMode;
use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _};
use serde_json::Value;

use crate::helpers::{Backend, TestApp, assert_problem, sign_in, spawn_app, spawn_app_with};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb")
}

/// A copy of the fixture folder the test may change.
fn scratch_kb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

async fn tenants(app: &TestApp) -> (TenantId, TenantId) {
    let (manifest, _) = helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    (manifest.tenants[0].id, manifest.tenants[1].id)
}

async fn load(app: &TestApp, tenant: TenantId, dir: &Path, prune: bool) -> LoadReport {
    app.state
        .knowledge
        .load_dir(tenant, dir, prune, Visibility::Public, &|_| {})
        .await
        .expect("load")
}

/// The admin connection: it sees every tenant's rows.
async fn admin(app: &TestApp) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(&app.database.admin_url)
        .await
        .expect("admin")
}

async fn chunk_rows(app: &TestApp) -> Vec<helpdesk::entity::chunk::Model> {
    helpdesk::entity::chunk::Entity::find()
        .all(&admin(app).await)
        .await
        .expect("chunks")
}

/// Each document's page-summary vector, by document id.
async fn summaries(app: &TestApp) -> std::collections::HashMap<uuid::Uuid, Option<Vec<u8>>> {
    helpdesk::entity::knowledge_doc::Entity::find()
        .all(&admin(app).await)
        .await
        .expect("docs")
        .into_iter()
        .map(|d| (d.id, d.summary_embedding))
        .collect()
}

async fn loaders_chunks_and_idempotent_loads(backend: Backend) {
    let app = spawn_app(backend).await;
    let (acme, _) = tenants(&app).await;
    let kb = scratch_kb();

    let first = load(&app, acme, kb.path(), false).await;
    assert_eq!(
        (first.files, first.added, first.failed),
        (4, 3, 1),
        "{first:?}"
    );
    assert_eq!(first.vectors as u64, first.chunks);
    let rows = chunk_rows(&app).await;
    assert_eq!(rows.len() as u64, first.chunks);
    for row in &rows {
        assert!(
            row.token_count as usize <= 256,
            "a chunk of {} pieces",
            row.token_count
        );
        assert_eq!(row.dim, 384);
        // One vector per sentence, in the splitter's order.
        let sentences = helpdesk::knowledge::sentences(&row.text).len();
        assert_eq!(
            row.sentence_embeddings.as_ref().map(Vec::len),
            Some(sentences * 384 * 4),
            "sentence vectors of chunk {}",
            row.id
        );
        assert!(
            !row.text.contains("{%"),
            "a shortcode was indexed: {}",
            row.text
        );
        assert!(row.char_end > row.char_start);
    }
    let docs = app.state.knowledge.list_docs(acme).await.expect("docs");
    let titles: Vec<&str> = docs.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, vec!["Laptop care", "Printing", "Vpn guide"]);
    assert!(docs.iter().all(|d| d.chunks >= 1));

    // PDF pages are kept for citations.
    let results = app
        .state
        .knowledge
        .search(
            acme,
            "the vpn tunnel keeps dropping",
            3,
            SearchMode::Hybrid,
            Audience::Staff,
        )
        .await
        .expect("search");
    assert_eq!(results.pages[0].source, "vpn-guide.pdf");
    assert_eq!(results.pages[0].page, Some(2));

    // A second load of the same folder writes nothing.
    let again = load(&app, acme, kb.path(), false).await;
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(again.chunks_written, 0);
    assert_eq!((again.chunks, again.vectors), (first.chunks, first.vectors));

    // A page an older reader cut into passages is read again, though its bytes are the
    // same; the other pages stay as they are.
    let stale_doc = |rows: &[helpdesk::entity::chunk::Model],
                     docs: &[helpdesk::entity::knowledge_doc::Model]| {
        let id = docs
            .iter()
            .find(|d| d.source_path == "printing.html")
            .expect("html")
            .id;
        rows.iter()
            .filter(|r| r.doc_id == id)
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    let all_docs = || async {
        helpdesk::entity::knowledge_doc::Entity::find()
            .all(&admin(&app).await)
            .await
            .expect("docs")
    };
    let (rows_before, docs_before) = (chunk_rows(&app).await, all_docs().await);
    helpdesk::entity::knowledge_doc::Entity::update_many()
        .col_expr(
            helpdesk::entity::knowledge_doc::Column::ReaderVersion,
            sea_orm::sea_query::Expr::value(helpdesk::knowledge::READER_VERSION - 1),
        )
        .filter(helpdesk::entity::knowledge_doc::Column::SourcePath.eq("printing.html"))
        .exec(&admin(&app).await)
        .await
        .expect("mark as read by an older reader");
    let reread = load(&app, acme, kb.path(), false).await;
    assert_eq!((reread.added, reread.updated, reread.unchanged), (0, 1, 2));
    let (rows_after, docs_after) = (chunk_rows(&app).await, all_docs().await);
    let (was, now) = (
        stale_doc(&rows_before, &docs_before),
        stale_doc(&rows_after, &docs_after),
    );
    assert_eq!(was.len(), now.len());
    assert!(
        was.iter().all(|id| !now.contains(id)),
        "its passages were not replaced"
    );
    assert_eq!(rows_before.len(), rows_after.len());
    assert!(
        docs_after
            .iter()
            .all(|d| d.reader_version == helpdesk::knowledge::READER_VERSION)
    );
    let settled = load(&app, acme, kb.path(), false).await;
    assert_eq!((settled.updated, settled.unchanged), (0, 3));

    // Every page has a summary vector of the embedder's width.
    let summaries_before = summaries(&app).await;
    assert_eq!(summaries_before.len(), 3);
    for summary in summaries_before.values() {
        assert_eq!(summary.as_ref().map(Vec::len), Some(384 * 4));
    }

    // Search scores the retrieved passages' sentences, and answerability reads the best.
    assert!(
        !results.pages[0].sentence_scores.is_empty()
            && results.pages[0].sentence_scores[0].len()
                == helpdesk::knowledge::sentences(&results.pages[0].passages[0]).len(),
        "{:?}",
        results.pages[0].sentence_scores
    );
    assert!(results.signals.sentence > 0.3, "{:?}", results.signals);

    // The unaddressed word: the troubleshooting sentence speaks to every word of the first
    // question; leaving the pizza out of the second brings it closer.
    let mut left_out = Vec::new();
    for question in [
        "what do i do if the tunnel drops",
        "what do i do if the tunnel drops, and how much is a pizza",
    ] {
        let found = app
            .state
            .knowledge
            .search(acme, question, 3, SearchMode::Hybrid, Audience::Staff)
            .await
            .expect("search");
        assert_eq!(found.pages[0].source, "vpn-guide.pdf");
        let unaddressed = app.state.knowledge.unaddressed(acme, question, &found);
        left_out.push(unaddressed.await.expect("unaddressed"));
    }
    assert!(left_out[0] < 0.0 && left_out[1] > 0.05, "{left_out:?}");
    // A long message is not ablated.
    let long = "the tunnel drops again and again. ".repeat(10);
    let found = app
        .state
        .knowledge
        .search(acme, &long, 3, SearchMode::Hybrid, Audience::Staff)
        .await
        .expect("search");
    let unaddressed = app.state.knowledge.unaddressed(acme, &long, &found);
    assert_eq!(unaddressed.await.expect("unaddressed"), 0.0);

    // `reindex` restores a page's summary (and its chunks' sentence vectors) from its
    // chunk rows.
    let laptop = docs
        .iter()
        .find(|d| d.source == "laptop.md")
        .expect("md")
        .id;
    helpdesk::entity::knowledge_doc::Entity::update_many()
        .col_expr(
            helpdesk::entity::knowledge_doc::Column::SummaryEmbedding,
            sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None),
        )
        .filter(helpdesk::entity::knowledge_doc::Column::Id.eq(laptop))
        .exec(&admin(&app).await)
        .await
        .expect("clear summary");
    helpdesk::entity::chunk::Entity::update_many()
        .col_expr(
            helpdesk::entity::chunk::Column::SentenceEmbeddings,
            sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None),
        )
        .filter(helpdesk::entity::chunk::Column::DocId.eq(laptop))
        .exec(&admin(&app).await)
        .await
        .expect("clear sentence vectors");
    app.state.knowledge.reindex(acme).await.expect("reindex");
    assert!(
        chunk_rows(&app)
            .await
            .iter()
            .all(|row| row.sentence_embeddings.is_some()),
        "reindex restores sentence vectors"
    );
    let restored = summaries(&app).await[&laptop]
        .clone()
        .expect("summary back");
    let as_floats = |bytes: &[u8]| -> Vec<f32> {
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    };
    let (was, now) = (
        as_floats(summaries_before[&laptop].as_deref().expect("summary")),
        as_floats(&restored),
    );
    let similarity: f32 = was.iter().zip(&now).map(|(a, b)| a * b).sum();
    assert!(
        similarity > 0.999,
        "reindexed summary differs: {similarity}"
    );
    let summaries_before = summaries(&app).await;

    // A modified file replaces exactly its own chunks, and its summary.
    let before = chunk_rows(&app).await;
    let html_doc = docs
        .iter()
        .find(|d| d.source == "printing.html")
        .expect("html")
        .id;
    std::fs::write(
        kb.path().join("printing.html"),
        "<html><body><main><h1>Printing</h1><p>Printers moved to floor 5.</p></main></body></html>",
    )
    .expect("edit");
    let changed = load(&app, acme, kb.path(), false).await;
    assert_eq!((changed.updated, changed.unchanged), (1, 2));
    let after = chunk_rows(&app).await;
    let kept = |rows: &[helpdesk::entity::chunk::Model]| -> Vec<uuid::Uuid> {
        let mut ids: Vec<_> = rows
            .iter()
            .filter(|r| r.doc_id != html_doc)
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        kept(&before),
        kept(&after),
        "other documents' chunks are untouched"
    );
    let html_now: Vec<_> = after.iter().filter(|r| r.doc_id == html_doc).collect();
    assert_eq!(html_now.len(), 1);
    assert!(html_now[0].text.contains("floor 5"));
    let summaries_after = summaries(&app).await;
    for (id, summary) in &summaries_after {
        assert_eq!(
            summary == &summaries_before[id],
            *id != html_doc,
            "only the edited page's summary changes"
        );
    }
    assert_eq!(
        changed.vectors as u64, changed.chunks,
        "no old vectors left"
    );

    // Pruning deletes documents whose files are gone, vectors included.
    std::fs::remove_file(kb.path().join("laptop.md")).expect("remove");
    let pruned = load(&app, acme, kb.path(), true).await;
    assert_eq!(pruned.pruned, 1);
    assert_eq!(pruned.docs, 2);
    assert_eq!(pruned.vectors as u64, pruned.chunks);
}

async fn an_interrupted_load_ends_consistent(backend: Backend) {
    let app = spawn_app(backend).await;
    let (acme, _) = tenants(&app).await;
    let kb = scratch_kb();
    let first = load(&app, acme, kb.path(), false).await;
    // A load killed after writing vectors but before its transaction committed leaves
    // vectors without rows: simulate it by removing one document's rows behind the
    // service's back.
    let admin = admin(&app).await;
    let doc = app.state.knowledge.list_docs(acme).await.expect("docs")[0].id;
    helpdesk::entity::chunk::Entity::delete_many()
        .filter(helpdesk::entity::chunk::Column::DocId.eq(doc))
        .exec(&admin)
        .await
        .expect("delete rows");
    helpdesk::entity::knowledge_doc::Entity::delete_many()
        .filter(helpdesk::entity::knowledge_doc::Column::Id.eq(doc))
        .exec(&admin)
        .await
        .expect("delete doc");
    // Search never shows the orphans.
    let hits = app
        .state
        .knowledge
        .search(
            acme,
            "laptop printing vpn",
            10,
            SearchMode::Hybrid,
            Audience::Staff,
        )
        .await
        .expect("search");
    assert!(hits.pages.iter().all(|p| p.doc_id != doc));
    // The re-run removes them and ends with one set of chunks per document.
    let rerun = load(&app, acme, kb.path(), false).await;
    assert!(rerun.orphans_removed >= 1, "{rerun:?}");
    assert_eq!(rerun.added, 1);
    assert_eq!(rerun.docs, 3);
    assert_eq!(rerun.chunks, first.chunks);
    assert_eq!(
        rerun.vectors as u64, rerun.chunks,
        "no orphans, no duplicates"
    );
}

async fn tenants_never_see_each_others_documents(backend: Backend) {
    let app = spawn_app(backend).await;
    let (acme, globex) = tenants(&app).await;
    load(&app, acme, &fixtures(), false).await;
    for mode in [SearchMode::Hybrid, SearchMode::Dense, SearchMode::Lexical] {
        let theirs = app
            .state
            .knowledge
            .search(
                globex,
                "printing toner laptop vpn",
                10,
                mode,
                Audience::Staff,
            )
            .await
            .expect("search");
        assert!(theirs.pages.is_empty(), "{mode:?}: {:?}", theirs.pages);
        let ours = app
            .state
            .knowledge
            .search(acme, "printing toner laptop vpn", 10, mode, Audience::Staff)
            .await
            .expect("search");
        assert!(!ours.pages.is_empty(), "{mode:?}");
    }
    assert!(
        app.state
            .knowledge
            .list_docs(globex)
            .await
            .expect("docs")
            .is_empty()
    );
}

/// A folder load tells its caller, batch by batch, how far each file's embedding has got,
/// before the file's outcome: what `load-docs` shows on its progress bar.
#[tokio::test]
async fn a_folder_load_reports_each_files_embedding() {
    use helpdesk::knowledge::{FileOutcome, IngestStage, LoadEvent};
    let app = spawn_app(Backend::Sqlite).await;
    let (tenant, _) = tenants(&app).await;
    let heard = std::sync::Mutex::new(Vec::new());
    app.state
        .knowledge
        .load_dir(tenant, &fixtures(), false, Visibility::Public, &|event| {
            heard.lock().expect("lock").push(event);
        })
        .await
        .expect("load");
    let events = heard.into_inner().expect("events");
    let mut added = 0;
    for (at, event) in events.iter().enumerate() {
        let LoadEvent::File {
            path,
            outcome: Ok(FileOutcome::Added { chunks, .. }),
        } = event
        else {
            continue;
        };
        added += 1;
        let passages: Vec<usize> = events[..at]
            .iter()
            .filter_map(|e| match e {
                LoadEvent::Embedding { path: p, progress }
                    if p == path && progress.stage == IngestStage::Passages =>
                {
                    Some(progress.done)
                }
                _ => None,
            })
            .collect();
        assert_eq!(passages.first(), Some(&0), "{path}: {passages:?}");
        assert_eq!(passages.last(), Some(chunks), "{path}: {passages:?}");
        assert!(
            events[..at].iter().any(|e| matches!(
                e,
                LoadEvent::Embedding { path: p, progress }
                    if p == path && progress.stage == IngestStage::Sentences && progress.done == progress.total
            )),
            "{path}: its sentences"
        );
    }
    assert!(added >= 3, "{events:?}");
}

/// Posts `form` to the upload, asking for events; returns them, having checked the status
/// and the content type.
async fn upload_with_events(
    app: &TestApp,
    token: &str,
    form: reqwest::multipart::Form,
) -> Vec<(String, Value)> {
    let response = app
        .client
        .post(app.url("/api/v1/documents"))
        .bearer_auth(token)
        .header("accept", "text/event-stream")
        .multipart(form)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        crate::helpers::header(&response, "content-type").starts_with("text/event-stream"),
        "{:?}",
        response.headers()
    );
    crate::llm_contract::parse_events(&response.text().await.expect("body"))
}

/// The `done` values of one file's progress events at `stage`, checked to climb from 0
/// to the stage's total; returns that total.
fn climbs(events: &[(String, Value)], source: &str, stage: &str) -> u64 {
    let steps: Vec<&Value> = events
        .iter()
        .filter(|(name, data)| {
            name == "progress" && data["source"] == source && data["stage"] == stage
        })
        .map(|(_, data)| data)
        .collect();
    let done: Vec<u64> = steps.iter().filter_map(|d| d["done"].as_u64()).collect();
    let total = steps.first().and_then(|d| d["total"].as_u64()).unwrap_or(0);
    assert_eq!(done.len(), steps.len(), "{steps:?}");
    assert_eq!(done.first(), Some(&0), "{source} {stage}: {done:?}");
    assert_eq!(done.last(), Some(&total), "{source} {stage}: {done:?}");
    assert!(done.windows(2).all(|w| w[0] < w[1]), "{done:?}");
    assert!(steps.iter().all(|d| d["total"] == total), "{steps:?}");
    total
}

/// An upload that asks for events hears, file by file, how many passages and sentences are
/// embedded as it happens and what was stored, then `done`; a file that fails ends the
/// stream with its problem, the files before it stay stored, and nothing after it is read.
async fn an_upload_streams_its_progress(backend: Backend) {
    use reqwest::multipart::{Form, Part};
    let app = spawn_app(backend).await;
    let admin = crate::helpers::seed_and_sign_in(&app, "acme", "admin").await;
    let laptop = std::fs::read(fixtures().join("laptop.md")).expect("fixture");
    // Forty sections of two sentences: more than one embedding batch of each stage.
    let dials: String = (1..=40)
        .map(|i| {
            format!(
                "## Dial {i}\n\nTurn dial {i} clockwise until lamp {i} glows green. \
                 Wait a minute before you press reset.\n\n"
            )
        })
        .collect();
    let form = Form::new()
        .part("file", Part::bytes(laptop).file_name("laptop.md"))
        .text("visibility", "internal")
        .part(
            "file",
            Part::bytes(dials.into_bytes()).file_name("dials.md"),
        );
    let events = upload_with_events(&app, &admin, form).await;

    let mut names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    names.dedup();
    assert_eq!(
        names,
        ["progress", "stored", "progress", "stored", "done"],
        "{events:?}"
    );
    for (file, source) in [(1, "laptop.md"), (2, "dials.md")] {
        let passages = climbs(&events, source, "passages");
        let sentences = climbs(&events, source, "sentences");
        assert!(sentences >= passages, "{source}: {sentences} sentences");
        let stored = events
            .iter()
            .find(|(name, data)| name == "stored" && data["source"] == source)
            .map(|(_, data)| data)
            .expect("stored");
        assert_eq!(stored["status"], "added");
        assert_eq!(stored["chunks"].as_u64(), Some(passages), "{stored}");
        assert!(
            events
                .iter()
                .filter(|(_, data)| data["source"] == source)
                .all(|(name, data)| name != "progress" || data["file"] == file)
        );
    }
    for stage in ["passages", "sentences"] {
        let steps = events
            .iter()
            .filter(|(name, data)| {
                name == "progress" && data["source"] == "dials.md" && data["stage"] == stage
            })
            .count();
        assert!(steps >= 3, "{stage}: one event per batch: {events:?}");
    }
    let done = &events.last().expect("events").1;
    assert_eq!(
        done["documents"].as_array().map(Vec::len),
        Some(2),
        "{done}"
    );
    let listed = app.get_json(&admin, "/api/v1/documents").await;
    let visibility = |source: &str| {
        listed["items"]
            .as_array()
            .and_then(|items| items.iter().find(|d| d["source"] == source))
            .map(|d| d["visibility"].clone())
    };
    assert_eq!(visibility("laptop.md"), Some(Value::from("public")));
    assert_eq!(visibility("dials.md"), Some(Value::from("internal")));

    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"# Bell\n\nRing the bell twice for the night porter.\n".to_vec())
                .file_name("bell.md"),
        )
        .part("file", Part::bytes(b"x".to_vec()).file_name("notes.docx"))
        .part(
            "file",
            Part::bytes(b"# Later\n\nNever read.\n".to_vec()).file_name("later.md"),
        );
    let events = upload_with_events(&app, &admin, form).await;
    let (name, problem) = events.last().expect("events");
    assert_eq!(name, "error", "{events:?}");
    assert_eq!(problem["status"], 415, "{problem}");
    assert_eq!(problem["code"], "unsupported_document_type", "{problem}");
    assert!(problem["request_id"].is_string(), "{problem}");
    assert!(
        events
            .iter()
            .any(|(name, data)| name == "stored" && data["source"] == "bell.md")
    );
    assert!(!events.iter().any(|(name, _)| name == "done"));
    let listed = app.get_json(&admin, "/api/v1/documents").await;
    let sources: Vec<&str> = listed["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|d| d["source"].as_str()).collect())
        .unwrap_or_default();
    assert!(sources.contains(&"bell.md"), "{sources:?}");
    assert!(!sources.contains(&"later.md"), "{sources:?}");
}

crate::on_both_backends!(
    loaders_chunks_and_idempotent_loads,
    an_interrupted_load_ends_consistent,
    tenants_never_see_each_others_documents,
    an_upload_streams_its_progress,
);

#[tokio::test]
async fn documents_and_search_over_http() {
    let app = spawn_app(Backend::Sqlite).await;
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    let admin = sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let customer = sign_in(&app, "acme", "customer").await;
    let other = sign_in(&app, "globex", "admin").await;

    let ready = app.get("/api/v1/knowledge/ready").await;
    assert_eq!(ready.status().as_u16(), 200);
    // Anonymous callers share one cached probe: asking again embeds nothing.
    let embeds = |metrics: &str| {
        metrics
            .lines()
            .find(|l| l.starts_with("llm_embed_batch_seconds_count"))
            .map(str::to_owned)
    };
    let before = embeds(&app.get_metrics().await);
    for _ in 0..5 {
        assert_eq!(
            app.get("/api/v1/knowledge/ready").await.status().as_u16(),
            200
        );
    }
    assert_eq!(embeds(&app.get_metrics().await), before);

    let laptop = std::fs::read(fixtures().join("laptop.md")).expect("fixture");
    let created = app
        .upload_document(&admin, "laptop.md", laptop.clone(), None)
        .await;
    assert_eq!(created.status().as_u16(), 201);
    let body: Value = created.json().await.expect("json");
    assert_eq!(body["documents"][0]["status"], "added");
    let id = body["documents"][0]["id"].as_str().expect("id").to_owned();
    let again: Value = app
        .upload_document(&admin, "laptop.md", laptop.clone(), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["documents"][0]["status"], "unchanged");
    assert_problem(
        app.upload_document(&admin, "notes.docx", b"x".to_vec(), None)
            .await,
        415,
        "unsupported_document_type",
    )
    .await;
    assert_problem(
        app.upload_document(&agent, "laptop.md", laptop.clone(), None)
            .await,
        403,
        "action_forbidden",
    )
    .await;

    let search = |token: String, query: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&format!("/api/v1/search?{query}")))
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
        }
    };
    let found: Value = search(agent.clone(), "q=lost+laptop&k=3")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["pages"][0]["title"], "Laptop care");
    assert_eq!(found["pages"][0]["doc_id"], id.as_str());
    assert!(
        found["pages"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("lost"))
    );
    assert!(found["pages"][0]["score"].is_number());
    let theirs: Value = search(other.clone(), "q=lost+laptop")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["pages"], serde_json::json!([]));
    assert_problem(search(agent.clone(), "q=").await, 422, "validation_failed").await;
    // A question is text like any other field's: control characters are refused.
    assert_problem(
        search(agent.clone(), "q=lost%00laptop").await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        search(agent.clone(), "q=x&k=0").await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        search(customer.clone(), "q=laptop").await,
        403,
        "action_forbidden",
    )
    .await;

    let listed: Value = app
        .client
        .get(app.url("/api/v1/documents"))
        .bearer_auth(&agent)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    // Another tenant's admin cannot delete it; the owner can.
    let delete = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.client
                .delete(app.url(&format!("/api/v1/documents/{id}")))
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
        }
    };
    assert_problem(delete(other).await, 404, "document_not_found").await;
    assert_eq!(delete(admin.clone()).await.status().as_u16(), 204);
    let gone: Value = search(agent, "q=lost+laptop")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(gone["pages"], serde_json::json!([]));
    let metrics = app.get_metrics().await;
    for name in [
        "doc_loader_ingest_seconds_count",
        "vector_upsert_vectors_total",
        "search_seconds_count",
    ] {
        assert!(metrics.contains(name), "{name} missing");
    }
}

#[tokio::test]
async fn a_collection_of_another_width_is_refused_with_the_reindex_command() {
    let dir = tempfile::tempdir().expect("dir");
    let settings = helpdesk::config::Settings {
        data_dir: dir.path().to_path_buf(),
        ..helpdesk::config::Settings::default()
    };
    drop(
        helpdesk::vector::open(&settings, 384)
            .await
            .expect("a 384-wide collection"),
    );
    // A 768-wide model must not write into it.
    let err = match helpdesk::vector::open(&settings, 768).await {
        Ok(_) => panic!("a mismatched width was accepted"),
        Err(err) => err.to_string(),
    };
    assert!(
        err.contains("384") && err.contains("768") && err.contains("helpdesk reindex"),
        "{err}"
    );
    assert!(
        helpdesk::vector::open(&settings, 384).await.is_ok(),
        "the right width still opens"
    );
}

/// A folder of many similar pages (more matching chunks than any one candidate list holds)
/// and a page that only redirects to another site.
fn crowded_kb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let floors = ["first", "second", "third", "fourth", "fifth", "sixth"];
    let buildings = ["north", "south", "east", "west"];
    for (i, (floor, building)) in floors
        .iter()
        .flat_map(|f| buildings.iter().map(move |b| (f, b)))
        .enumerate()
    {
        let page = format!(
            "---\ntitle: Printers on the {floor} floor of the {building} building\n---\n\n\
             ## Toner\n\nThe printer toner on the {floor} floor is kept in cabinet {i}.\n\n\
             ## Paper jams\n\nOpen tray {i} of the {building} printer and pull the paper out.\n\n\
             ## Laptops\n\nLaptops print to the {floor} floor printer over the office network.\n"
        );
        std::fs::write(dir.path().join(format!("printers-{i}.md")), page).expect("page");
    }
    std::fs::write(
        dir.path().join("open-source.md"),
        "---\ntitle: Open source policy\nredirect_to: https://github.com/18F/open-source-policy\n---\n",
    )
    .expect("redirect page");
    dir
}

/// The pages a search ranks first, and whether it answers, are the same however many pages
/// are asked for: the chat asks for 3, the thresholds were fitted on searches for 10.
#[tokio::test]
async fn the_first_pages_and_answerability_do_not_depend_on_how_many_are_asked_for() {
    let app = spawn_app(Backend::Sqlite).await;
    let (acme, _) = tenants(&app).await;
    let kb = crowded_kb();
    let report = load(&app, acme, kb.path(), false).await;
    assert_eq!(report.docs, 25, "{report:?}");
    assert!(
        report.chunks > 60,
        "more chunks than a candidate list: {report:?}"
    );
    let knowledge = &app.state.knowledge;
    for query in [
        "the printer toner is empty",
        "paper stuck in the printer on the third floor",
        "can my laptop print",
        "toner cabinet and a paper jam in the tray",
        "where is the toner and how do laptops print over the network",
    ] {
        let deep = knowledge
            .search(acme, query, 10, SearchMode::Hybrid, Audience::Staff)
            .await
            .expect("search");
        let sources = |pages: &[helpdesk::knowledge::PageHit]| -> Vec<String> {
            pages.iter().map(|p| p.source.clone()).collect()
        };
        for k in [1, 3] {
            let shallow = knowledge
                .search(acme, query, k, SearchMode::Hybrid, Audience::Staff)
                .await
                .expect("search");
            assert_eq!(
                sources(&shallow.pages),
                sources(&deep.pages)[..k],
                "{query}, k = {k}"
            );
            assert!(
                (shallow.answerability - deep.answerability).abs() < 1e-6,
                "{query}, k = {k}: {} vs {}",
                shallow.answerability,
                deep.answerability
            );
        }
    }
    // The redirect page is found, as the pointer it is.
    let policy = knowledge
        .search(
            acme,
            "where is the open source policy",
            3,
            SearchMode::Hybrid,
            Audience::Staff,
        )
        .await
        .expect("search");
    let top = policy.pages.first().expect("a page");
    assert_eq!(top.source, "open-source.md");
    assert!(
        top.snippet
            .contains("https://github.com/18F/open-source-policy"),
        "{top:?}"
    );
}

/// A question of several sentences is also read one sentence at a time: the sentence that
/// asks scores the page's sentences as well as it does alone, however much the message
/// says before it.
#[tokio::test]
async fn a_question_of_several_sentences_is_read_one_sentence_at_a_time() {
    let app = spawn_app(Backend::Sqlite).await;
    let (acme, _) = tenants(&app).await;
    load(&app, acme, &fixtures(), false).await;
    let knowledge = &app.state.knowledge;
    let ask = |query: &'static str| async move {
        knowledge
            .search(acme, query, 3, SearchMode::Hybrid, Audience::Staff)
            .await
            .expect("search")
    };
    let alone = ask("How quickly must I report a lost laptop?").await;
    let told = ask(
        "Last week I left my bag with everything inside on the train home. \
         How quickly must I report a lost laptop?",
    )
    .await;
    for found in [&alone, &told] {
        assert_eq!(found.pages[0].source, "laptop.md", "{:?}", found.pages[0]);
    }
    assert!(
        told.signals.sentence >= alone.signals.sentence - 1e-4,
        "{} after a sentence that asks nothing, {} alone",
        told.signals.sentence,
        alone.signals.sentence
    );
}

/// The vector store keeps only redacted payloads, but a search shows the article as the
/// tenant wrote it: the address a page publishes is the answer to whom to write.
#[tokio::test]
async fn a_search_shows_the_article_as_written() {
    let app = spawn_app(Backend::Postgres).await;
    let (acme, globex) = tenants(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("badges.md"),
        "# Lost badges\n\nA lost building badge is replaced by the badge office within two \
         working days. To report one, write to badge-office@example.gov from your work \
         account.\n",
    )
    .expect("page");
    load(&app, acme, dir.path(), false).await;
    let ask = |tenant| {
        app.state.knowledge.search(
            tenant,
            "whom do I write to about a lost badge",
            3,
            SearchMode::Hybrid,
            Audience::Public,
        )
    };
    let found = ask(acme).await.expect("search");
    let page = found.pages.first().expect("a page");
    let text = page.passages.join(" ");
    assert!(text.contains("badge-office@example.gov"), "{text}");
    assert!(!text.contains("[EMAIL_"), "{text}");
    assert!(page.snippet.contains("badge office"), "{}", page.snippet);
    let other = ask(globex).await.expect("search");
    assert!(
        other.pages.iter().all(|p| p.source != "badges.md"),
        "{:?}",
        other.pages
    );
}

/// Tenant isolation on a real Qdrant server, when `HELPDESK_TEST_QDRANT_URL` is set.
#[tokio::test]
async fn tenant_isolation_on_a_qdrant_server() {
    let Ok(url) = std::env::var("HELPDESK_TEST_QDRANT_URL") else {
        eprintln!("HELPDESK_TEST_QDRANT_URL is not set: the Qdrant-server test did not run");
        return;
    };
    let app = spawn_app_with(
        Backend::Sqlite,
        move |s| {
            s.vector.backend = helpdesk::config::VectorBackend::Qdrant;
            s.vector.qdrant_url = url;
        },
        Arc::new(|_| {}),
    )
    .await;
    tenants_never_see_each_others_documents_on(&app).await;
}

async fn tenants_never_see_each_others_documents_on(app: &TestApp) {
    let (acme, globex) = tenants(app).await;
    load(app, acme, &fixtures(), false).await;
    let theirs = app
        .state
        .knowledge
        .search(
            globex,
            "printing toner",
            10,
            SearchMode::Hybrid,
            Audience::Staff,
        )
        .await
        .expect("search");
    assert!(theirs.pages.is_empty());
}
