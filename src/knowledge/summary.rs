//! A page's summary vector: the embedding of "title: heading; heading; …". Chunk vectors
//! say what a passage is about; the summary says what the whole page is for, and search
//! adds its similarity to the chunk scores, so that "does GSA pay for my metro commute"
//! prefers the page titled for it over a city page that also mentions the metro.

use std::collections::HashSet;

use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait, QueryFilter as _, QuerySelect as _,
};
use uuid::Uuid;

use crate::database::begin_tenant;
use crate::error::AppError;
use crate::tenancy::TenantId;

/// The text embedded for a page: its title, then its distinct headings in reading order.
pub fn summary_text<'a>(
    title: &str,
    heading_paths: impl IntoIterator<Item = &'a [String]>,
) -> String {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut headings: Vec<&str> = Vec::new();
    for path in heading_paths {
        for heading in path {
            let heading = heading.trim();
            if !heading.is_empty() && heading != title && seen.insert(heading) {
                headings.push(heading);
            }
        }
    }
    if headings.is_empty() {
        title.to_owned()
    } else {
        format!("{title}: {}", headings.join("; "))
    }
}

/// Little-endian f32s, as stored in `knowledge_docs.summary_embedding`.
pub fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn decode(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// The stored vectors (decoded) of the rows of `E` with the given ids, within `tenant`;
/// rows without any are left out. `columns`: the id, tenant and vector columns.
pub(super) async fn stored<E: EntityTrait>(
    db: &DatabaseConnection,
    tenant: TenantId,
    (id, tenant_id, vectors): (E::Column, E::Column, E::Column),
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Vec<f32>)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let txn = begin_tenant(db, tenant.0).await?;
    let rows: Vec<(Uuid, Option<Vec<u8>>)> = E::find()
        .select_only()
        .column(id)
        .column(vectors)
        .filter(tenant_id.eq(tenant.0))
        .filter(id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, bytes)| Some((id, decode(&bytes?))))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_each_heading_once_in_order() {
        let paths = [
            vec!["Setup".to_owned()],
            vec!["Setup".to_owned(), "Keys".to_owned()],
            vec!["Zoom".to_owned(), "Rules".to_owned()],
        ];
        assert_eq!(
            summary_text("Zoom", paths.iter().map(Vec::as_slice)),
            "Zoom: Setup; Keys; Rules"
        );
        assert_eq!(summary_text("Airtable", std::iter::empty()), "Airtable");
    }

    #[test]
    fn vectors_survive_the_byte_encoding() {
        let v = vec![0.25, -1.5, 3.0e-7];
        assert_eq!(decode(&encode(&v)), v);
    }
}
