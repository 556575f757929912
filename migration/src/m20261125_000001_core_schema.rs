//! Tenants, users, tickets, knowledge documents and chunks, chat sessions and messages.
//!
//! Naming: tables are plural snake case; constraints and indexes are
//! `pk_<table>`, `fk_<table>_<column>`, `uq_<table>_<columns>`, `ix_<table>_<columns>`,
//! `ck_<table>_<rule>`. Every row that belongs to a tenant carries `tenant_id`, and
//! references between tenant rows are composite `(tenant_id, id)` foreign keys, so the
//! database itself refuses a ticket whose requester lives in another tenant.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
    Slug,
    Name,
    Plan,
    Settings,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    TenantId,
    Email,
    Role,
    PasswordHash,
    DisplayName,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TicketCounters {
    Table,
    TenantId,
    LastNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    Id,
    TenantId,
    Number,
    RequesterId,
    AssigneeId,
    Queue,
    Category,
    CategoryConfidence,
    Status,
    Priority,
    Subject,
    Body,
    SlaDueAt,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum TicketEvents {
    Table,
    Id,
    TenantId,
    TicketId,
    AuthorId,
    Kind,
    Body,
    Data,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum KnowledgeDocs {
    Table,
    Id,
    TenantId,
    Title,
    SourcePath,
    SourceKind,
    Checksum,
    Bytes,
    AddedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Chunks {
    Table,
    Id,
    TenantId,
    DocId,
    ChunkIndex,
    Text,
    TokenCount,
    HeadingPath,
    CharStart,
    CharEnd,
    EmbeddingModel,
    Dim,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChatSessions {
    Table,
    Id,
    TenantId,
    UserId,
    Status,
    TicketId,
    Summary,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChatMessages {
    Table,
    Id,
    TenantId,
    SessionId,
    Role,
    Content,
    Citations,
    CreatedAt,
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
}

fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().take()
}

fn string(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().take()
}

fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

fn primary_key(table: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(format!("pk_{table}"));
    for col in cols {
        index.col(Alias::new(*col));
    }
    index.primary().take()
}

/// `ALLOWED` as an SQL list, for check constraints on enum-like text columns.
fn one_of(column: &str, allowed: &[&str]) -> SimpleExpr {
    let list = allowed
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    Expr::cust(format!("{column} IN ({list})"))
}

/// A foreign key from `(tenant_id, from_col)` to `(tenant_id, id)` of `to`.
fn tenant_fk(
    name: &str,
    from: impl IntoIden + 'static,
    from_col: impl IntoIden,
    to: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(from)
        .from_col(Alias::new("tenant_id"))
        .from_col(from_col)
        .to_tbl(to)
        .to_col(Alias::new("tenant_id"))
        .to_col(Alias::new("id"))
        .on_delete(on_delete)
        .take()
}

fn tenant_owner_fk(name: &str, from: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(from)
        .from_col(Alias::new("tenant_id"))
        .to(Tenants::Table, Tenants::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(uuid(Tenants::Id))
                    .col(string(Tenants::Slug, 63))
                    .col(string(Tenants::Name, 200))
                    .col(string(Tenants::Plan, 32))
                    .col(ColumnDef::new(Tenants::Settings).json_binary().not_null())
                    .col(timestamp(Tenants::CreatedAt))
                    .primary_key(&mut primary_key("tenants", &["id"]))
                    .check(Check::named(
                        "ck_tenants_plan",
                        one_of("plan", &["free", "team", "business", "enterprise"]),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_tenants_slug")
                    .table(Tenants::Table)
                    .col(Tenants::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id))
                    .col(uuid(Users::TenantId))
                    .col(string(Users::Email, 254))
                    .col(string(Users::Role, 16))
                    .col(text(Users::PasswordHash))
                    .col(string(Users::DisplayName, 200))
                    .col(timestamp(Users::CreatedAt))
                    .primary_key(&mut primary_key("users", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_users_tenant_id", Users::Table))
                    .check(Check::named(
                        "ck_users_role",
                        one_of("role", &["admin", "agent", "customer"]),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, [first, second]) in [
            ("uq_users_tenant_id_email", [Users::TenantId, Users::Email]),
            ("uq_users_tenant_id_id", [Users::TenantId, Users::Id]),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Users::Table)
                        .col(first)
                        .col(second)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TicketCounters::Table)
                    .col(uuid(TicketCounters::TenantId))
                    .col(
                        ColumnDef::new(TicketCounters::LastNumber)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(&mut primary_key("ticket_counters", &["tenant_id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_ticket_counters_tenant_id",
                        TicketCounters::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tickets::Table)
                    .col(uuid(Tickets::Id))
                    .col(uuid(Tickets::TenantId))
                    .col(ColumnDef::new(Tickets::Number).big_integer().not_null())
                    .col(uuid(Tickets::RequesterId))
                    .col(ColumnDef::new(Tickets::AssigneeId).uuid().null())
                    .col(string(Tickets::Queue, 64))
                    .col(ColumnDef::new(Tickets::Category).string_len(64).null())
                    .col(ColumnDef::new(Tickets::CategoryConfidence).double().null())
                    .col(string(Tickets::Status, 16))
                    .col(string(Tickets::Priority, 16))
                    .col(string(Tickets::Subject, 200))
                    .col(text(Tickets::Body))
                    .col(
                        ColumnDef::new(Tickets::SlaDueAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Tickets::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(Tickets::CreatedAt))
                    .col(timestamp(Tickets::UpdatedAt))
                    .col(ColumnDef::new(Tickets::Version).integer().not_null())
                    .primary_key(&mut primary_key("tickets", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_tickets_tenant_id", Tickets::Table))
                    .foreign_key(&mut tenant_fk(
                        "fk_tickets_requester_id",
                        Tickets::Table,
                        Tickets::RequesterId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_tickets_assignee_id",
                        Tickets::Table,
                        Tickets::AssigneeId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .check(Check::named(
                        "ck_tickets_status",
                        one_of("status", &["open", "pending", "resolved", "closed"]),
                    ))
                    .check(Check::named(
                        "ck_tickets_priority",
                        one_of("priority", &["low", "normal", "high", "urgent"]),
                    ))
                    .check(Check::named(
                        "ck_tickets_closed_at",
                        Expr::cust("status <> 'closed' OR closed_at IS NOT NULL"),
                    ))
                    .check(Check::named(
                        "ck_tickets_category_confidence",
                        Expr::cust(
                            "category_confidence IS NULL OR \
                             (category_confidence >= 0 AND category_confidence <= 1)",
                        ),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_tickets_tenant_id_number")
                    .table(Tickets::Table)
                    .col(Tickets::TenantId)
                    .col(Tickets::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_tickets_tenant_id_id")
                    .table(Tickets::Table)
                    .col(Tickets::TenantId)
                    .col(Tickets::Id)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_tickets_tenant_id_status", Tickets::Status),
            ("ix_tickets_tenant_id_queue", Tickets::Queue),
            ("ix_tickets_tenant_id_assignee_id", Tickets::AssigneeId),
            ("ix_tickets_tenant_id_requester_id", Tickets::RequesterId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Tickets::Table)
                        .col(Tickets::TenantId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TicketEvents::Table)
                    .col(uuid(TicketEvents::Id))
                    .col(uuid(TicketEvents::TenantId))
                    .col(uuid(TicketEvents::TicketId))
                    .col(ColumnDef::new(TicketEvents::AuthorId).uuid().null())
                    .col(string(TicketEvents::Kind, 32))
                    .col(ColumnDef::new(TicketEvents::Body).text().null())
                    .col(ColumnDef::new(TicketEvents::Data).json_binary().not_null())
                    .col(timestamp(TicketEvents::CreatedAt))
                    .primary_key(&mut primary_key("ticket_events", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_ticket_events_tenant_id",
                        TicketEvents::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_ticket_events_ticket_id",
                        TicketEvents::Table,
                        TicketEvents::TicketId,
                        Tickets::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_ticket_events_author_id",
                        TicketEvents::Table,
                        TicketEvents::AuthorId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .check(Check::named(
                        "ck_ticket_events_kind",
                        one_of(
                            "kind",
                            &[
                                "created",
                                "comment",
                                "status_changed",
                                "priority_changed",
                                "assigned",
                                "queue_changed",
                                "escalated",
                            ],
                        ),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_events_tenant_id_ticket_id")
                    .table(TicketEvents::Table)
                    .col(TicketEvents::TenantId)
                    .col(TicketEvents::TicketId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(KnowledgeDocs::Table)
                    .col(uuid(KnowledgeDocs::Id))
                    .col(uuid(KnowledgeDocs::TenantId))
                    .col(string(KnowledgeDocs::Title, 500))
                    .col(string(KnowledgeDocs::SourcePath, 1000))
                    .col(string(KnowledgeDocs::SourceKind, 16))
                    .col(
                        ColumnDef::new(KnowledgeDocs::Checksum)
                            .char_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KnowledgeDocs::Bytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(timestamp(KnowledgeDocs::AddedAt))
                    .col(timestamp(KnowledgeDocs::UpdatedAt))
                    .primary_key(&mut primary_key("knowledge_docs", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_knowledge_docs_tenant_id",
                        KnowledgeDocs::Table,
                    ))
                    .check(Check::named(
                        "ck_knowledge_docs_source_kind",
                        one_of("source_kind", &["markdown", "html", "pdf"]),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            (
                "uq_knowledge_docs_tenant_id_source_path",
                KnowledgeDocs::SourcePath,
            ),
            ("uq_knowledge_docs_tenant_id_id", KnowledgeDocs::Id),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(KnowledgeDocs::Table)
                        .col(KnowledgeDocs::TenantId)
                        .col(col)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Chunks::Table)
                    .col(uuid(Chunks::Id))
                    .col(uuid(Chunks::TenantId))
                    .col(uuid(Chunks::DocId))
                    .col(ColumnDef::new(Chunks::ChunkIndex).integer().not_null())
                    .col(text(Chunks::Text))
                    .col(ColumnDef::new(Chunks::TokenCount).integer().not_null())
                    .col(text(Chunks::HeadingPath))
                    .col(ColumnDef::new(Chunks::CharStart).integer().not_null())
                    .col(ColumnDef::new(Chunks::CharEnd).integer().not_null())
                    .col(string(Chunks::EmbeddingModel, 200))
                    .col(ColumnDef::new(Chunks::Dim).integer().not_null())
                    .primary_key(&mut primary_key("chunks", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_chunks_tenant_id", Chunks::Table))
                    .foreign_key(&mut tenant_fk(
                        "fk_chunks_doc_id",
                        Chunks::Table,
                        Chunks::DocId,
                        KnowledgeDocs::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Check::named(
                        "ck_chunks_span",
                        Expr::cust("char_start >= 0 AND char_end >= char_start"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_chunks_tenant_id_doc_id_chunk_index")
                    .table(Chunks::Table)
                    .col(Chunks::TenantId)
                    .col(Chunks::DocId)
                    .col(Chunks::ChunkIndex)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatSessions::Table)
                    .col(uuid(ChatSessions::Id))
                    .col(uuid(ChatSessions::TenantId))
                    .col(ColumnDef::new(ChatSessions::UserId).uuid().null())
                    .col(string(ChatSessions::Status, 16))
                    .col(ColumnDef::new(ChatSessions::TicketId).uuid().null())
                    .col(ColumnDef::new(ChatSessions::Summary).text().null())
                    .col(timestamp(ChatSessions::CreatedAt))
                    .primary_key(&mut primary_key("chat_sessions", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_chat_sessions_tenant_id",
                        ChatSessions::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_chat_sessions_user_id",
                        ChatSessions::Table,
                        ChatSessions::UserId,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_chat_sessions_ticket_id",
                        ChatSessions::Table,
                        ChatSessions::TicketId,
                        Tickets::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .check(Check::named(
                        "ck_chat_sessions_status",
                        one_of("status", &["active", "handed_off", "closed"]),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_chat_sessions_tenant_id_id")
                    .table(ChatSessions::Table)
                    .col(ChatSessions::TenantId)
                    .col(ChatSessions::Id)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatMessages::Table)
                    .col(uuid(ChatMessages::Id))
                    .col(uuid(ChatMessages::TenantId))
                    .col(uuid(ChatMessages::SessionId))
                    .col(string(ChatMessages::Role, 16))
                    .col(text(ChatMessages::Content))
                    .col(
                        ColumnDef::new(ChatMessages::Citations)
                            .json_binary()
                            .not_null(),
                    )
                    .col(timestamp(ChatMessages::CreatedAt))
                    .primary_key(&mut primary_key("chat_messages", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_chat_messages_tenant_id",
                        ChatMessages::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_chat_messages_session_id",
                        ChatMessages::Table,
                        ChatMessages::SessionId,
                        ChatSessions::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Check::named(
                        "ck_chat_messages_role",
                        one_of("role", &["visitor", "assistant", "agent", "system"]),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_messages_tenant_id_session_id_created_at")
                    .table(ChatMessages::Table)
                    .col(ChatMessages::TenantId)
                    .col(ChatMessages::SessionId)
                    .col(ChatMessages::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents.
        for table in [
            ChatMessages::Table.into_iden(),
            ChatSessions::Table.into_iden(),
            Chunks::Table.into_iden(),
            KnowledgeDocs::Table.into_iden(),
            TicketEvents::Table.into_iden(),
            Tickets::Table.into_iden(),
            TicketCounters::Table.into_iden(),
            Users::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
