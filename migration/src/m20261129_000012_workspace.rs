//! The agent's workspace: internal notes (and the summary and macro events beside them) in a
//! ticket's history, who a note mentions, canned replies and macros, satisfaction ratings,
//! and each bot message's outcome (what the deflection report counts).

use crate::schema::{
    Scope, add_column, drop_column, index, primary_key, protect, string, string_null, tenant_fk,
    tenant_owner_fk, text, text_null, timestamp, unique_index, uuid, uuid_null,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD_KINDS: &str = "'created', 'comment', 'status_changed', 'priority_changed', 'assigned', 'queue_changed', 'escalated'";
const NEW_KINDS: &str = "'created', 'comment', 'status_changed', 'priority_changed', 'assigned', 'queue_changed', 'escalated', 'note', 'summary', 'macro_applied', 'rated'";

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    TenantId,
    CreatedAt,
    ClosedAt,
    FirstResponseAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChatMessages {
    Table,
    Outcome,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChatSessions {
    Table,
    BotOutcome,
}

#[derive(DeriveIden, Clone, Copy)]
enum TicketMentions {
    Table,
    TenantId,
    EventId,
    TicketId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CannedReplies {
    Table,
    Id,
    TenantId,
    OwnerId,
    Title,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Macros {
    Table,
    Id,
    TenantId,
    OwnerId,
    Title,
    ReplyBody,
    ReplyVisibility,
    SetStatus,
    SetPriority,
    SetQueue,
    SetAssignee,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Ratings {
    Table,
    Id,
    TenantId,
    SubjectKind,
    SubjectId,
    Score,
    Comment,
    CreatedAt,
}

/// Widens the check on `ticket_events.kind` from `from` to `to`. SQLite cannot alter a
/// constraint, so there the table is rebuilt from its own stored definition; nothing
/// references `ticket_events`, so the copy keeps every key.
async fn ticket_event_kinds(
    manager: &SchemaManager<'_>,
    from: &str,
    to: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if manager.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!(
            "ALTER TABLE ticket_events DROP CONSTRAINT ck_ticket_events_kind;
             ALTER TABLE ticket_events ADD CONSTRAINT ck_ticket_events_kind CHECK (kind IN ({to}));"
        ))
        .await?;
        return Ok(());
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ticket_events'",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("ticket_events has no stored definition".into()))?;
    let sql: String = row.try_get("", "sql")?;
    if !sql.contains(from) {
        return Err(DbErr::Custom(format!(
            "ticket_events' kind check is not the expected one: {sql}"
        )));
    }
    let rebuilt =
        sql.replace(from, to)
            .replacen("\"ticket_events\"", "\"ticket_events_rebuilt\"", 1);
    let indexes = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticket_events' AND sql IS NOT NULL",
        ))
        .await?;
    let mut script = format!(
        "{rebuilt};
         INSERT INTO ticket_events_rebuilt SELECT * FROM ticket_events;
         DROP TABLE ticket_events;
         ALTER TABLE ticket_events_rebuilt RENAME TO ticket_events;"
    );
    for index in indexes {
        let sql: String = index.try_get("", "sql")?;
        script.push_str(&format!("{sql};"));
    }
    db.execute_unprepared(&script).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ticket_event_kinds(manager, OLD_KINDS, NEW_KINDS).await?;
        add_column(
            manager,
            ChatMessages::Table,
            string_null(ChatMessages::Outcome, 16),
        )
        .await?;
        // The best outcome of the session's bot replies, kept for the reports. Replies
        // stored before this release have no outcome, so their sessions have none either.
        add_column(
            manager,
            ChatSessions::Table,
            string_null(ChatSessions::BotOutcome, 16),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketMentions::Table)
                    .col(uuid(TicketMentions::TenantId))
                    .col(uuid(TicketMentions::EventId))
                    .col(uuid(TicketMentions::TicketId))
                    .col(uuid(TicketMentions::UserId))
                    .col(timestamp(TicketMentions::CreatedAt))
                    .primary_key(&mut primary_key(
                        "ticket_mentions",
                        &["event_id", "user_id"],
                    ))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_ticket_mentions_tenant_id",
                        TicketMentions::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_ticket_mentions_ticket_id",
                        TicketMentions::Table,
                        TicketMentions::TicketId,
                        Tickets::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_ticket_mentions_user_id",
                        TicketMentions::Table,
                        TicketMentions::UserId,
                        Users::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_ticket_mentions_tenant_id_user_id_created_at",
                TicketMentions::Table,
                [
                    TicketMentions::TenantId,
                    TicketMentions::UserId,
                    TicketMentions::CreatedAt,
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CannedReplies::Table)
                    .col(uuid(CannedReplies::Id))
                    .col(uuid(CannedReplies::TenantId))
                    // NULL: shared by the tenant; else personal to this agent.
                    .col(uuid_null(CannedReplies::OwnerId))
                    .col(string(CannedReplies::Title, 120))
                    .col(text(CannedReplies::Body))
                    .col(timestamp(CannedReplies::CreatedAt))
                    .col(timestamp(CannedReplies::UpdatedAt))
                    .primary_key(&mut primary_key("canned_replies", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_canned_replies_tenant_id",
                        CannedReplies::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_canned_replies_owner_id",
                        CannedReplies::Table,
                        CannedReplies::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_canned_replies_tenant_id_owner_id",
                CannedReplies::Table,
                [CannedReplies::TenantId, CannedReplies::OwnerId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Macros::Table)
                    .col(uuid(Macros::Id))
                    .col(uuid(Macros::TenantId))
                    .col(uuid_null(Macros::OwnerId))
                    .col(string(Macros::Title, 120))
                    .col(text_null(Macros::ReplyBody))
                    .col(string_null(Macros::ReplyVisibility, 16))
                    .col(string_null(Macros::SetStatus, 16))
                    .col(string_null(Macros::SetPriority, 16))
                    .col(string_null(Macros::SetQueue, 64))
                    .col(uuid_null(Macros::SetAssignee))
                    .col(timestamp(Macros::CreatedAt))
                    .col(timestamp(Macros::UpdatedAt))
                    .primary_key(&mut primary_key("macros", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_macros_tenant_id", Macros::Table))
                    .foreign_key(&mut tenant_fk(
                        "fk_macros_owner_id",
                        Macros::Table,
                        Macros::OwnerId,
                        Users::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_macros_set_assignee",
                        Macros::Table,
                        Macros::SetAssignee,
                        Users::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_macros_tenant_id_owner_id",
                Macros::Table,
                [Macros::TenantId, Macros::OwnerId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Ratings::Table)
                    .col(uuid(Ratings::Id))
                    .col(uuid(Ratings::TenantId))
                    .col(string(Ratings::SubjectKind, 16))
                    .col(uuid(Ratings::SubjectId))
                    .col(string(Ratings::Score, 8))
                    .col(text_null(Ratings::Comment))
                    .col(timestamp(Ratings::CreatedAt))
                    .primary_key(&mut primary_key("ratings", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_ratings_tenant_id", Ratings::Table))
                    .check(Check::named(
                        "ck_ratings_subject_kind",
                        crate::schema::one_of("subject_kind", &["chat", "ticket", "answer"]),
                    ))
                    .check(Check::named(
                        "ck_ratings_score",
                        crate::schema::one_of("score", &["good", "bad"]),
                    ))
                    .to_owned(),
            )
            .await?;
        // One rating per chat, ticket or answer, even from two tabs at once.
        manager
            .create_index(unique_index(
                "uq_ratings_tenant_id_subject_kind_subject_id",
                Ratings::Table,
                [Ratings::TenantId, Ratings::SubjectKind, Ratings::SubjectId],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_ratings_tenant_id_created_at",
                Ratings::Table,
                [Ratings::TenantId, Ratings::CreatedAt],
            ))
            .await?;

        // When staff first replied in public, kept on the ticket for the reports; filled in
        // from the history for tickets that already have replies.
        add_column(
            manager,
            Tickets::Table,
            crate::schema::timestamp_null(Tickets::FirstResponseAt),
        )
        .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE tickets SET first_response_at = (
                   SELECT MIN(e.created_at) FROM ticket_events e
                   WHERE e.tenant_id = tickets.tenant_id AND e.ticket_id = tickets.id
                     AND e.kind = 'comment' AND e.author_id IS NOT NULL
                     AND e.author_id <> tickets.requester_id)",
            )
            .await?;
        // The reports read tickets by when they were opened and when they were solved.
        for (name, column) in [
            ("ix_tickets_tenant_id_created_at", Tickets::CreatedAt),
            ("ix_tickets_tenant_id_closed_at", Tickets::ClosedAt),
        ] {
            manager
                .create_index(index(name, Tickets::Table, [Tickets::TenantId, column]))
                .await?;
        }

        for table in ["ticket_mentions", "canned_replies", "macros", "ratings"] {
            protect(manager, table, Scope::Tenant).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ratings", "macros", "canned_replies", "ticket_mentions"] {
            manager
                .drop_table(
                    Table::drop()
                        .table(Alias::new(table))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        for name in [
            "ix_tickets_tenant_id_created_at",
            "ix_tickets_tenant_id_closed_at",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Tickets::Table).to_owned())
                .await?;
        }
        drop_column(manager, ChatMessages::Table, ChatMessages::Outcome).await?;
        drop_column(manager, ChatSessions::Table, ChatSessions::BotOutcome).await?;
        drop_column(manager, Tickets::Table, Tickets::FirstResponseAt).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "DELETE FROM ticket_events WHERE kind IN ('note', 'summary', 'macro_applied', 'rated')",
            )
            .await?;
        ticket_event_kinds(manager, NEW_KINDS, OLD_KINDS).await
    }
}
