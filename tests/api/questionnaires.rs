//! Questionnaires: building and publishing, who is asked, one answer per holder or per person,
//! anonymity down to the tables, results arithmetic, exports, and visibility until close.
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, Utc};
use sanfang::entities::{
    audit_event, questionnaire, questionnaire_answer, questionnaire_draft, questionnaire_participation,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
    prelude::Expr,
};
use serde_json::{Value, json};

use crate::helpers::*;

/// `d` from now, as the API takes times.
fn at(d: Duration) -> String {
    (Utc::now() + d).to_rfc3339()
}

/// The dog-keeping survey of seed 001, open now for an hour, named, one answer per household.
pub fn survey() -> Value {
    json!({
        "title": "养犬情况调查",
        "description": "为起草**文明养犬公约**开展调查。",
        "questions": [
            { "kind": "single", "text": "您家是否养犬？", "required": true, "options": ["养犬", "不养犬"] },
            { "kind": "multiple", "text": "最希望约束的行为", "options": ["不拴绳", "不清理粪便", "犬吠扰民"], "max_picks": 2 },
            { "kind": "rating", "text": "对束犬链规定的赞同程度", "required": true },
            { "kind": "text", "text": "其他意见" }
        ],
        "audience": "owners",
        "anonymous": false,
        "answer_per": "holder",
        "allow_edit": false,
        "results_visibility": "live",
        "opens_at": at(Duration::minutes(-1)),
        "closes_at": at(Duration::hours(1)),
    })
}

/// `base` with the fields of `extra` set.
fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn answers(dog: i32, picks: &[i32], rating: i32, text: Option<&str>) -> Value {
    json!({ "answers": [
        { "choices": [dog] },
        if picks.is_empty() { json!({}) } else { json!({ "choices": picks }) },
        { "rating": rating },
        match text { Some(t) => json!({ "text": t }), None => json!({}) },
    ] })
}

pub async fn create(app: &TestApp, token: &str, compound: i64, body: Value) -> Res {
    app.post(&format!("/api/v1/compounds/{compound}/questionnaires"), Some(token), body).await
}

/// Build and publish; returns the questionnaire's id.
async fn publish(app: &TestApp, token: &str, compound: i64, body: Value) -> i64 {
    let id = create(app, token, compound, body).await.expect(StatusCode::CREATED).id();
    let q = app.post(&format!("/api/v1/questionnaires/{id}/publish"), Some(token), json!({})).await;
    let q = q.expect(StatusCode::OK);
    assert_eq!(q.body["status"], "published", "{}", q.body);
    id
}

async fn answer(app: &TestApp, token: &str, id: i64, body: Value) -> Res {
    app.post(&format!("/api/v1/questionnaires/{id}/answers"), Some(token), body).await
}

/// Verified owners of a compound whose units all lie in one building, by building name.
async fn owners_by_building(app: &TestApp, compound: i64) -> BTreeMap<String, Vec<String>> {
    let mut buildings_of: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for u in app.units(compound).await {
        let b = u["building_name"].as_str().unwrap().to_owned();
        buildings_of.entry(u["holder_id"].as_i64().unwrap()).or_default().insert(b);
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in app.holders(compound).await {
        let bs = &buildings_of[&h["id"].as_i64().unwrap()];
        if h["is_developer"] == true || bs.len() != 1 {
            continue;
        }
        for u in h["linked_users"].as_array().unwrap() {
            out.entry(bs.iter().next().unwrap().clone()).or_default().push(u["username"].as_str().unwrap().to_owned());
        }
    }
    out
}

async fn building_id(app: &TestApp, compound: i64, name: &str) -> i64 {
    let admin = app.token("admin").await;
    let d = app.get(&format!("/api/v1/compounds/{compound}"), &admin).await.expect(StatusCode::OK);
    d.body["buildings"].as_array().unwrap().iter().find(|b| b["name"] == name).unwrap()["id"].as_i64().unwrap()
}

/// Households (holders) a compound's owners' questionnaire asks: all but the developer.
async fn households(app: &TestApp, compound: i64) -> i64 {
    app.holders(compound).await.iter().filter(|h| h["is_developer"] == false).count() as i64
}

/// A second account, verified for the same holder as `owner`.
async fn second_account(app: &TestApp, compound: i64, owner: &str, login: &str) {
    app.create_user(login).await;
    let holder = app
        .holders(compound)
        .await
        .into_iter()
        .find(|h| h["linked_users"].as_array().unwrap().iter().any(|u| u["username"] == owner))
        .unwrap();
    app.link_owner(holder["id"].as_i64().unwrap(), login).await;
}

async fn audit_actions(app: &TestApp, id: i64) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("questionnaire:{id}")))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_committee_builds_a_questionnaire_and_publishing_tells_its_audience() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let owner = app.token("owner001").await;
    let draft = create(&app, &committee, tyc, survey()).await.expect(StatusCode::CREATED);
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(draft.body["questions"].as_array().unwrap().len(), 4);
    let id = draft.id();
    // Nobody but its builders sees a draft.
    app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::NOT_FOUND);
    let listed = app.get(&format!("/api/v1/compounds/{tyc}/questionnaires"), &owner).await.expect(StatusCode::OK);
    assert!(!listed.body.as_array().unwrap().iter().any(|q| q["id"] == id));
    app.patch(
        &format!("/api/v1/questionnaires/{id}"),
        &committee,
        with(survey(), json!({ "title": "养犬情况调查（修订）" })),
    )
    .await
    .expect(StatusCode::OK);

    let q = app.post(&format!("/api/v1/questionnaires/{id}/publish"), Some(&committee), json!({})).await;
    let q = q.expect(StatusCode::OK);
    assert_eq!((q.body["status"].as_str(), q.body["open"].as_bool()), (Some("published"), Some(true)));
    app.post(&format!("/api/v1/questionnaires/{id}/publish"), Some(&committee), json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    app.patch(&format!("/api/v1/questionnaires/{id}"), &committee, survey()).await.expect(StatusCode::CONFLICT);

    let inbox = app.get("/api/v1/me/inbox", &owner).await.expect(StatusCode::OK);
    let notice = inbox.body.as_array().unwrap().iter().find(|n| n["link"] == format!("/questionnaires/{id}")).cloned();
    let notice = notice.expect("the owner is told");
    assert_eq!(notice["kind"], "questionnaire");
    // The property company is not an owner: an owners' questionnaire does not go to it.
    let property = app.token("property").await;
    let inbox = app.get("/api/v1/me/inbox", &property).await.expect(StatusCode::OK);
    assert!(!inbox.body.as_array().unwrap().iter().any(|n| n["link"] == format!("/questionnaires/{id}")));

    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(view.body["title"], "养犬情况调查（修订）");
    assert_eq!(view.body["my"]["eligible"], true);
    assert_eq!(view.body["my"]["can_submit"], true);
    assert_eq!(view.body["can_manage"], false);
    let actions: Vec<String> = audit_actions(&app, id).await.into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["questionnaire.drafted", "questionnaire.draft_changed", "questionnaire.published"]);
}

#[tokio::test]
async fn bad_questions_and_answers_are_refused_naming_the_field_and_the_question() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let bad = with(
        survey(),
        json!({ "questions": [
            { "kind": "rating", "text": "打分" },
            { "kind": "single", "text": "养犬吗", "options": ["是"] },
            { "kind": "multiple", "text": "  ", "options": ["甲", "乙", "甲"], "max_picks": 5 },
        ] }),
    );
    let res = create(&app, &committee, tyc, bad).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let fields = res.body["error"]["fields"].as_object().unwrap();
    for f in ["questions[1].options", "questions[2].text", "questions[2].options[2]", "questions[2].max_picks"] {
        assert!(fields.contains_key(f), "{f} missing from {fields:?}");
    }
    assert!(!fields.keys().any(|k| k.starts_with("questions[0]")), "{fields:?}");

    for (extra, field) in [
        (json!({ "anonymous": true, "allow_edit": true }), "allow_edit"),
        (json!({ "audience": "residents", "answer_per": "holder" }), "answer_per"),
        (json!({ "audience": "buildings" }), "building_ids"),
        (json!({ "closes_at": at(Duration::hours(-1)) }), "closes_at"),
        (json!({ "title": "" }), "title"),
    ] {
        let res = create(&app, &committee, tyc, with(survey(), extra)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"][field].is_string(), "{field}: {}", res.body);
    }

    let id = publish(&app, &committee, tyc, survey()).await;
    let owner = app.token("owner001").await;
    let res = answer(&app, &owner, id, json!({ "answers": [{}, {}, { "rating": 7 }, {}] })).await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["answers[0]"], "is required");
    assert_eq!(res.body["error"]["fields"]["answers[2]"], "rate from 1 to 5");
    let res = answer(&app, &owner, id, answers(0, &[0, 1, 2], 5, None)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["answers[1]"], "pick at most 2 option(s)");
    let res = answer(&app, &owner, id, json!({ "answers": [{ "choices": [0] }] })).await;
    assert!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["answers"].is_string());
    // Nothing was stored by the refusals.
    let stored = questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(stored.is_empty());
}

#[tokio::test]
async fn two_accounts_of_one_holder_answer_once_between_them() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    second_account(&app, tyc, "owner001", "owner001b").await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, survey()).await;
    let (a, b) = (app.token("owner001").await, app.token("owner001b").await);
    answer(&app, &a, id, answers(0, &[0], 5, None)).await.expect(StatusCode::CREATED);
    let res = answer(&app, &b, id, answers(1, &[], 2, None)).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_answered");
    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &b).await.expect(StatusCode::OK);
    assert_eq!(
        (view.body["my"]["answered"].as_bool(), view.body["my"]["can_submit"].as_bool()),
        (Some(true), Some(false))
    );
    let rows = questionnaire_answer::Entity::find()
        .filter(questionnaire_answer::Column::QuestionnaireId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(view.body["respondents"], 1);
}

#[tokio::test]
async fn per_person_every_account_answers_once() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    second_account(&app, tyc, "owner001", "owner001b").await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, with(survey(), json!({ "answer_per": "person" }))).await;
    let (a, b) = (app.token("owner001").await, app.token("owner001b").await);
    answer(&app, &a, id, answers(0, &[0], 5, None)).await.expect(StatusCode::CREATED);
    answer(&app, &b, id, answers(0, &[1], 4, None)).await.expect(StatusCode::CREATED);
    let res = answer(&app, &a, id, answers(1, &[], 1, None)).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_answered");
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    assert_eq!(r.body["respondents"], 2);
}

#[tokio::test]
async fn only_the_audience_sees_and_answers_and_other_compounds_see_nothing() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let by_building = owners_by_building(&app, tyc).await;
    let b1 = building_id(&app, tyc, "1号楼").await;
    let committee = app.token("committee").await;
    let body = with(survey(), json!({ "audience": "buildings", "building_ids": [b1] }));
    let id = publish(&app, &committee, tyc, body).await;
    let inside = app.token(&by_building["1号楼"][0]).await;
    let outside = app.token(&by_building["3号楼"][0]).await;

    // An owner of another building: not asked, so the questionnaire is not there for them.
    app.get(&format!("/api/v1/questionnaires/{id}"), &outside).await.expect(StatusCode::NOT_FOUND);
    let res = answer(&app, &outside, id, answers(0, &[], 3, None)).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    let list = app.get(&format!("/api/v1/compounds/{tyc}/questionnaires"), &outside).await.expect(StatusCode::OK);
    assert!(!list.body.as_array().unwrap().iter().any(|q| q["id"] == id));
    let list = app.get(&format!("/api/v1/compounds/{tyc}/questionnaires"), &inside).await.expect(StatusCode::OK);
    assert!(list.body.as_array().unwrap().iter().any(|q| q["id"] == id && q["answered"] == false));

    // People of another compound reach nothing of this one.
    let shs = app.compound_id(SHS).await;
    let shs_owner = app.owner_of(shs).await;
    for login in ["property2", "committee2", "member2", shs_owner.as_str()] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/questionnaires/{id}"), &t).await.expect(StatusCode::NOT_FOUND);
        answer(&app, &t, id, answers(0, &[], 3, None)).await.expect(StatusCode::NOT_FOUND);
        app.get(&format!("/api/v1/questionnaires/{id}/results"), &t).await.expect(StatusCode::NOT_FOUND);
        create(&app, &t, tyc, survey()).await.expect(StatusCode::NOT_FOUND);
    }
    // The property company sees it (it is one of the parties) but is not asked; an owner and the
    // community's social worker may not build one.
    let property = app.token("property").await;
    app.get(&format!("/api/v1/questionnaires/{id}"), &property).await.expect(StatusCode::OK);
    answer(&app, &property, id, answers(0, &[], 3, None)).await.expect(StatusCode::FORBIDDEN);
    create(&app, &inside, tyc, survey()).await.expect(StatusCode::FORBIDDEN);
    create(&app, &app.token("staff").await, tyc, survey()).await.expect(StatusCode::FORBIDDEN);
    app.post(&format!("/api/v1/questionnaires/{id}/close"), Some(&inside), json!({}))
        .await
        .expect(StatusCode::FORBIDDEN);
    app.get(&format!("/api/v1/questionnaires/{id}/export.csv"), &inside).await.expect(StatusCode::FORBIDDEN);

    answer(&app, &inside, id, answers(0, &[], 3, None)).await.expect(StatusCode::CREATED);
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    let b1_households = app
        .units(tyc)
        .await
        .iter()
        .filter(|u| u["building_id"] == b1 && u["holder_key"] != "developer")
        .map(|u| u["holder_id"].as_i64().unwrap())
        .collect::<BTreeSet<_>>()
        .len() as i64;
    assert_eq!(r.body["audience_heads"], b1_households);
}

/// Owners of `compound` who hold one household only there, with their holder's id.
async fn single_household_owners(app: &TestApp, compound: i64) -> Vec<(i64, String)> {
    let all = crate::votes::linked(app, compound).await;
    all.iter()
        .filter(|(h, login)| h["is_developer"] == false && all.iter().filter(|(_, l)| l == login).count() == 1)
        .map(|(h, login)| (crate::votes::hid(h), login.clone()))
        .collect()
}

/// Everything an observer can read of a questionnaire: a committee member its results, response
/// rate, respondents on its page and in the list, and both exports; the secretary the audit trail.
#[derive(Debug, PartialEq)]
struct Observed {
    results: Value,
    on_page: Value,
    in_list: Value,
    csv: Vec<u8>,
    xlsx: Vec<Vec<Vec<String>>>,
    audit: Vec<Value>,
}

async fn observe(app: &TestApp, committee: &str, secretary: &str, compound: i64, id: i64) -> Observed {
    let q = |path: String| async move { app.get(&path, committee).await.expect(StatusCode::OK) };
    let results = q(format!("/api/v1/questionnaires/{id}/results")).await.body;
    let on_page = q(format!("/api/v1/questionnaires/{id}")).await.body["respondents"].clone();
    let list = q(format!("/api/v1/compounds/{compound}/questionnaires")).await.body;
    let in_list = list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["respondents"].clone();
    let csv = q(format!("/api/v1/questionnaires/{id}/export.csv")).await.bytes;
    let bytes = q(format!("/api/v1/questionnaires/{id}/export.xlsx")).await.bytes;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let xlsx = book
        .sheet_names()
        .iter()
        .map(|name| {
            let sheet = book.worksheet_range(name).unwrap();
            sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        })
        .collect();
    let audit = app.get(&format!("/api/v1/audit?compound_id={compound}&limit=500"), secretary).await;
    let audit = audit.expect(StatusCode::OK).body.as_array().unwrap().clone();
    Observed { results, on_page, in_list, csv, xlsx, audit }
}

#[tokio::test]
async fn an_anonymous_answer_cannot_be_joined_to_its_author() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let secretary = app.token("secretary").await;
    let id = publish(&app, &committee, tyc, with(survey(), json!({ "anonymous": true }))).await;
    let owners: Vec<String> = single_household_owners(&app, tyc).await.into_iter().map(|(_, l)| l).take(12).collect();
    assert_eq!(owners.len(), 12, "the demo has a dozen single-household owners");

    // An observer reads everything between any two answers: nothing moves for the 1st to the 4th,
    // everything at the 5th, nothing again until the 10th.
    let mut before = observe(&app, &committee, &secretary, tyc, id).await;
    assert_eq!(before.results["respondents"], 0);
    for (i, login) in owners.iter().enumerate() {
        let n = i as i64 + 1;
        let t = app.token(login).await;
        let text = format!("答卷{i}");
        app.send(
            Method::PUT,
            &format!("/api/v1/questionnaires/{id}/draft"),
            Some(&t),
            json!({ "answers": [{}, {}, { "rating": 1 }, {}] }),
        )
        .await
        .expect(StatusCode::OK);
        answer(&app, &t, id, answers(i as i32 % 2, &[], i as i32 % 5 + 1, Some(&text)))
            .await
            .expect(StatusCode::CREATED);
        // Its author sees at once that they have answered.
        let view = app.get(&format!("/api/v1/questionnaires/{id}"), &t).await.expect(StatusCode::OK);
        assert_eq!(view.body["my"]["answered"], true);
        assert_eq!(view.body["my"]["can_submit"], false);
        // Not even its author can be shown it back: nothing leads from them to it.
        assert!(view.body["my"]["answers"].is_null(), "{}", view.body["my"]);

        let after = observe(&app, &committee, &secretary, tyc, id).await;
        if n % 5 != 0 {
            assert_eq!(after, before, "answer {n} showed");
            continue;
        }
        let released = n;
        assert_eq!(
            (&after.results["respondents"], &after.on_page, &after.in_list),
            (&json!(released), &json!(released), &json!(released))
        );
        assert_eq!(after.results["questions"][3]["texts"].as_array().unwrap().len() as i64, released);
        assert_ne!(after.csv, before.csv);
        assert_ne!(after.xlsx, before.xlsx);
        assert_eq!(after.xlsx[1].len() as i64, released + 1, "a header and one row per released answer");
        // One event for the step, and none other.
        let new: Vec<&Value> = after.audit.iter().filter(|e| !before.audit.contains(e)).collect();
        assert_eq!(new.len(), 1, "{new:?}");
        assert_eq!(
            (new[0]["action"].as_str(), &new[0]["actor"]),
            (Some("questionnaire.answers_released"), &Value::Null)
        );
        assert_eq!(new[0]["detail"]["answers"], 5);
        assert_eq!(new[0]["detail"]["respondents"], released);
        before = after;
    }

    // The answer table has no column naming a person, a holder or a time, and they are all empty.
    let rows = questionnaire_answer::Entity::find()
        .filter(questionnaire_answer::Column::QuestionnaireId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), owners.len());
    assert_eq!(rows.iter().filter(|r| r.released).count(), 10, "the last two wait for their step");
    for r in &rows {
        assert_eq!((r.user_id, r.holder_id, &r.respondent_key, r.submitted_at), (None, None, &None, None));
        let uuid = uuid::Uuid::parse_str(&r.id).expect("a UUID");
        assert_eq!(uuid.get_version_num(), 4, "a random id, not one derived from anything");
    }
    let columns = |table: &'static str| {
        let db = app.db.clone();
        async move {
            let sql = match db.get_database_backend() {
                DatabaseBackend::Sqlite => format!("SELECT name AS c FROM pragma_table_info('{table}')"),
                _ => format!(
                    "SELECT column_name::text AS c FROM information_schema.columns WHERE table_name = '{table}'"
                ),
            };
            let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
            rows.iter().map(|r| r.try_get::<String>("", "c").unwrap()).collect::<BTreeSet<_>>()
        }
    };
    let answer_cols = columns("questionnaire_answers").await;
    assert_eq!(
        answer_cols,
        ["answers", "holder_id", "id", "questionnaire_id", "released", "respondent_key", "submitted_at", "user_id"]
            .map(String::from)
            .into()
    );
    // Participation says who took part, and nothing about what or when.
    let part_cols = columns("questionnaire_participations").await;
    assert_eq!(
        part_cols,
        ["holder_id", "id", "questionnaire_id", "released", "respondent_key", "user_id"].map(String::from).into()
    );

    // No order joins them either: the rows are stored in the order of their random ids, whatever
    // order people answered in (SQLite's rowid, PostgreSQL's physical position).
    let position = match app.db.get_database_backend() {
        DatabaseBackend::Sqlite => "rowid",
        _ => "ctid",
    };
    let physical = format!("SELECT id FROM questionnaire_answers WHERE questionnaire_id = {id} ORDER BY {position}");
    let stmt = Statement::from_string(app.db.get_database_backend(), physical);
    let stored: Vec<String> =
        app.db.query_all_raw(stmt).await.unwrap().iter().map(|r| r.try_get::<String>("", "id").unwrap()).collect();
    let mut by_id = stored.clone();
    by_id.sort();
    assert_eq!(stored, by_id);

    // The audit chain has no event per answer, only the steps, with no actor.
    let events = audit_actions(&app, id).await;
    assert!(!events.iter().any(|e| e.action == "questionnaire.answered"), "{events:?}");
    let steps: Vec<&audit_event::Model> =
        events.iter().filter(|e| e.action == "questionnaire.answers_released").collect();
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|e| e.actor_id.is_none()));
    // Drafts went when the answers were sent.
    let drafts = questionnaire_draft::Entity::find()
        .filter(questionnaire_draft::Column::QuestionnaireId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(drafts.is_empty());
    // The parties read the answers, with no names.
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    assert_eq!(r.body["named"], false);
    let texts = r.body["questions"][3]["texts"].as_array().unwrap();
    assert!(texts.iter().all(|t| t["author"].is_null()));
    // And nobody can change an anonymous answer.
    let t = app.token(&owners[0]).await;
    let res = app
        .send(Method::PUT, &format!("/api/v1/questionnaires/{id}/answers/mine"), Some(&t), answers(0, &[], 3, None))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "answer_not_editable");
    // Someone of another compound reads none of it.
    let other = app.token("committee2").await;
    for path in ["", "/results", "/export.csv", "/export.xlsx"] {
        app.get(&format!("/api/v1/questionnaires/{id}{path}"), &other).await.expect(StatusCode::NOT_FOUND);
    }
    app.get(&format!("/api/v1/audit?compound_id={tyc}"), &other).await.expect(StatusCode::NOT_FOUND);

    // At close the last two come out, in one step, before the closing.
    app.post(&format!("/api/v1/questionnaires/{id}/close"), Some(&committee), json!({})).await.expect(StatusCode::OK);
    let closed = observe(&app, &committee, &secretary, tyc, id).await;
    assert_eq!(
        (&closed.results["respondents"], &closed.on_page, &closed.in_list),
        (&json!(12), &json!(12), &json!(12))
    );
    assert_eq!(closed.results["questions"][3]["texts"].as_array().unwrap().len(), 12);
    let new: Vec<&Value> = closed.audit.iter().filter(|e| !before.audit.contains(e)).collect();
    let actions: Vec<&str> = new.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["questionnaire.closed", "questionnaire.answers_released"], "newest first");
    assert_eq!((&new[1]["detail"]["answers"], &new[1]["detail"]["at_close"]), (&json!(2), &json!(true)));
    assert_eq!(new[0]["detail"]["respondents"], 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_anonymous_answers_release_each_step_once() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, with(survey(), json!({ "anonymous": true }))).await;
    let mut tokens = Vec::new();
    for (_, login) in single_household_owners(&app, tyc).await.into_iter().take(13) {
        tokens.push(app.token(&login).await);
    }
    assert_eq!(tokens.len(), 13);
    for t in &tokens[..4] {
        answer(&app, t, id, answers(0, &[], 3, None)).await.expect(StatusCode::CREATED);
    }
    // Nine at once: the 5th and the 10th are among them, whichever arrive first.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(9));
    let tasks: Vec<_> = tokens[4..]
        .iter()
        .map(|t| {
            let (app, t, barrier) = (app.clone(), t.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                answer(&app, &t, id, answers(1, &[], 4, None)).await.status
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::CREATED);
    }
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    assert_eq!(r.body["respondents"], 10);
    assert_eq!(r.body["questions"][2]["answered"], 10);
    let steps: Vec<String> = audit_actions(&app, id)
        .await
        .into_iter()
        .filter(|e| e.action == "questionnaire.answers_released")
        .map(|e| e.detail)
        .collect();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(steps.iter().all(|d| d.contains(r#""answers":5"#)), "{steps:?}");
    let q = questionnaire::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(q.pending_answers, 3);
}

#[tokio::test]
async fn results_count_options_ratings_and_texts_and_the_response_rate_by_households() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, survey()).await;
    for (login, body) in [
        ("owner001", answers(0, &[0, 1], 5, Some("请设置便袋箱"))),
        ("owner002", answers(1, &[0], 4, None)),
        ("owner003", answers(0, &[], 2, Some("夜间犬吠严重"))),
    ] {
        answer(&app, &app.token(login).await, id, body).await.expect(StatusCode::CREATED);
    }
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK).body;
    assert_eq!(r["respondents"], 3);
    let heads = households(&app, tyc).await;
    assert_eq!(r["audience_heads"], heads);
    // 3 of the households, in percent rounded half up to one decimal, computed in integers.
    let tenths = (3 * 2000 + heads) / (heads * 2);
    assert_eq!(r["response_rate"].as_f64().unwrap(), tenths as f64 / 10.0);

    let q = &r["questions"];
    assert_eq!(q[0]["answered"], 3);
    assert_eq!(q[0]["options"][0], json!({ "option": "养犬", "count": 2, "percent": 66.7 }));
    assert_eq!(q[0]["options"][1], json!({ "option": "不养犬", "count": 1, "percent": 33.3 }));
    assert_eq!(q[1]["answered"], 2);
    let counts: Vec<i64> = q[1]["options"].as_array().unwrap().iter().map(|o| o["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [2, 1, 0]);
    assert_eq!(q[1]["options"][0]["percent"], 100.0);
    assert_eq!(q[1]["options"][1]["percent"], 50.0);
    assert_eq!(q[2]["rating"], json!({ "distribution": [0, 1, 0, 1, 1], "sum": 11, "average": 3.67 }));
    let texts: Vec<&str> = q[3]["texts"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["请设置便袋箱", "夜间犬吠严重"]);
    // Named: the parties see who wrote what; owners (results live) see the words only.
    assert!(q[3]["texts"][0]["author"].is_string());
    let owner = app.token("owner002").await;
    let seen = app.get(&format!("/api/v1/questionnaires/{id}/results"), &owner).await.expect(StatusCode::OK).body;
    assert_eq!(seen["named"], false);
    assert!(seen["questions"][3]["texts"][0]["author"].is_null());
    assert_eq!(seen["questions"][0]["options"], q[0]["options"]);
}

#[tokio::test]
async fn results_stay_hidden_from_owners_until_close_when_so_chosen() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, with(survey(), json!({ "results_visibility": "after_close" }))).await;
    let owner = app.token("owner001").await;
    answer(&app, &owner, id, answers(0, &[], 5, None)).await.expect(StatusCode::CREATED);
    let res = app.get(&format!("/api/v1/questionnaires/{id}/results"), &owner).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "results_after_close");
    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(view.body["results_visible"], false);
    // The parties see them all along.
    for login in ["committee", "secretary", "staff", "property"] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/questionnaires/{id}/results"), &t).await.expect(StatusCode::OK);
    }

    let closed = app.post(&format!("/api/v1/questionnaires/{id}/close"), Some(&committee), json!({})).await;
    assert_eq!(closed.expect(StatusCode::OK).body["status"], "closed");
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &owner).await.expect(StatusCode::OK);
    assert_eq!(r.body["questions"][0]["options"][0]["count"], 1);
    let res = answer(&app, &app.token("owner002").await, id, answers(0, &[], 5, None)).await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "questionnaire_not_open");
    let inbox = app.get("/api/v1/me/inbox", &owner).await.expect(StatusCode::OK);
    assert!(inbox.body.as_array().unwrap().iter().any(|n| n["kind"] == "questionnaire_closed"));
    let closed_event = audit_actions(&app, id).await.into_iter().find(|e| e.action == "questionnaire.closed").unwrap();
    let detail: Value = serde_json::from_str(&closed_event.detail).unwrap();
    assert_eq!(detail["respondents"], 1);
}

#[tokio::test]
async fn a_questionnaire_closes_on_time_by_itself() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, survey()).await;
    questionnaire::Entity::update_many()
        .col_expr(questionnaire::Column::ClosesAt, Expr::value(Utc::now() - Duration::seconds(1)))
        .filter(questionnaire::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    assert!(sanfang::questionnaires::lifecycle::tick(&app.db).await.unwrap() >= 1);
    let q = questionnaire::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(q.status.to_value(), "closed");
    assert_eq!(q.audience_heads, Some(households(&app, tyc).await));
    let events = audit_actions(&app, id).await;
    let closed = events.iter().find(|e| e.action == "questionnaire.closed").unwrap();
    assert_eq!(closed.actor_id, None);
}

#[tokio::test]
async fn named_answers_keep_their_author_and_change_until_close_when_allowed() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, with(survey(), json!({ "allow_edit": true }))).await;
    let owner = app.token("owner001").await;
    let receipt = answer(&app, &owner, id, answers(0, &[0], 5, Some("先这样"))).await.expect(StatusCode::CREATED);
    assert_eq!(receipt.body["can_edit"], true);
    let path = format!("/api/v1/questionnaires/{id}/answers/mine");
    app.send(Method::PUT, &path, Some(&owner), answers(1, &[], 2, Some("改主意了"))).await.expect(StatusCode::OK);
    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(view.body["my"]["answers"][0]["choices"], json!([1]));
    assert_eq!(view.body["my"]["can_edit"], true);
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    let text = &r.body["questions"][3]["texts"][0];
    assert_eq!(text["text"], "改主意了");
    assert!(!text["author"].as_str().unwrap().is_empty());
    // Someone who has not answered has nothing to change.
    let other = app.token("owner002").await;
    app.send(Method::PUT, &path, Some(&other), answers(1, &[], 2, None)).await.expect(StatusCode::NOT_FOUND);
    let actions: Vec<audit_event::Model> = audit_actions(&app, id).await;
    let changed = actions.iter().find(|e| e.action == "questionnaire.answer_changed").unwrap();
    assert!(changed.actor_id.is_some());
    app.post(&format!("/api/v1/questionnaires/{id}/close"), Some(&committee), json!({})).await.expect(StatusCode::OK);
    let res = app.send(Method::PUT, &path, Some(&owner), answers(0, &[], 1, None)).await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "questionnaire_not_open");

    // Without the creator's leave, an answer stays as sent.
    let fixed = publish(&app, &committee, tyc, survey()).await;
    answer(&app, &owner, fixed, answers(0, &[], 5, None)).await.expect(StatusCode::CREATED);
    let res = app
        .send(
            Method::PUT,
            &format!("/api/v1/questionnaires/{fixed}/answers/mine"),
            Some(&owner),
            answers(1, &[], 1, None),
        )
        .await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "answer_not_editable");
}

#[tokio::test]
async fn a_draft_answer_is_kept_for_its_writer_alone() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, survey()).await;
    let owner = app.token("owner001").await;
    let path = format!("/api/v1/questionnaires/{id}/draft");
    let partial = json!({ "answers": [{ "choices": [1] }, {}, {}, { "text": "还没想好" }] });
    let saved = app.send(Method::PUT, &path, Some(&owner), partial.clone()).await.expect(StatusCode::OK);
    assert!(saved.body["saved_at"].is_string());
    let bad = json!({ "answers": [{ "choices": [9] }, {}, {}, {}] });
    let res = app.send(Method::PUT, &path, Some(&owner), bad).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["answers[0]"].is_string());
    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(view.body["my"]["draft"][0]["choices"], json!([1]));
    assert_eq!(view.body["my"]["draft"][3]["text"], "还没想好");
    assert_eq!(view.body["my"]["answered"], false);
    let other = app.get(&format!("/api/v1/questionnaires/{id}"), &app.token("owner002").await).await;
    assert!(other.expect(StatusCode::OK).body["my"]["draft"].is_null());
    // A draft is not an answer: nobody counts it.
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &committee).await.expect(StatusCode::OK);
    assert_eq!(r.body["respondents"], 0);
    answer(&app, &owner, id, answers(1, &[], 3, Some("想好了"))).await.expect(StatusCode::CREATED);
    let view = app.get(&format!("/api/v1/questionnaires/{id}"), &owner).await.expect(StatusCode::OK);
    assert!(view.body["my"]["draft"].is_null());
}

#[tokio::test]
async fn exports_read_back_as_csv_and_xlsx() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = publish(&app, &committee, tyc, survey()).await;
    for (login, body) in [
        ("owner001", answers(0, &[0, 1], 5, Some("=HYPERLINK(\"http://x\")"))),
        ("owner002", answers(1, &[0], 4, None)),
    ] {
        answer(&app, &app.token(login).await, id, body).await.expect(StatusCode::CREATED);
    }
    let zh = |path: String| {
        let app = app.clone();
        let token = committee.clone();
        async move {
            let req = axum::http::Request::builder()
                .uri(path)
                .header("authorization", format!("Bearer {token}"))
                .header("accept-language", "zh-CN")
                .extension(axum::extract::ConnectInfo(app.client))
                .body(axum::body::Body::empty())
                .unwrap();
            let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
            let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes().to_vec();
            (ct, bytes)
        }
    };

    let (ct, bytes) = zh(format!("/api/v1/questionnaires/{id}/export.csv")).await;
    assert!(ct.starts_with("text/csv"));
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 with a byte-order mark");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["题号", "题目", "题型", "选项或回答", "人数", "百分比"]);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert!(
        rows.contains(&["1", "您家是否养犬？", "单选", "养犬", "1", "50.0%"].map(String::from).to_vec()),
        "{rows:?}"
    );
    assert!(rows.contains(&["2", "最希望约束的行为", "多选", "不拴绳", "2", "100.0%"].map(String::from).to_vec()));
    assert!(rows.contains(&["3", "对束犬链规定的赞同程度", "评分", "平均分", "4.5", ""].map(String::from).to_vec()));
    assert_eq!(rows[0][1], "回收率");
    assert_eq!(rows[0][4], "2");
    // A formula typed into a free-text answer stays text.
    let text = rows.iter().find(|r| r[0] == "4").unwrap();
    assert_eq!(text[3], "'=HYPERLINK(\"http://x\")");

    let (ct, bytes) = zh(format!("/api/v1/questionnaires/{id}/export.xlsx")).await;
    assert!(ct.contains("spreadsheetml"));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "答卷"]);
    let summary = book.worksheet_range("汇总").unwrap();
    let found =
        summary.rows().any(|r| r.get(3) == Some(&Data::String("不养犬".into())) && r.get(4) == Some(&Data::Float(1.0)));
    assert!(found, "{summary:?}");
    let answers_sheet = book.worksheet_range("答卷").unwrap();
    let rows: Vec<&[Data]> = answers_sheet.rows().collect();
    assert_eq!(rows.len(), 3, "a header and one row per answer");
    assert_eq!(rows[0][1], Data::String("答题人".into()));
    assert_eq!(rows[1][3], Data::String("不拴绳；不清理粪便".into()));
    assert_eq!(rows[1][5], Data::String("=HYPERLINK(\"http://x\")".into()), "stored as text, not as a formula");
    assert_eq!(rows[2][4], Data::Float(4.0));

    // Owners read results on the page; the exports are for the parties.
    let owner = app.token("owner001").await;
    app.get(&format!("/api/v1/questionnaires/{id}/export.xlsx"), &owner).await.expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_has_the_dog_keeping_survey_with_some_answers() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let list = app.get(&format!("/api/v1/compounds/{tyc}/questionnaires"), &owner).await.expect(StatusCode::OK);
    let q = list.body.as_array().unwrap().iter().find(|q| q["title"] == "养犬情况调查").cloned().unwrap();
    assert_eq!(
        (q["open"].as_bool(), q["anonymous"].as_bool(), q["answered"].as_bool()),
        (Some(true), Some(true), Some(false))
    );
    // Six households have answered; readers see the first step of five.
    assert_eq!(q["respondents"], 5);
    let id = q["id"].as_i64().unwrap();
    let r = app.get(&format!("/api/v1/questionnaires/{id}/results"), &owner).await.expect(StatusCode::OK);
    assert_eq!(r.body["questions"][0]["options"][0]["count"], 2);
    assert_eq!(r.body["questions"][2]["rating"]["sum"], 22);
    let report = sanfang::audit::verify(&app.db).await.unwrap();
    assert!(matches!(report, sanfang::audit::VerifyReport::Ok { .. }), "{report:?}");
}

#[tokio::test]
async fn a_questionnaire_informs_an_agenda_of_its_own_compound_or_community_only() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let committee = app.token("committee").await;
    let here = crate::agendas::open(&app, &committee, tyc, "养犬公约起草").await.expect(StatusCode::CREATED).id();
    let there = crate::agendas::open(&app, &app.token("committee2").await, shs, "上河议题")
        .await
        .expect(StatusCode::CREATED)
        .id();
    for wrong in [there, 999_999] {
        let res = create(&app, &committee, tyc, with(survey(), json!({ "agenda_id": wrong })))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"]["agenda_id"].is_string(), "{}", res.body);
    }
    let q = create(&app, &committee, tyc, with(survey(), json!({ "agenda_id": here }))).await;
    assert_eq!(q.expect(StatusCode::CREATED).body["agenda_id"], here);
}
