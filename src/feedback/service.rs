use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseTransaction, EntityTrait as _,
    QueryFilter as _, Set,
};
use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use crate::database::TenantTx;
use crate::entity::rating;
use crate::error::{AppError, Code};
use crate::redaction::redact;
use crate::validation::{Fields, Invalid, TextRule, bounded_text, checked};

crate::validation::string_enum!(Score, "score", {
    Good => "good",
    Bad => "bad",
});

/// What is rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Chat(Uuid),
    Ticket(Uuid),
    /// One bot answer (a chat message): the thumbs in the widget.
    Answer(Uuid),
}

impl Subject {
    fn parts(self) -> (&'static str, Uuid) {
        match self {
            Self::Chat(id) => ("chat", id),
            Self::Ticket(id) => ("ticket", id),
            Self::Answer(id) => ("answer", id),
        }
    }
}

pub const MAX_COMMENT_CHARS: usize = 2_000;
pub const COMMENT_RULE: TextRule = TextRule::optional_text(MAX_COMMENT_CHARS);

/// A rating's score and optional comment as a request gives them, checked together.
pub fn parse_rating(
    score: &str,
    comment: Option<&str>,
) -> Result<(Score, Option<String>), AppError> {
    let mut fields = Fields::new();
    let score = fields.check("score", Score::parse(score));
    let comment = fields.check("comment", parse_comment(comment));
    fields.finish()?;
    Ok((checked(score)?, comment.flatten()))
}

/// An optional comment: blank is none; personal data in it is redacted when stored.
pub fn parse_comment(raw: Option<&str>) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded_text(text, "comment", MAX_COMMENT_CHARS).map(Some),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RatingView {
    pub id: Uuid,
    pub score: Score,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Records a rating; a second one of the same subject is `already_rated`, even when two
/// arrive at once (a unique index decides).
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn record(
    tx: &TenantTx,
    subject: Subject,
    score: Score,
    comment: Option<&str>,
) -> Result<RatingView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let (kind, id) = subject.parts();
    let inserted = rating::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tx.tenant().0),
        subject_kind: Set(kind.to_owned()),
        subject_id: Set(id),
        score: Set(score.as_str().to_owned()),
        comment: Set(comment.map(|c| redact(c).text)),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await;
    let model = match inserted {
        Ok(model) => model,
        Err(e) if crate::error::unique_violation(&e) => {
            return Err(AppError::Conflict(
                Code::AlreadyRated,
                format!("this {kind} has been rated already"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Ok(RatingView {
        id: model.id,
        score,
        comment: model.comment,
        created_at: model.created_at,
    })
}

/// Whether `subject` has its rating.
pub async fn exists(tx: &TenantTx, subject: Subject) -> Result<bool, AppError> {
    let txn: &DatabaseTransaction = tx;
    let (kind, id) = subject.parts();
    Ok(rating::Entity::find()
        .filter(rating::Column::TenantId.eq(tx.tenant().0))
        .filter(rating::Column::SubjectKind.eq(kind))
        .filter(rating::Column::SubjectId.eq(id))
        .one(txn)
        .await?
        .is_some())
}

/// A rating as the data-rights export shows it.
#[derive(Debug, Serialize)]
pub struct RatingRecord {
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub score: String,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The ratings of `subjects` (a person's chats and tickets), oldest first.
pub async fn of_subjects(
    tx: &TenantTx,
    subjects: Vec<Uuid>,
) -> Result<Vec<RatingRecord>, AppError> {
    use sea_orm::QueryOrder as _;
    let txn: &DatabaseTransaction = tx;
    let rows = rating::Entity::find()
        .filter(rating::Column::TenantId.eq(tx.tenant().0))
        .filter(rating::Column::SubjectId.is_in(subjects))
        .order_by_asc(rating::Column::CreatedAt)
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| RatingRecord {
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            score: r.score,
            comment: r.comment,
            created_at: r.created_at,
        })
        .collect())
}

/// Blanks the comments of `subjects`' ratings; the scores stay, as they are no one's words.
pub async fn erase_comments(tx: &TenantTx, subjects: Vec<Uuid>) -> Result<u64, AppError> {
    use sea_orm::sea_query::Expr;
    let txn: &DatabaseTransaction = tx;
    Ok(rating::Entity::update_many()
        .col_expr(rating::Column::Comment, Expr::value(Option::<String>::None))
        .filter(rating::Column::TenantId.eq(tx.tenant().0))
        .filter(rating::Column::SubjectId.is_in(subjects))
        .filter(rating::Column::Comment.is_not_null())
        .exec(txn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rule_holds() {
        crate::validation::assert_rule_accepts(COMMENT_RULE, |s| parse_comment(Some(s)).is_ok());
    }
}
