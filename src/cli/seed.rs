//! `helpdesk seed`: idempotent demo data. Running it again creates nothing new and changes
//! nothing that exists; the manifest it writes lists every id either way.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::load_docs::load_folder;
use super::setup::{open_database, open_knowledge, tenant_id};
use crate::config::Settings;
use crate::database::TenantTx;
use crate::egress::EgressPolicy;
use crate::error::AppError;
use crate::ids::Actor;
use crate::knowledge::Visibility;
use crate::replies;
use crate::tenancy::{self, CreateTenant, CreateUser, Email, NewTenant, NewUser, TenantId};
use crate::tickets::{self, CreateTicket, NewTicket, TicketFilter};

pub const MANIFEST_FILE: &str = "seed_manifest.json";
/// The demo tenant whose knowledge base `helpdesk seed` loads from `knowledge.demo_dir`.
pub const DEMO_KB_TENANT: &str = "acme";

const TENANTS: &[(&str, &str, &str)] = &[
    ("acme", "Acme Corp", "business"),
    ("globex", "Globex", "team"),
];

/// Each demo tenant's look (name, primary, accent): the two must look different.
fn demo_theme(slug: &str) -> serde_json::Value {
    let (name, primary, accent) = match slug {
        "acme" => ("Acme Support", "#1f4e8c", "#e07a1f"),
        _ => ("Globex Help Center", "#0f6e4f", "#8e3bbf"),
    };
    serde_json::json!({"theme": {"display_name": name, "primary_color": primary, "accent_color": accent}})
}

const USERS: &[(&str, &str)] = &[
    ("admin", "Ada Admin"),
    ("agent", "Alan Agent"),
    ("customer", "Cora Customer"),
];

/// Three open tickets per demo user, in the user's own words.
fn tickets_of(role: &str) -> [(&'static str, &'static str); 3] {
    match role {
        "admin" => [
            (
                "Grant Jira admin rights to a new hire",
                "Our new team lead starts Monday and needs admin rights on the Jira project.",
            ),
            (
                "Renew the video-call licence",
                "The business licence for video calls expires at the end of the month.",
            ),
            (
                "Audit shared drive permissions",
                "Please list who has edit access to the finance shared drive.",
            ),
        ],
        "agent" => [
            (
                "Laptop fan is very loud",
                "My laptop fan runs at full speed even when nothing is open.",
            ),
            (
                "Printer on floor 3 keeps jamming",
                "The printer by the kitchen jams on every double-sided job.",
            ),
            (
                "Need a second monitor",
                "Could I get a second monitor for my desk in room 3.14?",
            ),
        ],
        _ => [
            (
                "Cannot reset my SSO password",
                "The reset link in the email says it has expired as soon as I open it.",
            ),
            (
                "VPN disconnects every hour",
                "Since the last update the VPN drops roughly every hour and I lose my work.",
            ),
            (
                "Chat notifications stopped",
                "I no longer get desktop notifications for direct messages.",
            ),
        ],
    }
}

/// The demo password of a seeded user. Demo-only: documented, printed when created, and
/// never to be used on a reachable server.
pub fn demo_password(slug: &str, role: &str) -> String {
    format!("{slug}-{role}-demo")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tenants: Vec<SeededTenant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeededTenant {
    pub slug: String,
    pub id: TenantId,
    pub users: Vec<SeededUser>,
    pub tickets: Vec<uuid::Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeededUser {
    pub email: String,
    pub role: String,
    pub id: uuid::Uuid,
}

/// What a run did, for the command's output.
#[derive(Debug, Default)]
pub struct SeedOutcome {
    pub created_tenants: usize,
    pub created_users: Vec<(String, String, String)>,
    pub created_tickets: usize,
}

/// A demo account: there already, or to be created (hashed password, and the password to
/// print once).
enum DemoUser {
    Existing(tenancy::UserView),
    New(tenancy::NewAccount, String),
}

pub async fn seed(db: &DatabaseConnection) -> Result<(Manifest, SeedOutcome), AppError> {
    let mut outcome = SeedOutcome::default();
    let mut manifest = Manifest {
        tenants: Vec::new(),
    };
    for (slug, name, plan) in TENANTS {
        let input = CreateTenant::parse(&NewTenant {
            slug: (*slug).into(),
            name: (*name).into(),
            plan: Some((*plan).into()),
        })?;
        let tenant = match tenancy::find_tenant_by_slug(db, &input.slug).await? {
            Some(existing) => existing,
            None => {
                outcome.created_tenants += 1;
                let tx = TenantTx::begin_new_tenant(db).await?;
                let created = tenancy::create_tenant(&tx, input).await?;
                tx.commit().await?;
                let theme: tenancy::SettingsPatch = serde_json::from_value(demo_theme(slug))
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("demo theme: {e}")))?;
                tenancy::update_settings(
                    db,
                    Actor::System,
                    created.id,
                    theme,
                    &EgressPolicy::default(),
                )
                .await?
            }
        };
        let mut seeded = SeededTenant {
            slug: tenant.slug.clone(),
            id: tenant.id,
            users: Vec::new(),
            tickets: Vec::new(),
        };
        // Which demo users exist; the missing ones get their passwords hashed before the
        // transaction that writes them opens (hashing is slow on purpose).
        let mut accounts = Vec::new();
        for (role, display_name) in USERS {
            let email = format!("{role}@{slug}.example");
            let parsed = Email::parse(&email)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("demo email: {e}")))?;
            let existing = TenantTx::run(db, tenant.id, async |tx| {
                tenancy::find_user_by_email(tx, &parsed).await
            })
            .await?;
            let account = match existing {
                Some(user) => DemoUser::Existing(user),
                None => {
                    let password = demo_password(slug, role);
                    let input = CreateUser::parse(&NewUser {
                        email: email.clone(),
                        role: (*role).into(),
                        display_name: (*display_name).into(),
                        password: SecretString::from(password.clone()),
                    })?;
                    DemoUser::New(tenancy::hash_account(input).await?, password)
                }
            };
            accounts.push((*role, email, account));
        }
        // A tenant's new users and tickets are written together or not at all.
        let tx = TenantTx::begin(db, tenant.id).await?;
        for (role, email, account) in accounts {
            let user = match account {
                DemoUser::Existing(existing) => existing,
                DemoUser::New(new, password) => {
                    let created = tenancy::create_user(&tx, new).await?;
                    outcome
                        .created_users
                        .push(((*slug).into(), email.clone(), password));
                    created
                }
            };
            let existing = tickets::list_tickets(
                &tx,
                &TicketFilter {
                    requester: Some(user.id),
                    ..TicketFilter::default()
                },
                tickets::MAX_PAGE,
            )
            .await?;
            for (subject, body) in tickets_of(role) {
                let id = match existing.iter().find(|t| t.subject == subject) {
                    Some(ticket) => ticket.id,
                    None => {
                        let input = CreateTicket::parse(&NewTicket {
                            requester_id: user.id.0,
                            subject: subject.into(),
                            body: body.into(),
                            priority: None,
                            queue: None,
                            status: None,
                            closed_at: None,
                        })?;
                        outcome.created_tickets += 1;
                        tickets::create_ticket(&tx, input).await?.id
                    }
                };
                seeded.tickets.push(id.0);
            }
            seeded.users.push(SeededUser {
                email,
                role: role.into(),
                id: user.id.0,
            });
        }
        seed_workspace(&tx).await?;
        tx.commit().await?;
        manifest.tenants.push(seeded);
    }
    Ok((manifest, outcome))
}

/// A demo tenant's shared canned reply and macro, so the console's picker has something to
/// pick on a fresh install.
async fn seed_workspace(tx: &TenantTx) -> Result<(), AppError> {
    let existing = replies::shared_titles(tx).await?;
    if !existing.iter().any(|t| t == DEMO_CANNED_REPLY) {
        let input = replies::CannedReplyInput::parse(
            Some(DEMO_CANNED_REPLY),
            Some(
                "Hi {{requester.name}}, thanks for getting in touch. I'm {{agent.name}} and I'm looking into ticket {{ticket.id}} now.",
            ),
        )?;
        replies::create_canned_reply(tx, replies::Owner::Shared, input).await?;
    }
    if !existing.iter().any(|t| t == DEMO_MACRO) {
        let input = replies::MacroInput::parse(&replies::NewMacro {
            title: DEMO_MACRO.into(),
            reply: Some(replies::MacroReply {
                body: "Hi {{requester.name}}, your SSO password is reset: sign in with the temporary one we sent and choose a new one. I'm marking ticket {{ticket.id}} as solved; reply here if anything is still wrong.".into(),
                internal: false,
            }),
            status: Some("resolved".into()),
            priority: None,
            queue: None,
            assignee_id: None,
            shared: true,
        })?;
        replies::create_macro(tx, replies::Owner::Shared, input).await?;
    }
    Ok(())
}

/// Titles of the demo tenants' shared canned reply and macro.
pub const DEMO_CANNED_REPLY: &str = "Greeting";
pub const DEMO_MACRO: &str = "SSO password reset: reply and solve";

/// Writes the manifest next to the data, atomically (temp file, then rename).
pub fn write_manifest(data_dir: &Path, manifest: &Manifest) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let path = data_dir.join(MANIFEST_FILE);
    let temp = data_dir.join(format!(".{MANIFEST_FILE}.tmp"));
    let json = serde_json::to_vec_pretty(manifest)?;
    std::fs::write(&temp, json).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// `helpdesk seed`: demo tenants, users and tickets; prints demo passwords of the users it
/// creates (only then) and writes `seed_manifest.json` into the data dir.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let (manifest, outcome) = seed(&db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("seeding failed"))?;
    let path = write_manifest(&settings.data_dir, &manifest)?;
    println!(
        "seed: {} tenant(s), {} user(s), {} ticket(s) created; manifest: {}",
        outcome.created_tenants,
        outcome.created_users.len(),
        outcome.created_tickets,
        path.display()
    );
    if !outcome.created_users.is_empty() {
        println!("demo accounts (DEMO ONLY - change or delete before exposing this server):");
        for (tenant, email, password) in &outcome.created_users {
            println!("  {tenant:8} {email:28} {password}");
        }
    }
    let demo = settings.knowledge.demo_dir.clone();
    if demo.is_dir() {
        db.close().await.context("closing the database")?;
        let (db, knowledge) = open_knowledge(&settings).await?;
        let acme = tenant_id(&db, DEMO_KB_TENANT).await?;
        println!(
            "seed: loading the demo knowledge base {} for {}",
            demo.display(),
            DEMO_KB_TENANT
        );
        load_folder(&knowledge, acme, &demo, true, Visibility::Public).await?;
        db.close().await.context("closing the database")?;
    } else {
        println!(
            "seed: no demo knowledge base at {}; skipped",
            demo.display()
        );
        db.close().await.context("closing the database")?;
    }
    Ok(())
}
