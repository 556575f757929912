//! Tenants, users, tickets, knowledge documents and chunks, chat sessions and messages.
//!
//! Naming: tables are plural snake case; constraints and indexes are
//! `pk_<table>`, `fk_<table>_<column>`, `uq_<table>_<columns>`, `ix_<table>_<columns>`,
//! `ck_<table>_<rule>`. Every row that belongs to a tenant carries `tenant_id`, and
//! references between tenant rows are composite `(tenant_id, id)` foreign keys, so the
//! database itself refuses a ticket whose requester lives in another tenant.

use sea_orm_migration::prelude::*;

use crate::schema::{
    big_integer, index, integer, json, one_of, primary_key, string, string_null, tenant_fk,
    tenant_owner_fk, text, text_null, timestamp, timestamp_null, unique_index, uuid, uuid_null,
};

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
                    .col(json(Tenants::Settings))
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
            .create_index(unique_index(
                "uq_tenants_slug",
                Tenants::Table,
                [Tenants::Slug],
            ))
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
                .create_index(unique_index(name, Users::Table, [first, second]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TicketCounters::Table)
                    .col(uuid(TicketCounters::TenantId))
                    .col(big_integer(TicketCounters::LastNumber))
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
                    .col(big_integer(Tickets::Number))
                    .col(uuid(Tickets::RequesterId))
                    .col(uuid_null(Tickets::AssigneeId))
                    .col(string(Tickets::Queue, 64))
                    .col(string_null(Tickets::Category, 64))
                    .col(ColumnDef::new(Tickets::CategoryConfidence).double().null())
                    .col(string(Tickets::Status, 16))
                    .col(string(Tickets::Priority, 16))
                    .col(string(Tickets::Subject, 200))
                    .col(text(Tickets::Body))
                    .col(timestamp_null(Tickets::SlaDueAt))
                    .col(timestamp_null(Tickets::ClosedAt))
                    .col(timestamp(Tickets::CreatedAt))
                    .col(timestamp(Tickets::UpdatedAt))
                    .col(integer(Tickets::Version))
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
            .create_index(unique_index(
                "uq_tickets_tenant_id_number",
                Tickets::Table,
                [Tickets::TenantId, Tickets::Number],
            ))
            .await?;
        manager
            .create_index(unique_index(
                "uq_tickets_tenant_id_id",
                Tickets::Table,
                [Tickets::TenantId, Tickets::Id],
            ))
            .await?;
        for (name, col) in [
            ("ix_tickets_tenant_id_status", Tickets::Status),
            ("ix_tickets_tenant_id_queue", Tickets::Queue),
            ("ix_tickets_tenant_id_assignee_id", Tickets::AssigneeId),
            ("ix_tickets_tenant_id_requester_id", Tickets::RequesterId),
        ] {
            manager
                .create_index(index(name, Tickets::Table, [Tickets::TenantId, col]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TicketEvents::Table)
                    .col(uuid(TicketEvents::Id))
                    .col(uuid(TicketEvents::TenantId))
                    .col(uuid(TicketEvents::TicketId))
                    .col(uuid_null(TicketEvents::AuthorId))
                    .col(string(TicketEvents::Kind, 32))
                    .col(text_null(TicketEvents::Body))
                    .col(json(TicketEvents::Data))
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
            .create_index(index(
                "ix_ticket_events_tenant_id_ticket_id",
                TicketEvents::Table,
                [TicketEvents::TenantId, TicketEvents::TicketId],
            ))
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
                    .col(big_integer(KnowledgeDocs::Bytes))
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
                .create_index(unique_index(
                    name,
                    KnowledgeDocs::Table,
                    [KnowledgeDocs::TenantId, col],
                ))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Chunks::Table)
                    .col(uuid(Chunks::Id))
                    .col(uuid(Chunks::TenantId))
                    .col(uuid(Chunks::DocId))
                    .col(integer(Chunks::ChunkIndex))
                    .col(text(Chunks::Text))
                    .col(integer(Chunks::TokenCount))
                    .col(text(Chunks::HeadingPath))
                    .col(integer(Chunks::CharStart))
                    .col(integer(Chunks::CharEnd))
                    .col(string(Chunks::EmbeddingModel, 200))
                    .col(integer(Chunks::Dim))
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
            .create_index(unique_index(
                "uq_chunks_tenant_id_doc_id_chunk_index",
                Chunks::Table,
                [Chunks::TenantId, Chunks::DocId, Chunks::ChunkIndex],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChatSessions::Table)
                    .col(uuid(ChatSessions::Id))
                    .col(uuid(ChatSessions::TenantId))
                    .col(uuid_null(ChatSessions::UserId))
                    .col(string(ChatSessions::Status, 16))
                    .col(uuid_null(ChatSessions::TicketId))
                    .col(text_null(ChatSessions::Summary))
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
            .create_index(unique_index(
                "uq_chat_sessions_tenant_id_id",
                ChatSessions::Table,
                [ChatSessions::TenantId, ChatSessions::Id],
            ))
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
                    .col(json(ChatMessages::Citations))
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
            .create_index(index(
                "ix_chat_messages_tenant_id_session_id_created_at",
                ChatMessages::Table,
                [
                    ChatMessages::TenantId,
                    ChatMessages::SessionId,
                    ChatMessages::CreatedAt,
                ],
            ))
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
