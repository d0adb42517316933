//! The demo's minutes: the north-gate consultation's, corrected once at 上河时代 committee's
//! request and signed by the three parties of both compounds (上河时代's property company with a
//! dissenting opinion), then published; and the owners' committee's on the dog-keeping pact,
//! awaiting one member's approval.
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{ops, rules, views::*};
use crate::{
    auth::Actor,
    entities::{meeting, membership, user},
    error::{AppError, AppResult},
};

async fn actor(db: &impl ConnectionTrait, username: &str) -> AppResult<Actor> {
    let user =
        user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?.ok_or(AppError::NotFound)?;
    let memberships = membership::Entity::find().filter(membership::Column::UserId.eq(user.id)).all(db).await?;
    Ok(Actor { user, memberships })
}

async fn meeting_titled(db: &impl ConnectionTrait, community_id: i64, title: &str) -> AppResult<meeting::Model> {
    meeting::Entity::find()
        .filter(meeting::Column::CommunityId.eq(community_id))
        .filter(meeting::Column::Title.eq(title))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn sign(
    db: &impl ConnectionTrait,
    who: &Actor,
    meeting_id: i64,
    answer: SignChoice,
    opinion: Option<&str>,
) -> AppResult<()> {
    let text = ops::load(db, who, meeting_id).await?.minutes.text;
    let req = SignRequest { digest: rules::digest(&text), answer, opinion: opinion.map(str::to_owned) };
    ops::sign(db, who, meeting_id, req).await
}

/// Seed the minutes of the demo's held meetings in community `community_id`.
pub async fn seed_demo(db: &impl ConnectionTrait, community_id: i64) -> AppResult<()> {
    let now = Utc::now();
    let secretary = actor(db, "secretary").await?;
    let consultation = meeting_titled(db, community_id, "北门外垃圾堆放问题三方协同协商会议").await?;
    let id = consultation.id;
    ops::draft(db, &secretary, id).await?;
    ops::circulate(db, &secretary, id, CirculateRequest { until: now + Duration::days(2) }).await?;
    let committee2 = actor(db, "committee2").await?;
    let draft = ops::load(db, &committee2, id).await?.minutes;
    let corrected =
        draft.text.replace("由业委会向业主宣传垃圾分类投放", "由两个小区的业委会分别向本小区业主宣传垃圾分类投放");
    let reason = "会上商定的是两个业委会各自负责本小区的宣传，初稿写成了一个业委会。";
    let req = NewCorrection { version: draft.version, text: corrected, reason: reason.into() };
    ops::propose(db, &committee2, id, req).await?;
    let correction =
        ops::show(db, &secretary, id).await?.corrections.first().map(|c| c.id).ok_or(AppError::NotFound)?;
    let answer = CorrectionAnswerRequest { accept: true, reason: "与会议记录核对属实，已更正。".into() };
    ops::answer_correction(db, &secretary, id, correction, answer).await?;
    ops::sign_off(db, &secretary, id, SignOffRequest { sign_by: now + Duration::days(3) }).await?;
    for who in ["secretary", "property", "committee", "committee2"] {
        sign(db, &actor(db, who).await?, id, SignChoice::Approve, None).await?;
    }
    let dissent =
        "同意清运分工。北门外空地不在上河时代红线内，长期清运的费用应由街道协调两个小区分担，不应默认由本公司承担。";
    sign(db, &actor(db, "property2").await?, id, SignChoice::Dissent, Some(dissent)).await?;
    ops::publish(db, &secretary, id, PublishRequest { publicity_days: Some(7) }).await?;

    let committee_meeting = meeting_titled(db, community_id, "业委会会议：审议《太阳城二期文明养犬公约》草案").await?;
    let id = committee_meeting.id;
    let chair = actor(db, "committee").await?;
    ops::draft(db, &chair, id).await?;
    ops::sign_off(db, &chair, id, SignOffRequest { sign_by: now + Duration::days(2) }).await?;
    for who in ["committee", "member", "owner020"] {
        sign(db, &actor(db, who).await?, id, SignChoice::Approve, None).await?;
    }
    Ok(())
}
