//! Conventions: drafted by the party each kind belongs to, seen only by their drafters until the
//! consultation opens, edited article by article with stable ids, commented and amended by the
//! compound, every comment answered once with a reason, an amendment overtaken by an edit of its
//! article rebased before it is adopted, and the consultation's report; and every refusal on the
//! way, with what was (not) stored.
use std::io::{Cursor, Write};

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// The id the first article of [`four_articles`] gets: ids are issued in order, chapters and
/// articles from one counter (`c1`, `a2`, `a3`, `c4` …).
pub(crate) const FIRST_ARTICLE: &str = "a2";

async fn post(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.post(path, Some(&t), body).await
}

async fn put(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.send(Method::PUT, path, Some(&t), body).await
}

async fn get(app: &TestApp, login: &str, path: &str) -> Res {
    let t = app.token(login).await;
    app.get(path, &t).await
}

async fn delete(app: &TestApp, login: &str, path: &str) -> Res {
    let t = app.token(login).await;
    app.delete(path, &t).await
}

fn conv(id: i64) -> String {
    format!("/api/v1/conventions/{id}")
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// 一 … 九十九, as the server numbers chapters and articles.
fn cn(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        (0, u) => D[u].to_owned(),
        (1, u) => format!("十{}", D[u]),
        (t, u) => format!("{}十{}", D[t], D[u]),
    }
}

/// The `error.fields` of a refusal.
fn fields(res: &Res) -> Vec<String> {
    res.body["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

/// A refusal of one field.
#[track_caller]
fn refused_at(res: Res, field: &str) {
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "validation_failed", "{}", res.body);
    assert_eq!(fields(&res), [field], "{}", res.body);
}

/// A conflict of `code`.
#[track_caller]
fn conflict(res: Res, code: &str) {
    let res = res.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), code, "{}", res.body);
}

/// Two chapters of two articles each.
fn four_articles() -> Value {
    json!({ "preamble": "为维护小区公共秩序，经协商制定本公约。", "chapters": [
        { "title": "总则", "articles": [
            { "text": "本公约适用于本小区全体业主和住户。" },
            { "text": "业主委员会负责本公约的解释。" } ] },
        { "title": "公共秩序", "articles": [
            { "text": "晚上十点以后不得在公共区域大声喧哗。" },
            { "text": "不得在楼道内堆放杂物。" } ] } ] })
}

/// A residents' convention of 太阳城二期 drafted by its owners' committee from [`four_articles`].
async fn drafted(app: &TestApp) -> Value {
    let tyc = app.compound_id(TYC).await;
    let new = json!({ "kind": "residents", "title": "楼道公约", "body": four_articles() });
    post(app, "committee", &format!("/api/v1/compounds/{tyc}/conventions"), new).await.expect(StatusCode::CREATED).body
}

/// [`drafted`], its consultation opened now for two weeks.
async fn consulting(app: &TestApp) -> Value {
    let id = drafted(app).await["id"].as_i64().unwrap();
    let v = post(app, "committee", &format!("{}/consultation", conv(id)), json!({ "until": in_days(14) }))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(v["phase"], "consulting");
    v
}

/// A residents' convention of 太阳城二期 in consultation, drafted by its owners' committee, and
/// owner001's amendment of its first article ([`FIRST_ARTICLE`]): what the isolation table aims
/// the conventions' routes at.
pub(crate) async fn in_consultation(app: &TestApp) -> (i64, i64) {
    let v = consulting(app).await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(article_ids(&v)[0], FIRST_ARTICLE);
    let a = amend(app, "owner001", id, FIRST_ARTICLE, 1, "本公约适用于本小区全体业主、住户和租户。")
        .await
        .expect(StatusCode::CREATED);
    (id, a.id())
}

/// The ids of the articles of a convention (or a version, a template), in order.
fn article_ids(v: &Value) -> Vec<String> {
    articles(v).iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

fn articles(v: &Value) -> Vec<Value> {
    v["chapters"].as_array().unwrap().iter().flat_map(|c| c["articles"].as_array().unwrap().clone()).collect()
}

/// The article `id` of a convention view (or a version).
#[track_caller]
fn article(v: &Value, id: &str) -> Value {
    articles(v).into_iter().find(|a| a["id"] == id).unwrap_or_else(|| panic!("no article {id} in {v}"))
}

/// The labels of the articles, in order.
fn labels(v: &Value) -> Vec<String> {
    articles(v).iter().map(|a| a["label"].as_str().unwrap().to_owned()).collect()
}

/// An edit of the convention `v` as it stands: its text (with ids) changed by `change`.
fn edit(v: &Value, change: impl FnOnce(&mut Value)) -> Value {
    let mut body = v["body"].clone();
    change(&mut body);
    json!({ "version": v["version"], "title": v["title"], "body": body })
}

/// An edit that sets the text of article `id`.
fn reword(v: &Value, id: &str, text: &str) -> Value {
    edit(v, |b| {
        for ch in b["chapters"].as_array_mut().unwrap() {
            for a in ch["articles"].as_array_mut().unwrap() {
                if a["id"] == id {
                    a["text"] = json!(text);
                }
            }
        }
    })
}

async fn amend(app: &TestApp, login: &str, id: i64, article: &str, version: i64, wording: &str) -> Res {
    let body = json!({ "article_id": article, "version": version, "kind": "amendment",
                       "text": "写得更清楚些。", "wording": wording });
    post(app, login, &format!("{}/comments", conv(id)), body).await
}

async fn remark(app: &TestApp, login: &str, id: i64, article: &str, version: i64, text: &str) -> Res {
    let body = json!({ "article_id": article, "version": version, "kind": "comment", "text": text });
    post(app, login, &format!("{}/comments", conv(id)), body).await
}

async fn answer(app: &TestApp, login: &str, id: i64, comment: i64, body: Value) -> Res {
    post(app, login, &format!("{}/comments/{comment}/answer", conv(id)), body).await
}

async fn show(app: &TestApp, login: &str, id: i64) -> Value {
    get(app, login, &conv(id)).await.expect(StatusCode::OK).body
}

async fn comments(app: &TestApp, login: &str, id: i64) -> Vec<Value> {
    get(app, login, &format!("{}/comments", conv(id))).await.expect(StatusCode::OK).body.as_array().unwrap().clone()
}

/// Comment `comment` of convention `id`, as `login` sees it.
async fn comment(app: &TestApp, login: &str, id: i64, comment: i64) -> Value {
    let all = comments(app, login, id).await;
    all.into_iter().find(|c| c["id"] == comment).unwrap_or_else(|| panic!("no comment {comment}"))
}

/// The ids of the conventions in the list of a compound, as `login` sees it.
async fn listed(app: &TestApp, login: &str, compound: i64) -> Vec<i64> {
    let res = get(app, login, &format!("/api/v1/compounds/{compound}/conventions")).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

/// The notices of `kind` about convention `id` in the inbox of `login`.
async fn told(app: &TestApp, login: &str, kind: &str, id: i64) -> Vec<Value> {
    let inbox = get(app, login, "/api/v1/me/inbox").await.expect(StatusCode::OK).body;
    let link = format!("/conventions/{id}");
    inbox.as_array().unwrap().iter().filter(|n| n["kind"] == kind && n["link"] == link).cloned().collect()
}

/// The demo's 文明养犬公约 of 太阳城二期, whose consultation has ended.
async fn dog_pact(app: &TestApp) -> i64 {
    let tyc = app.compound_id(TYC).await;
    let list = get(app, "owner001", &format!("/api/v1/compounds/{tyc}/conventions")).await.expect(StatusCode::OK);
    let found = list.body.as_array().unwrap().iter().find(|c| c["title"] == "文明养犬公约").cloned();
    found.unwrap_or_else(|| panic!("no 文明养犬公约 in {}", list.body))["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_covenant_and_the_rules_are_drafted_by_the_owners_committee_and_a_residents_convention_by_any_party() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let community = app.community_id().await;
    let path = format!("/api/v1/compounds/{tyc}/conventions");
    let wide = format!("/api/v1/communities/{community}/conventions");
    let from = |kind: &str, template: &str| json!({ "kind": kind, "title": "草案", "template": template });
    let before = listed(&app, "secretary", tyc).await;

    // From the covenant template: version 1, chapters and articles numbered across chapters.
    let v = post(&app, "committee", &path, from("covenant", "covenant")).await.expect(StatusCode::CREATED).body;
    assert_eq!((v["kind"].as_str(), v["version"].as_i64()), (Some("covenant"), Some(1)));
    assert_eq!((v["status"].as_str(), v["phase"].as_str()), (Some("drafting"), Some("drafting")));
    assert_eq!(v["party_kind"], "owners_committee");
    assert_eq!(v["compound_id"], tyc);
    assert_eq!(v["can"]["edit"], true);
    let chapters = v["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 6, "{v}");
    for (i, ch) in chapters.iter().enumerate() {
        assert_eq!(ch["label"], format!("第{}章", cn(i + 1)), "{ch}");
        assert!(!ch["articles"].as_array().unwrap().is_empty());
    }
    let numbers: Vec<String> = (1..=articles(&v).len()).map(|n| format!("第{}条", cn(n))).collect();
    assert_eq!(labels(&v), numbers);
    assert_eq!(numbers.len(), 22);
    // The second chapter goes on from where the first stopped.
    let first_chapter = chapters[0]["articles"].as_array().unwrap().len();
    assert_eq!(chapters[1]["articles"][0]["label"], format!("第{}条", cn(first_chapter + 1)));
    let ids = article_ids(&v);
    assert_eq!(ids.iter().collect::<std::collections::BTreeSet<_>>().len(), ids.len(), "ids are unique");
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);
    let rules = post(&app, "committee", &path, from("rules", "rules")).await.expect(StatusCode::CREATED);
    assert_eq!(rules.body["party_kind"], "owners_committee");

    // Not by the property company, an owner, or the committee of another compound.
    for (login, status) in [
        ("property", StatusCode::FORBIDDEN),
        ("owner001", StatusCode::FORBIDDEN),
        ("committee2", StatusCode::NOT_FOUND),
    ] {
        for kind in ["covenant", "rules"] {
            let res = post(&app, login, &path, from(kind, kind)).await.expect(status);
            assert!(matches!(res.code(), "forbidden" | "not_found"), "{}", res.body);
        }
    }
    // A residents' convention by any of the three parties, each as itself.
    for (login, party) in
        [("property", "property_company"), ("member", "owners_committee"), ("staff", "community_office")]
    {
        let v = post(&app, login, &path, from("residents", "residents")).await.expect(StatusCode::CREATED).body;
        assert_eq!(v["party_kind"], party, "{login}");
        assert_eq!(v["kind"], "residents");
    }
    post(&app, "owner001", &path, from("residents", "residents")).await.expect(StatusCode::FORBIDDEN);
    post(&app, "property2", &path, from("residents", "residents")).await.expect(StatusCode::NOT_FOUND);
    let unknown = json!({ "kind": "residents", "title": "草案", "template": "nothing" });
    refused_at(post(&app, "committee", &path, unknown).await, "template");
    let blank = json!({ "kind": "residents", "title": "  ", "template": "residents" });
    refused_at(post(&app, "committee", &path, blank).await, "title");
    refused_at(post(&app, "committee", &path, json!({ "kind": "residents", "title": "草案" })).await, "body");

    // For the whole community: the community office alone, and only a residents' convention.
    for login in ["committee", "property", "owner001"] {
        let res = post(&app, login, &wide, from("residents", "residents")).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden");
    }
    post(&app, "secretary", &wide, from("covenant", "covenant")).await.expect(StatusCode::FORBIDDEN);
    let w = post(&app, "secretary", &wide, from("residents", "residents")).await.expect(StatusCode::CREATED).body;
    assert_eq!(w["party_kind"], "community_office");
    assert_eq!(w["compound_id"], Value::Null);
    assert_eq!(w["community_id"], community);

    // What was stored: the six accepted drafts of 太阳城二期, and the community-wide one listed
    // with them, nothing refused.
    let after = listed(&app, "secretary", tyc).await;
    assert_eq!(after.len(), before.len() + 6, "{after:?}");
    assert!(after.contains(&w["id"].as_i64().unwrap()));
    let all = get(&app, "secretary", &wide).await.expect(StatusCode::OK);
    assert!(all.body.as_array().unwrap().iter().any(|c| c["id"] == w["id"] && c["compound_id"].is_null()));
}

#[tokio::test]
async fn a_draft_is_seen_only_by_its_drafting_party_and_the_community_office() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let v = drafted(&app).await;
    let id = v["id"].as_i64().unwrap();
    for login in ["committee", "member", "secretary", "staff"] {
        assert_eq!(show(&app, login, id).await["id"], id, "{login}");
        assert!(listed(&app, login, tyc).await.contains(&id), "{login}");
    }
    assert_eq!(show(&app, "secretary", id).await["can"]["edit"], false);
    let paths = [
        conv(id),
        format!("{}/versions/1", conv(id)),
        format!("{}/compare?from=1&to=1", conv(id)),
        format!("{}/comments", conv(id)),
        format!("{}/report", conv(id)),
    ];
    for login in ["owner001", "property", "committee2"] {
        for path in &paths {
            let res = get(&app, login, path).await.expect(StatusCode::NOT_FOUND);
            assert_eq!(res.code(), "not_found", "{login} {path}");
        }
    }
    for login in ["owner001", "property"] {
        assert!(!listed(&app, login, tyc).await.contains(&id), "{login}");
    }
    // The property company's draft is the property company's: the committee does not see it.
    let path = format!("/api/v1/compounds/{tyc}/conventions");
    let theirs = json!({ "kind": "residents", "title": "装修公约", "template": "residents" });
    let theirs = post(&app, "property", &path, theirs).await.expect(StatusCode::CREATED).id();
    get(&app, "committee", &conv(theirs)).await.expect(StatusCode::NOT_FOUND);
    assert!(!listed(&app, "committee", tyc).await.contains(&theirs));
    assert!(listed(&app, "property", tyc).await.contains(&theirs));

    // Once the consultation opens, the whole compound reads it.
    post(&app, "committee", &format!("{}/consultation", conv(id)), json!({ "until": in_days(7) }))
        .await
        .expect(StatusCode::OK);
    for login in ["owner001", "property"] {
        let seen = show(&app, login, id).await;
        assert_eq!((seen["phase"].as_str(), seen["can"]["edit"].as_bool()), (Some("consulting"), Some(false)));
        assert_eq!(seen["can"]["comment"], true);
        assert!(listed(&app, login, tyc).await.contains(&id), "{login}");
    }
    get(&app, "committee2", &conv(id)).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_edit_keeps_every_articles_id_renumbers_them_and_is_saved_as_a_new_version() {
    let app = spawn_demo().await;
    let v1 = drafted(&app).await;
    let id = v1["id"].as_i64().unwrap();
    let ids = article_ids(&v1);
    assert_eq!(labels(&v1), ["第一条", "第二条", "第三条", "第四条"]);
    let (a, b, c, d) = (ids[0].clone(), ids[1].clone(), ids[2].clone(), ids[3].clone());
    let removed_text = article(&v1, &b)["text"].clone();

    // A new article at the start; the second removed.
    let mut change = edit(&v1, |body| {
        let first = body["chapters"][0]["articles"].as_array_mut().unwrap();
        first.remove(1);
        first.insert(0, json!({ "text": "业主、住户应当遵守本公约。" }));
    });
    change["reason"] = json!("增加第一条");
    let v2 = put(&app, "committee", &conv(id), change).await.expect(StatusCode::OK).body;
    assert_eq!(v2["version"], 2);
    let now = article_ids(&v2);
    assert_eq!(now.len(), 4);
    assert_eq!(now[1..], [a.clone(), c.clone(), d.clone()], "the others keep their ids");
    assert!(!ids.contains(&now[0]), "the new article gets a new id: {now:?}");
    assert!(!now.contains(&b));
    assert_eq!(labels(&v2), ["第一条", "第二条", "第三条", "第四条"]);
    assert_eq!(article(&v2, &a)["label"], "第二条");
    assert_eq!(article(&v2, &now[0])["text"], "业主、住户应当遵守本公约。");
    assert_eq!(v2["chapters"][1]["id"], v1["chapters"][1]["id"], "chapters keep their ids too");
    let versions = v2["versions"].as_array().unwrap();
    assert_eq!(versions.iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(versions[1]["reason"], "增加第一条");

    // The old version is kept as it was.
    let old = get(&app, "committee", &format!("{}/versions/1", conv(id))).await.expect(StatusCode::OK).body;
    assert_eq!(old["version"]["version"], 1);
    assert_eq!(article_ids(&old), ids);
    assert_eq!(article(&old, &b)["text"], removed_text);
    assert_eq!(article(&old, &a)["label"], "第一条");
    get(&app, "committee", &format!("{}/versions/9", conv(id))).await.expect(StatusCode::NOT_FOUND);

    // Compared article by article.
    let cmp = get(&app, "committee", &format!("{}/compare?from=1&to=2", conv(id))).await.expect(StatusCode::OK).body;
    assert_eq!((cmp["from"]["version"].as_i64(), cmp["to"]["version"].as_i64()), (Some(1), Some(2)));
    let entries = cmp["entries"].as_array().unwrap();
    let entry = |id: &str| {
        entries
            .iter()
            .find(|e| e["kind"] == "article" && e["id"] == id)
            .unwrap_or_else(|| panic!("no entry for {id} in {cmp}"))
            .clone()
    };
    let added = entry(&now[0]);
    assert_eq!((added["change"].as_str(), added["label_to"].as_str()), (Some("added"), Some("第一条")));
    assert_eq!(added["label_from"], Value::Null);
    let gone = entry(&b);
    assert_eq!((gone["change"].as_str(), gone["label_from"].as_str()), (Some("removed"), Some("第二条")));
    assert_eq!(gone["label_to"], Value::Null);
    let moved = entry(&a);
    assert_eq!(moved["change"], "same");
    assert_eq!((moved["label_from"].as_str(), moved["label_to"].as_str()), (Some("第一条"), Some("第二条")));
    assert_eq!(entry(&c)["change"], "same");

    // Refused, naming the field: an id the text never had, an empty article.
    let mut unknown = edit(&v2, |_| {});
    unknown["body"]["chapters"][0]["articles"][0]["id"] = json!("a999");
    refused_at(put(&app, "committee", &conv(id), unknown).await, "chapters[0].articles[0].id");
    let mut again = edit(&v2, |_| {});
    again["body"]["chapters"][0]["articles"][1]["id"] = json!(b);
    refused_at(put(&app, "committee", &conv(id), again).await, "chapters[0].articles[1].id");
    refused_at(put(&app, "committee", &conv(id), reword(&v2, &d, "  ")).await, "chapters[1].articles[1].text");
    // An edit on version 1, after version 2 was saved.
    conflict(put(&app, "committee", &conv(id), reword(&v1, &c, "晚上十点后保持安静。")).await, "convention_changed");
    let stored = show(&app, "committee", id).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(stored["versions"].as_array().unwrap().len(), 2);
    assert_eq!(stored["body"], v2["body"]);

    // Any member of the drafting committee edits; saving the same text makes no version.
    let v3 = put(&app, "member", &conv(id), reword(&v2, &c, "晚上十点后保持安静。")).await.expect(StatusCode::OK).body;
    assert_eq!(v3["version"], 3);
    assert_eq!(article(&v3, &c)["text"], "晚上十点后保持安静。");
    let same = put(&app, "committee", &conv(id), edit(&v3, |_| {})).await.expect(StatusCode::OK).body;
    assert_eq!(same["version"], 3);
    assert_eq!(same["versions"].as_array().unwrap().len(), 3);

    // Once it is public, the others read it but do not edit it.
    post(&app, "committee", &format!("{}/consultation", conv(id)), json!({ "until": in_days(7) }))
        .await
        .expect(StatusCode::OK);
    for login in ["property", "owner001", "secretary"] {
        let res = put(&app, login, &conv(id), reword(&v3, &c, "冒名修改。")).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden", "{login}");
    }
    put(&app, "committee2", &conv(id), reword(&v3, &c, "冒名修改。")).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(show(&app, "owner001", id).await["version"], 3);
    assert_eq!(get(&app, "owner001", &format!("{}/versions/1", conv(id))).await.expect(StatusCode::OK).body, old);
}

#[tokio::test]
async fn a_consultation_runs_at_least_a_day_from_now_is_opened_by_the_drafters_and_announced_to_the_compound() {
    let app = spawn_demo().await;
    let v = drafted(&app).await;
    let id = v["id"].as_i64().unwrap();
    let first = article_ids(&v)[0].clone();
    let open = format!("{}/consultation", conv(id));

    // No comments while it is drafted, even from those who see it.
    for login in ["member", "secretary"] {
        conflict(remark(&app, login, id, &first, 1, "先提个意见。").await, "convention_not_open");
    }
    let from = chrono::Utc::now() + chrono::Duration::hours(1);
    let short = json!({ "from": from.to_rfc3339(), "until": (from + chrono::Duration::hours(23)).to_rfc3339() });
    refused_at(post(&app, "committee", &open, short).await, "until");
    refused_at(post(&app, "committee", &open, json!({ "until": in_hours(12) })).await, "until");
    let past = json!({ "from": in_hours(-2), "until": in_days(7) });
    refused_at(post(&app, "committee", &open, past).await, "from");
    refused_at(post(&app, "committee", &open, json!({ "until": in_days(120) })).await, "until");
    // Not by the community office, which reads the draft but did not write it.
    let res = post(&app, "secretary", &open, json!({ "until": in_days(7) })).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    post(&app, "property", &open, json!({ "until": in_days(7) })).await.expect(StatusCode::NOT_FOUND);
    post(&app, "owner001", &open, json!({ "until": in_days(7) })).await.expect(StatusCode::NOT_FOUND);
    let still = show(&app, "committee", id).await;
    assert_eq!((still["status"].as_str(), still["consultation"].is_null()), (Some("drafting"), true));
    assert!(told(&app, "owner001", "convention_consultation", id).await.is_empty());

    // Opened: the whole compound is told, no one elsewhere.
    let opened = post(&app, "committee", &open, json!({ "until": in_days(14) })).await.expect(StatusCode::OK).body;
    assert_eq!((opened["status"].as_str(), opened["phase"].as_str()), (Some("consulting"), Some("consulting")));
    let told_count = opened["consultation"]["told"].as_i64().unwrap();
    assert!(told_count > 10, "{opened}");
    assert_eq!(opened["consultation"]["read"], 0);
    for login in ["owner001", "owner002", "property", "member"] {
        let n = told(&app, login, "convention_consultation", id).await;
        assert_eq!(n.len(), 1, "{login}");
        assert_eq!(n[0]["compound_id"], opened["compound_id"]);
    }
    let shs_owner = app.owner_of(app.compound_id(SHS).await).await;
    for login in ["committee2", "member2", shs_owner.as_str()] {
        assert!(told(&app, login, "convention_consultation", id).await.is_empty(), "{login}");
    }
    conflict(post(&app, "committee", &open, json!({ "until": in_days(20) })).await, "convention_not_drafting");
    assert_eq!(show(&app, "committee", id).await["consultation"], opened["consultation"]);
    assert_eq!(told(&app, "owner001", "convention_consultation", id).await.len(), 1, "the second notice was not kept");
    remark(&app, "owner001", id, &first, 1, "赞成。").await.expect(StatusCode::CREATED);

    // Announced ahead: no comments before it begins.
    let later = drafted(&app).await["id"].as_i64().unwrap();
    let ahead = json!({ "from": in_days(2), "until": in_days(9) });
    let announced =
        post(&app, "committee", &format!("{}/consultation", conv(later)), ahead).await.expect(StatusCode::OK);
    assert_eq!(announced.body["phase"], "announced");
    assert_eq!(show(&app, "owner001", later).await["can"]["comment"], false);
    conflict(remark(&app, "owner001", later, &first, 1, "太早了。").await, "convention_not_open");

    // The demo's 文明养犬公约: its consultation has ended, and its final version is before the owners.
    let pact = dog_pact(&app).await;
    let p = show(&app, "owner001", pact).await;
    assert_eq!((p["status"].as_str(), p["phase"].as_str()), (Some("adopting"), Some("adopting")));
    let pact_article = article_ids(&p)[0].clone();
    let version = p["version"].as_i64().unwrap();
    let before = comments(&app, "owner001", pact).await.len();
    conflict(remark(&app, "owner001", pact, &pact_article, version, "晚了。").await, "convention_not_open");
    assert_eq!(comments(&app, "owner001", pact).await.len(), before);
}

#[tokio::test]
async fn owners_comment_and_propose_amendments_of_an_article_on_the_version_they_read() {
    let app = spawn_demo().await;
    let v = consulting(&app).await;
    let id = v["id"].as_i64().unwrap();
    let ids = article_ids(&v);
    let text = article(&v, &ids[1])["text"].as_str().unwrap().to_owned();

    let c = remark(&app, "owner001", id, &ids[0], 1, "适用范围应当包括租户。").await.expect(StatusCode::CREATED).body;
    assert_eq!((c["kind"].as_str(), c["status"].as_str()), (Some("comment"), Some("open")));
    assert_eq!((c["article_id"].as_str(), c["article_label"].as_str()), (Some(ids[0].as_str()), Some("第一条")));
    assert_eq!((c["mine"].as_bool(), c["version"].as_i64()), (Some(true), Some(1)));
    assert_eq!(c["wording"], Value::Null);
    let wording = "业主大会授权业主委员会负责本公约的解释。";
    let a = amend(&app, "owner002", id, &ids[1], 1, wording).await.expect(StatusCode::CREATED).body;
    assert_eq!((a["kind"].as_str(), a["wording"].as_str()), (Some("amendment"), Some(wording)));
    assert_eq!(a["original"], text.as_str());
    assert_eq!((a["stale"].as_bool(), a["supports"].as_i64()), (Some(false), Some(0)));
    // The property company and the office take part too.
    remark(&app, "property", id, &ids[2], 1, "物业会配合巡查。").await.expect(StatusCode::CREATED);

    // Refused, naming the field.
    let no_wording = json!({ "article_id": ids[1], "version": 1, "kind": "amendment", "text": "改一改" });
    refused_at(post(&app, "owner001", &format!("{}/comments", conv(id)), no_wording).await, "wording");
    refused_at(amend(&app, "owner001", id, &ids[1], 1, "  ").await, "wording");
    refused_at(amend(&app, "owner001", id, &ids[1], 1, &text).await, "wording");
    refused_at(amend(&app, "owner001", id, "a999", 1, "新的条文。").await, "article_id");
    refused_at(remark(&app, "owner001", id, v["chapters"][0]["id"].as_str().unwrap(), 1, "章").await, "article_id");
    refused_at(remark(&app, "owner001", id, &ids[0], 1, " ").await, "text");
    refused_at(remark(&app, "owner001", id, &ids[0], 2, "将来的版本").await, "version");
    refused_at(remark(&app, "owner001", id, &ids[0], 0, "没有的版本").await, "version");
    // Not by an administrator, who sees it but is no one of the compound.
    post(
        &app,
        "admin",
        &format!("{}/comments", conv(id)),
        json!({ "article_id": ids[0], "version": 1,
        "kind": "comment", "text": "管理员" }),
    )
    .await
    .expect(StatusCode::FORBIDDEN);

    // What was stored: three, counted on their articles.
    let all = comments(&app, "committee", id).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[0]["mine"], false, "as the committee sees it");
    let now = show(&app, "committee", id).await;
    assert_eq!((now["comments"].as_i64(), now["unanswered"].as_i64()), (Some(3), Some(3)));
    assert_eq!(
        (article(&now, &ids[0])["comments"].as_i64(), article(&now, &ids[0])["amendments"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(article(&now, &ids[1])["amendments"], 1);
    assert_eq!(article(&now, &ids[3])["unanswered"], 0);
    assert_eq!(now["version"], 1, "comments make no version");

    // An amendment written on an older version is checked against that version's text.
    let v2 = put(&app, "committee", &conv(id), reword(&now, &ids[3], "楼道内不得堆放任何杂物。"))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(v2["version"], 2);
    let late =
        amend(&app, "owner003", id, &ids[3], 1, "不得在楼道内堆放杂物和停放电动车。").await.expect(StatusCode::CREATED);
    assert_eq!(late.body["original"], "不得在楼道内堆放杂物。");
    assert_eq!(late.body["stale"], true);
}

#[tokio::test]
async fn people_of_another_compound_learn_nothing_of_a_consultation_and_change_nothing() {
    let app = spawn_demo().await;
    let (id, amendment) = in_consultation(&app).await;
    let tyc = app.compound_id(TYC).await;
    let v = show(&app, "committee", id).await;
    let shs_owner = app.owner_of(app.compound_id(SHS).await).await;
    for login in ["committee2", "member2", "property2", shs_owner.as_str()] {
        for path in [
            conv(id),
            format!("{}/comments", conv(id)),
            format!("{}/report", conv(id)),
            format!("{}/compare?from=1&to=1", conv(id)),
            format!("{}/versions/1", conv(id)),
            format!("/api/v1/compounds/{tyc}/conventions"),
        ] {
            let res = get(&app, login, &path).await.expect(StatusCode::NOT_FOUND);
            assert_eq!(res.code(), "not_found", "{login} {path}");
        }
        let c = format!("{}/comments/{amendment}", conv(id));
        for res in [
            remark(&app, login, id, FIRST_ARTICLE, 1, "隔壁小区的意见").await,
            amend(&app, login, id, FIRST_ARTICLE, 1, "隔壁小区的条文。").await,
            post(&app, login, &format!("{c}/support"), json!({})).await,
            delete(&app, login, &format!("{c}/support")).await,
            answer(&app, login, id, amendment, json!({ "outcome": "adopted", "reason": "同意", "version": 1 })).await,
            post(&app, login, &format!("{c}/rebase"), json!({ "wording": "隔壁小区的条文。" })).await,
            put(&app, login, &conv(id), reword(&v, FIRST_ARTICLE, "隔壁小区的条文。")).await,
            post(&app, login, &format!("{}/consultation", conv(id)), json!({ "until": in_days(7) })).await,
        ] {
            let res = res.expect(StatusCode::NOT_FOUND);
            assert_eq!(res.code(), "not_found", "{login}");
        }
    }
    let after = show(&app, "committee", id).await;
    assert_eq!((after["version"].as_i64(), after["comments"].as_i64()), (Some(1), Some(1)));
    assert_eq!(after["body"], v["body"]);
    let a = comment(&app, "committee", id, amendment).await;
    assert_eq!((a["status"].as_str(), a["supports"].as_i64()), (Some("open"), Some(0)));
}

#[tokio::test]
async fn an_amendment_overtaken_by_an_edit_of_its_article_is_rebased_before_it_is_adopted() {
    let app = spawn_demo().await;
    let v = consulting(&app).await;
    let id = v["id"].as_i64().unwrap();
    let ids = article_ids(&v);
    let (x, y, other) = (ids[2].clone(), ids[1].clone(), ids[3].clone());
    let proposed = "晚上十点至次日七点，不得在公共区域大声喧哗。";
    let a = amend(&app, "owner001", id, &x, 1, proposed).await.expect(StatusCode::CREATED).id();
    let b_wording = "业主大会授权业主委员会负责本公约的解释。";
    let b = amend(&app, "owner002", id, &y, 1, b_wording).await.expect(StatusCode::CREATED).id();

    // An edit of another article overtakes neither.
    let v2 = put(&app, "committee", &conv(id), reword(&v, &other, "楼道内不得堆放任何杂物。"))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(v2["version"], 2);
    let seen = comment(&app, "owner001", id, a).await;
    assert_eq!((seen["stale"].as_bool(), seen["can_rebase"].as_bool()), (Some(false), Some(false)));
    conflict(
        post(&app, "owner001", &format!("{}/comments/{a}/rebase", conv(id)), json!({ "wording": proposed })).await,
        "convention_not_stale",
    );
    let adopted = answer(&app, "committee", id, b, json!({ "outcome": "adopted", "reason": "采纳。", "version": 2 }))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!((adopted["status"].as_str(), adopted["applied_version"].as_i64()), (Some("adopted"), Some(3)));
    let v3 = show(&app, "committee", id).await;
    assert_eq!(v3["version"], 3);
    assert_eq!(article(&v3, &y)["text"], b_wording);

    // The committee rewords article X itself: owner001's amendment is overtaken.
    let v4 = put(&app, "committee", &conv(id), reword(&v3, &x, "晚上十点以后不得在公共区域喧哗。"))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(v4["version"], 4);
    let seen = comment(&app, "owner001", id, a).await;
    assert_eq!((seen["stale"].as_bool(), seen["can_rebase"].as_bool()), (Some(true), Some(true)));
    assert_eq!(
        (seen["version"].as_i64(), seen["original"].as_str()),
        (Some(1), Some("晚上十点以后不得在公共区域大声喧哗。"))
    );
    assert_eq!(comment(&app, "owner003", id, a).await["can_rebase"], false);
    let res = answer(&app, "committee", id, a, json!({ "outcome": "adopted", "reason": "采纳。", "version": 4 })).await;
    conflict(res, "convention_amendment_stale");
    let unchanged = show(&app, "committee", id).await;
    assert_eq!(unchanged["version"], 4);
    assert_eq!(unchanged["body"], v4["body"]);
    let seen = comment(&app, "owner001", id, a).await;
    assert_eq!((seen["status"].as_str(), seen["answer"].is_null()), (Some("open"), true));

    // Rebased by its author (not by another owner), then adopted.
    let rebase = format!("{}/comments/{a}/rebase", conv(id));
    let res = post(&app, "owner003", &rebase, json!({ "wording": "冒名改写。" })).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    refused_at(
        post(&app, "owner001", &rebase, json!({ "wording": "晚上十点以后不得在公共区域喧哗。" })).await,
        "wording",
    );
    refused_at(post(&app, "owner001", &rebase, json!({ "wording": " " })).await, "wording");
    assert_eq!(comment(&app, "owner001", id, a).await["version"], 1);
    let rewording = "晚上十点至次日七点，不得在公共区域喧哗。";
    let r = post(&app, "owner001", &rebase, json!({ "wording": rewording })).await.expect(StatusCode::OK).body;
    assert_eq!((r["version"].as_i64(), r["stale"].as_bool()), (Some(4), Some(false)));
    assert_eq!((r["wording"].as_str(), r["status"].as_str()), (Some(rewording), Some("open")));
    assert_eq!(r["original"], "晚上十点以后不得在公共区域喧哗。");
    conflict(post(&app, "owner001", &rebase, json!({ "wording": proposed })).await, "convention_not_stale");
    let done =
        answer(&app, "committee", id, a, json!({ "outcome": "adopted", "reason": "采纳，写明时段。", "version": 4 }))
            .await
            .expect(StatusCode::OK)
            .body;
    assert_eq!((done["status"].as_str(), done["applied_version"].as_i64()), (Some("adopted"), Some(5)));
    assert_eq!(done["answer"], "采纳，写明时段。");
    let v5 = show(&app, "owner001", id).await;
    assert_eq!(v5["version"], 5);
    assert_eq!(article(&v5, &x)["text"], rewording);
    assert_eq!(article(&v5, &x)["label"], "第三条");
    assert_eq!(v5["unanswered"], 0);
    let last = v5["versions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["version"], 5);
    assert!(last["reason"].as_str().unwrap().contains(&a.to_string()), "{last}");
    assert_eq!(told(&app, "owner001", "convention_answered", id).await.len(), 1);
    // An answered amendment is not rebased any more.
    conflict(post(&app, "owner001", &rebase, json!({ "wording": proposed })).await, "convention_answered");
}

#[tokio::test]
async fn only_the_drafting_party_answers_each_comment_once_with_a_reason_on_the_current_version() {
    let app = spawn_demo().await;
    let (id, amendment) = in_consultation(&app).await;
    let v = show(&app, "committee", id).await;
    let ids = article_ids(&v);
    let remark_id =
        remark(&app, "owner002", id, &ids[3], 1, "电动车也不要停在楼道。").await.expect(StatusCode::CREATED).id();
    let no = json!({ "outcome": "not_adopted", "reason": "租户已是住户，不必另列。", "version": 1 });

    // Not by the property company, the office, an owner or an administrator.
    for login in ["property", "secretary", "owner002", "owner001", "admin"] {
        let res = answer(&app, login, id, amendment, no.clone()).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden", "{login}");
    }
    // A reason is needed; in part, a wording; and on the current version.
    refused_at(
        answer(&app, "committee", id, amendment, json!({ "outcome": "not_adopted", "reason": " ", "version": 1 }))
            .await,
        "reason",
    );
    refused_at(
        answer(&app, "committee", id, amendment, json!({ "outcome": "partly", "reason": "部分采纳。", "version": 1 }))
            .await,
        "wording",
    );
    put(&app, "committee", &conv(id), reword(&v, &ids[2], "晚上十点后保持安静。")).await.expect(StatusCode::OK);
    conflict(answer(&app, "committee", id, amendment, no.clone()).await, "convention_changed");
    let open = comment(&app, "owner001", id, amendment).await;
    assert_eq!((open["status"].as_str(), open["answer"].is_null()), (Some("open"), true));
    assert!(told(&app, "owner001", "convention_answered", id).await.is_empty());

    // Not adopted: no new version; the author is told.
    let mut no = no;
    no["version"] = json!(2);
    let answered = answer(&app, "member", id, amendment, no.clone()).await.expect(StatusCode::OK).body;
    assert_eq!(
        (answered["status"].as_str(), answered["answer"].as_str()),
        (Some("not_adopted"), Some("租户已是住户，不必另列。"))
    );
    assert!(answered["answered_by"].is_string() && answered["answered_at"].is_string(), "{answered}");
    assert_eq!(answered["applied_version"], Value::Null);
    assert_eq!(show(&app, "committee", id).await["version"], 2);
    let n = told(&app, "owner001", "convention_answered", id).await;
    assert_eq!(n.len(), 1);
    assert!(told(&app, "owner002", "convention_answered", id).await.is_empty());
    // Once.
    conflict(answer(&app, "committee", id, amendment, no).await, "convention_answered");
    let adopt = json!({ "outcome": "adopted", "reason": "改变主意。", "version": 2 });
    conflict(answer(&app, "committee", id, amendment, adopt).await, "convention_answered");
    assert_eq!(comment(&app, "owner001", id, amendment).await["status"], "not_adopted");

    // A comment adopted by a change of its article makes a version; the author is told.
    let wording = "不得在楼道内堆放杂物或者停放电动自行车。";
    let by_change = json!({ "outcome": "adopted", "reason": "采纳。", "wording": wording, "version": 2 });
    let c = answer(&app, "committee", id, remark_id, by_change).await.expect(StatusCode::OK).body;
    assert_eq!((c["status"].as_str(), c["applied_version"].as_i64()), (Some("adopted"), Some(3)));
    let v3 = show(&app, "owner002", id).await;
    assert_eq!(v3["version"], 3);
    assert_eq!(article(&v3, &ids[3])["text"], wording);
    assert_eq!(v3["unanswered"], 0);
    assert_eq!(told(&app, "owner002", "convention_answered", id).await.len(), 1);

    // Partly adopted, in the drafters' wording.
    let w = amend(&app, "owner003", id, &ids[0], 3, "本公约适用于本小区全体业主、住户、租户和访客。")
        .await
        .expect(StatusCode::CREATED)
        .id();
    let partly = json!({ "outcome": "partly", "reason": "访客不受公约约束。", "wording": "本公约适用于本小区全体业主、住户和租户。", "version": 3 });
    let p = answer(&app, "committee", id, w, partly).await.expect(StatusCode::OK).body;
    assert_eq!((p["status"].as_str(), p["applied_version"].as_i64()), (Some("partly"), Some(4)));
    assert_eq!(article(&show(&app, "owner003", id).await, &ids[0])["text"], "本公约适用于本小区全体业主、住户和租户。");
}

#[tokio::test]
async fn an_amendment_is_supported_once_by_each_other_person_and_the_support_may_be_withdrawn() {
    let app = spawn_demo().await;
    let (id, amendment) = in_consultation(&app).await;
    let support = format!("{}/comments/{amendment}/support", conv(id));

    let s = post(&app, "owner002", &support, json!({})).await.expect(StatusCode::OK).body;
    assert_eq!((s["supports"].as_i64(), s["supported"].as_bool()), (Some(1), Some(true)));
    conflict(post(&app, "owner002", &support, json!({})).await, "convention_supported");
    conflict(post(&app, "owner001", &support, json!({})).await, "convention_support_own");
    let s = post(&app, "owner003", &support, json!({})).await.expect(StatusCode::OK).body;
    assert_eq!(s["supports"], 2);
    post(&app, "property", &support, json!({})).await.expect(StatusCode::OK);
    post(&app, "admin", &support, json!({})).await.expect(StatusCode::FORBIDDEN);
    let seen = comment(&app, "owner001", id, amendment).await;
    assert_eq!((seen["supports"].as_i64(), seen["supported"].as_bool()), (Some(3), Some(false)));
    assert_eq!(comment(&app, "owner003", id, amendment).await["supported"], true);

    // Not a plain comment.
    let c = remark(&app, "owner002", id, FIRST_ARTICLE, 1, "同意。").await.expect(StatusCode::CREATED).id();
    conflict(
        post(&app, "owner003", &format!("{}/comments/{c}/support", conv(id)), json!({})).await,
        "convention_support_comment",
    );
    assert_eq!(comment(&app, "owner003", id, c).await["supports"], 0);
    post(&app, "owner003", &format!("{}/comments/999999/support", conv(id)), json!({}))
        .await
        .expect(StatusCode::NOT_FOUND);

    // Withdrawn.
    let w = delete(&app, "owner002", &support).await.expect(StatusCode::OK).body;
    assert_eq!((w["supports"].as_i64(), w["supported"].as_bool()), (Some(2), Some(false)));
    delete(&app, "owner003", &support).await.expect(StatusCode::OK);
    delete(&app, "property", &support).await.expect(StatusCode::OK);
    assert_eq!(comment(&app, "committee", id, amendment).await["supports"], 0);
    // And given again.
    post(&app, "owner002", &support, json!({})).await.expect(StatusCode::OK);
    assert_eq!(comment(&app, "committee", id, amendment).await["supports"], 1);

    // Not once the consultation has ended: the demo's 文明养犬公约.
    let pact = dog_pact(&app).await;
    let all = comments(&app, "owner001", pact).await;
    let waste = all.iter().find(|c| c["kind"] == "amendment" && c["status"] == "adopted").unwrap();
    let path = format!("{}/comments/{}/support", conv(pact), waste["id"]);
    conflict(post(&app, "owner001", &path, json!({})).await, "convention_not_open");
    conflict(delete(&app, "owner001", &path).await, "convention_not_open");
    assert_eq!(comment(&app, "owner001", pact, waste["id"].as_i64().unwrap()).await["supports"], waste["supports"]);
}

#[tokio::test]
async fn the_report_lists_every_article_with_what_was_said_and_answered_and_how_it_changed() {
    let app = spawn_demo().await;

    // The demo's 文明养犬公约: a comment adopted by a change, an amendment adopted, one not.
    let pact = dog_pact(&app).await;
    let p = show(&app, "owner001", pact).await;
    assert_eq!(p["version"], 3);
    assert_eq!(p["versions"].as_array().unwrap().len(), 3);
    let r = get(&app, "owner001", &format!("{}/report", conv(pact))).await.expect(StatusCode::OK).body;
    assert_eq!((r["first"]["version"].as_i64(), r["last"]["version"].as_i64()), (Some(1), Some(3)));
    assert_eq!(r["convention"]["version"], 3);
    assert_eq!(r["scope_name"], TYC);
    let t = &r["totals"];
    assert_eq!(
        (t["comments"].as_i64(), t["amendments"].as_i64(), t["supports"].as_i64()),
        (Some(1), Some(2), Some(2)),
        "{t}"
    );
    assert_eq!(
        (t["adopted"].as_i64(), t["partly"].as_i64(), t["not_adopted"].as_i64(), t["unanswered"].as_i64()),
        (Some(2), Some(0), Some(1), Some(0)),
        "{t}"
    );
    let rows = r["articles"].as_array().unwrap();
    assert_eq!(rows.len(), 7);
    let amendments: Vec<&Value> =
        rows.iter().flat_map(|a| a["comments"].as_array().unwrap()).filter(|c| c["kind"] == "amendment").collect();
    let statuses: Vec<&str> = amendments.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "adopted").count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == "not_adopted").count(), 1, "{statuses:?}");
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(row["label"], format!("第{}条", cn(n + 1)));
        let expected = if matches!(n + 1, 2 | 3) { "changed" } else { "same" };
        assert_eq!(row["change"]["change"], expected, "{row}");
        assert!(row["comments"].as_array().unwrap().iter().all(|c| c["answer"].is_string()), "{row}");
    }
    let waste = &rows[2]["comments"][0];
    assert_eq!((waste["status"].as_str(), waste["supports"].as_i64()), (Some("adopted"), Some(2)));
    assert_eq!(rows[5]["comments"][0]["status"], "not_adopted");
    assert!(rows[2]["change"]["after"].as_array().unwrap().iter().any(|p| p["changed"] == true));

    // The demo's 停车管理公约 of 上河时代, under consultation: a comment and a supported amendment
    // wait for the property company's answer.
    let shs = app.compound_id(SHS).await;
    let list = get(&app, "member2", &format!("/api/v1/compounds/{shs}/conventions")).await.expect(StatusCode::OK);
    let parking = list.body.as_array().unwrap().iter().find(|c| c["title"] == "停车管理公约").unwrap().clone();
    assert_eq!(
        (parking["phase"].as_str(), parking["party_kind"].as_str()),
        (Some("consulting"), Some("property_company"))
    );
    assert_eq!((parking["comments"].as_i64(), parking["unanswered"].as_i64()), (Some(2), Some(2)));
    let r =
        get(&app, "member2", &format!("{}/report", conv(parking["id"].as_i64().unwrap()))).await.expect(StatusCode::OK);
    let t = &r.body["totals"];
    assert_eq!(
        (t["comments"].as_i64(), t["amendments"].as_i64(), t["supports"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{t}"
    );
    assert_eq!((t["unanswered"].as_i64(), r.body["last"]["version"].as_i64()), (Some(2), Some(1)));
    assert!(r.body["articles"].as_array().unwrap().iter().all(|a| a["change"]["change"] == "same"));
    get(&app, "owner001", &format!("{}/report", conv(parking["id"].as_i64().unwrap())))
        .await
        .expect(StatusCode::NOT_FOUND);

    // A consultation of our own: one article changed by an amendment, one comment unanswered.
    let (id, amendment) = in_consultation(&app).await;
    let ids = article_ids(&show(&app, "committee", id).await);
    post(&app, "owner002", &format!("{}/comments/{amendment}/support", conv(id)), json!({}))
        .await
        .expect(StatusCode::OK);
    remark(&app, "owner003", id, &ids[3], 1, "楼道杂物要定期清理。").await.expect(StatusCode::CREATED);
    answer(&app, "committee", id, amendment, json!({ "outcome": "adopted", "reason": "采纳。", "version": 1 }))
        .await
        .expect(StatusCode::OK);
    let r = get(&app, "owner002", &format!("{}/report", conv(id))).await.expect(StatusCode::OK).body;
    assert_eq!((r["first"]["version"].as_i64(), r["last"]["version"].as_i64()), (Some(1), Some(2)));
    let t = &r["totals"];
    assert_eq!(
        (t["comments"].as_i64(), t["amendments"].as_i64(), t["supports"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{t}"
    );
    assert_eq!(
        (t["adopted"].as_i64(), t["not_adopted"].as_i64(), t["unanswered"].as_i64()),
        (Some(1), Some(0), Some(1)),
        "{t}"
    );
    let rows = r["articles"].as_array().unwrap();
    assert_eq!(rows.iter().map(|a| a["id"].as_str().unwrap()).collect::<Vec<_>>(), ids);
    let changed = &rows[0];
    assert_eq!((changed["change"]["change"].as_str(), changed["label"].as_str()), (Some("changed"), Some("第一条")));
    assert_eq!(changed["chapter"], "总则");
    let said = &changed["comments"][0];
    assert_eq!(
        (said["id"].as_i64(), said["status"].as_str(), said["supports"].as_i64()),
        (Some(amendment), Some("adopted"), Some(1))
    );
    assert_eq!(said["answer"], "采纳。");
    assert!(rows[1..].iter().all(|a| a["change"]["change"] == "same"));
    assert_eq!(rows[3]["comments"][0]["status"], "open");
    assert!(rows[1]["comments"].as_array().unwrap().is_empty());
}

/// A .docx file whose body holds these paragraphs.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;
    let body: String =
        paragraphs.iter().map(|p| format!(r#"<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>"#)).collect();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(
        br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
    )
    .unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(format!("{head}{body}<w:sectPr/></w:body></w:document>").as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn templates_and_a_word_file_give_numbered_articles_and_anything_else_is_refused_naming_the_file() {
    let app = spawn_demo().await;
    let owner = app.token("owner001").await;
    let templates = app.get("/api/v1/convention-templates", &owner).await.expect(StatusCode::OK).body;
    let keys: Vec<&str> = templates.as_array().unwrap().iter().map(|t| t["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["covenant", "rules", "residents"]);
    assert_eq!(templates[0]["kind"], "covenant");
    assert_eq!(articles(&templates[0]).len(), 22);
    assert_eq!(articles(&templates[1]).len(), 17);
    app.get_anon("/api/v1/convention-templates").await.expect(StatusCode::UNAUTHORIZED);

    let committee = app.token("committee").await;
    let tyc = app.compound_id(TYC).await;
    let before = listed(&app, "committee", tyc).await;
    let import = "/api/v1/conventions/import";
    for garbage in [b"not a word file at all".to_vec(), vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], Vec::new()] {
        let res = app.upload(import, &committee, garbage, "application/octet-stream").await;
        refused_at(res, "file");
    }
    let file = docx(&["小区环境卫生公约", "第一条 不得高空抛物。", "第二条 垃圾应当分类投放。"]);
    let parsed = app.upload(import, &committee, file, "application/octet-stream").await.expect(StatusCode::OK).body;
    assert_eq!(parsed["title"], "小区环境卫生公约");
    let read = parsed["draft"]["chapters"].as_array().unwrap();
    assert_eq!(read.len(), 1);
    let texts: Vec<&str> =
        read[0]["articles"].as_array().unwrap().iter().map(|a| a["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["不得高空抛物。", "垃圾应当分类投放。"]);
    assert!(read[0]["articles"].as_array().unwrap().iter().all(|a| a["id"].is_null()));
    // Nothing is stored by reading a file; the text read becomes a draft when sent.
    assert_eq!(listed(&app, "committee", tyc).await, before);
    let new = json!({ "kind": "residents", "title": parsed["title"], "body": parsed["draft"] });
    let v = post(&app, "committee", &format!("/api/v1/compounds/{tyc}/conventions"), new)
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(labels(&v), ["第一条", "第二条"]);
    assert_eq!(v["versions"][0]["reason"], "drafted");
}

#[tokio::test]
async fn a_community_wide_convention_is_drafted_by_the_office_and_put_to_every_compound() {
    let app = spawn_demo().await;
    let community = app.community_id().await;
    let (tyc, shs) = (app.compound_id(TYC).await, app.compound_id(SHS).await);
    let shs_owner = app.owner_of(shs).await;
    let new = json!({ "kind": "residents", "title": "全社区文明公约", "body": four_articles() });
    let v = post(&app, "secretary", &format!("/api/v1/communities/{community}/conventions"), new)
        .await
        .expect(StatusCode::CREATED)
        .body;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["scope_name"].as_str().map(str::is_empty), Some(false));
    // A draft: the office's alone.
    show(&app, "staff", id).await;
    for (login, compound) in [("committee", tyc), ("owner001", tyc), ("property2", shs)] {
        get(&app, login, &conv(id)).await.expect(StatusCode::NOT_FOUND);
        assert!(!listed(&app, login, compound).await.contains(&id), "{login}");
    }
    let opened = post(&app, "secretary", &format!("{}/consultation", conv(id)), json!({ "until": in_days(10) }))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(opened["phase"], "consulting");
    // Everyone of every compound is told, reads it in their compound's list and takes part.
    for login in ["owner001", "committee2", shs_owner.as_str()] {
        assert_eq!(told(&app, login, "convention_consultation", id).await.len(), 1, "{login}");
    }
    assert!(listed(&app, "owner001", tyc).await.contains(&id));
    assert!(listed(&app, shs_owner.as_str(), shs).await.contains(&id));
    let wide =
        get(&app, "member2", &format!("/api/v1/communities/{community}/conventions")).await.expect(StatusCode::OK);
    assert!(wide.body.as_array().unwrap().iter().any(|c| c["id"] == id));
    remark(&app, &shs_owner, id, FIRST_ARTICLE, 1, "上河时代也赞成。").await.expect(StatusCode::CREATED);
    let a = amend(&app, "owner001", id, FIRST_ARTICLE, 1, "本公约适用于本社区全体居民。")
        .await
        .expect(StatusCode::CREATED)
        .id();
    post(&app, &shs_owner, &format!("{}/comments/{a}/support", conv(id)), json!({})).await.expect(StatusCode::OK);
    // Edited and answered by the office alone: a compound's parties do not speak for the others.
    for login in ["committee", "property2"] {
        put(&app, login, &conv(id), reword(&opened, FIRST_ARTICLE, "冒名修改。")).await.expect(StatusCode::FORBIDDEN);
        let no = json!({ "outcome": "not_adopted", "reason": "不行。", "version": 1 });
        answer(&app, login, id, a, no).await.expect(StatusCode::FORBIDDEN);
    }
    let yes = json!({ "outcome": "adopted", "reason": "采纳。", "version": 1 });
    let done = answer(&app, "staff", id, a, yes).await.expect(StatusCode::OK).body;
    assert_eq!((done["applied_version"].as_i64(), done["supports"].as_i64()), (Some(2), Some(1)));
    assert_eq!(article(&show(&app, &shs_owner, id).await, FIRST_ARTICLE)["text"], "本公约适用于本社区全体居民。");
}

#[tokio::test]
async fn an_amendment_the_drafters_already_wrote_into_the_text_is_adopted_without_a_new_version() {
    let app = spawn_demo().await;
    let v = consulting(&app).await;
    let id = v["id"].as_i64().unwrap();
    let wording = "本公约适用于本小区全体业主、住户和租户。";
    // Written with Windows line breaks around it: kept as the text would hold it.
    let a =
        amend(&app, "owner001", id, FIRST_ARTICLE, 1, &format!("\r\n{wording}\r\n")).await.expect(StatusCode::CREATED);
    assert_eq!(a.body["wording"], wording);
    let v = put(&app, "committee", &conv(id), reword(&v, FIRST_ARTICLE, wording)).await.expect(StatusCode::OK).body;
    assert_eq!(v["version"], 2);
    let body = json!({ "outcome": "adopted", "reason": "已按此修改。", "version": 2 });
    let r = answer(&app, "committee", id, a.id(), body).await.expect(StatusCode::OK).body;
    assert_eq!((r["status"].as_str(), r["applied_version"].as_i64()), (Some("adopted"), None));
    assert_eq!(show(&app, "committee", id).await["version"], 2, "no version saved for a text already so");
}
