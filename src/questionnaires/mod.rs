//! Questionnaires (问卷): built by the committee, the secretary or the property company, answered
//! by owners on their phones, named or anonymous, one answer per holder or per person; results as
//! counts, percentages, ratings and free text, exported to CSV and XLSX.
pub mod answers;
pub mod export;
pub mod lifecycle;
pub mod model;
pub mod ops;
pub mod rules;
pub mod views;

use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::{
    audit::{self, Subject},
    entities::{compound, owner_link, questionnaire, user},
    error::{AppError, AppResult},
    notices,
};
use model::{AnswerItem, AnswerPer, Audience, Question, QuestionKind, QuestionnaireStatus, ResultsVisibility};

impl Subject for questionnaire::Model {
    fn subject(&self) -> String {
        format!("questionnaire:{}", self.id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound_id)
    }
}

/// The questions of seed 001's survey before the dog-keeping pact was drafted.
pub fn dog_survey() -> Vec<Question> {
    let q = |kind, text: &str, required, options: &[&str], max_picks| Question {
        kind,
        text: text.into(),
        required,
        options: options.iter().map(|s| s.to_string()).collect(),
        max_picks,
    };
    vec![
        q(QuestionKind::Single, "您家是否养犬？", true, &["养犬", "不养犬"], None),
        q(QuestionKind::Single, "所养犬只的体型", false, &["小型犬", "中型犬", "大型犬"], None),
        q(QuestionKind::Rating, "您对“出户遛犬须束犬链”的赞同程度（1 分最低，5 分最高）", true, &[], None),
        q(
            QuestionKind::Multiple,
            "您最希望公约约束的行为（最多选 2 项）",
            false,
            &["遛犬不拴绳", "犬只粪便不清理", "夜间犬吠扰民", "电梯内不避让"],
            Some(2),
        ),
        q(QuestionKind::Text, "其他意见和建议", false, &[], None),
    ]
}

/// The demo's published questionnaire in `c`: the dog-keeping survey of seed 001, anonymous, one
/// answer per household, with a few owners' answers already in.
pub async fn seed_demo(db: &impl ConnectionTrait, c: &compound::Model) -> AppResult<()> {
    let committee =
        user::Entity::find().filter(user::Column::Username.eq("committee")).one(db).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let questions = dog_survey();
    let q = questionnaire::Entity::insert(questionnaire::ActiveModel {
        compound_id: Set(c.id),
        title: Set("养犬情况调查".into()),
        description: Set("为起草**社区文明养犬公约**，社区、物业、业委会联合开展本次调查。\n\n\
            问卷匿名，每户填写一份，约需 2 分钟。"
            .into()),
        questions: Set(serde_json::to_string(&questions).map_err(anyhow::Error::from)?),
        audience: Set(Audience::Owners.as_str().into()),
        building_ids: Set(None),
        anonymous: Set(true),
        answer_per: Set(AnswerPer::Holder.as_str().into()),
        allow_edit: Set(false),
        results_visibility: Set(ResultsVisibility::Live.as_str().into()),
        opens_at: Set(now - Duration::days(1)),
        closes_at: Set(now + Duration::days(14)),
        status: Set(QuestionnaireStatus::Published),
        agenda_id: Set(None),
        created_by: Set(committee.id),
        created_at: Set(now - Duration::days(1)),
        published_at: Set(Some(now - Duration::days(1))),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let recipients = lifecycle::audience_users(db, &q, c).await?;
    notices::publish(db, ops::published_notice(&q, c, committee.id), &recipients).await?;
    let detail = json!({ "recipients": recipients.len(), "audience": q.audience, "anonymous": true });
    audit::note(db, Some(committee.id), &q, "questionnaire.published", detail).await?;
    // A few households have answered: owner004 to owner009, leaving the first owners to try it.
    let pick = |p: &[i32]| AnswerItem { choices: Some(p.to_vec()), ..Default::default() };
    let rate = |r| AnswerItem { rating: Some(r), ..Default::default() };
    let text = |t: &str| AnswerItem { text: Some(t.into()), ..Default::default() };
    let none = AnswerItem::default;
    let answers = [
        vec![pick(&[0]), pick(&[0]), rate(5), pick(&[0, 1]), text("希望物业在小区门口设置宠物便袋箱。")],
        vec![pick(&[1]), none(), rate(5), pick(&[0, 2]), none()],
        vec![pick(&[0]), pick(&[1]), rate(4), pick(&[1]), none()],
        vec![pick(&[1]), none(), rate(5), pick(&[0, 3]), text("电梯里遇到大狗很害怕，请规定遛狗避开早晚高峰。")],
        vec![pick(&[1]), none(), rate(3), pick(&[2]), none()],
        vec![pick(&[0]), pick(&[0]), rate(4), pick(&[1, 2]), none()],
    ];
    let owners = user::Entity::find()
        .filter(user::Column::Username.is_in(["owner004", "owner005", "owner006", "owner007", "owner008", "owner009"]))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    for (owner, a) in owners.iter().zip(answers) {
        let link = owner_link::Entity::find().filter(owner_link::Column::UserId.eq(owner.id)).one(db).await?;
        let Some(link) = link else { continue };
        answers::submit(db, &q, answers::Respondent { user_id: owner.id, holder_id: Some(link.holder_id) }, &a).await?;
    }
    Ok(())
}
