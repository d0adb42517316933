//! What a meeting's items are drawn from: open agendas, concerns, questionnaires, votes and
//! conventions under consultation of the compounds taking part.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{ItemSource, NewItem};
use crate::{
    entities::{agenda, concern, convention, convention::ConventionStatus, questionnaire, vote},
    error::{AppError, AppResult},
    msg,
};

/// Where an item's source is in the app.
pub fn source_link(source: Option<ItemSource>, id: Option<i64>) -> Option<String> {
    let path = match source? {
        ItemSource::Agenda => "agendas",
        ItemSource::Concern => "concerns",
        ItemSource::Questionnaire => "questionnaires",
        ItemSource::Vote => "votes",
        ItemSource::Convention => "conventions",
    };
    Some(format!("/{path}/{}", id?))
}

/// Whether the source exists in one of `compounds` (an agenda may also be community-wide).
async fn exists(db: &impl ConnectionTrait, compounds: &[i64], source: ItemSource, id: i64) -> AppResult<bool> {
    let n = match source {
        ItemSource::Agenda => {
            let Some(a) = agenda::Entity::find_by_id(id).one(db).await? else { return Ok(false) };
            let community_wide = a.compound_id.is_none();
            return Ok(match a.compound_id {
                Some(c) => compounds.contains(&c),
                None => community_wide && in_community_of(db, compounds, a.community_id).await?,
            });
        }
        ItemSource::Concern => {
            concern::Entity::find_by_id(id)
                .filter(concern::Column::CompoundId.is_in(compounds.to_vec()))
                .count(db)
                .await?
        }
        ItemSource::Questionnaire => {
            questionnaire::Entity::find_by_id(id)
                .filter(questionnaire::Column::CompoundId.is_in(compounds.to_vec()))
                .count(db)
                .await?
        }
        ItemSource::Vote => {
            vote::Entity::find_by_id(id).filter(vote::Column::CompoundId.is_in(compounds.to_vec())).count(db).await?
        }
        // A convention in consultation or after (a draft is its drafters' alone).
        ItemSource::Convention => {
            let Some(c) = convention::Entity::find_by_id(id).one(db).await? else { return Ok(false) };
            let public = c.status != ConventionStatus::Drafting;
            return Ok(public
                && match c.compound_id {
                    Some(cid) => compounds.contains(&cid),
                    None => in_community_of(db, compounds, c.community_id).await?,
                });
        }
    };
    Ok(n > 0)
}

/// Whether the compounds are in `community_id`.
async fn in_community_of(db: &impl ConnectionTrait, compounds: &[i64], community_id: i64) -> AppResult<bool> {
    use crate::entities::compound;
    let n = compound::Entity::find()
        .filter(compound::Column::Id.is_in(compounds.to_vec()))
        .filter(compound::Column::CommunityId.eq(community_id))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Check every item's source: it exists where the meeting is held. A source elsewhere is
/// reported as unknown, as if it did not exist.
pub async fn check_sources(db: &impl ConnectionTrait, compounds: &[i64], items: &[NewItem]) -> AppResult<()> {
    for (i, item) in items.iter().enumerate() {
        if let (Some(source), Some(id)) = (item.source, item.source_id)
            && !exists(db, compounds, source, id).await?
        {
            return Err(AppError::field(&format!("items[{i}].source_id"), msg!("meeting_item_source_unknown")));
        }
    }
    Ok(())
}
