//! Writes the compatibility fixture, `tests/fixtures/before-refactor.db` and `.json`, from the
//! code as it stands: `cargo run --example compat_fixture`. Running it again replaces the
//! fixture, which defeats its purpose unless a change of stored format is intended; see
//! `tests/fixtures/README.md`.
#[path = "../tests/compat/common.rs"]
mod common;

use common::*;

const ROSTER_HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key\n";

/// Seven units of six holders; H1 holds two flats.
const ROSTER: &str = "1号楼,101,89.45,registered,甲一,,H1\n\
                      1号楼,102,89.45,registered,甲一,,H1\n\
                      1号楼,201,105.32,registered,乙二,,H2\n\
                      1号楼,202,126.78,contract,丙三,,H3\n\
                      2号楼,101,143.21,registered,丁四,13800000004,H4\n\
                      2号楼,102,98.10,surveyed,戊五,,H5\n\
                      2号楼,201,77.00,registered,己六,,H6\n";

/// Write `tests/fixtures/before-refactor.db` and `.json` from today's code. Running it again
/// replaces the fixture, which defeats its purpose unless a change of stored format is intended.
async fn write_fixture() {
    let dir = TempDir::new();
    let db = sanfang::db::connect(&dir.url("work.db")).await.unwrap();
    sanfang::accounts::create_admin(&db, "admin", "平台管理员", PASSWORD).await.unwrap();
    let mut app = Client::new(&db);
    let admin = app.token("admin").await;

    // The community, its compound and the three parties' people.
    let res = app
        .post(
            "/api/v1/communities",
            &admin,
            json!({ "name": "兼容社区", "address": "平城区南街街道", "office_name": "兼容社区居委会" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let community = res.body["community"]["id"].as_i64().unwrap();
    let res = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            &admin,
            json!({ "name": "旧城小院", "address": "平城区南街街道旧城路", "property_company_name": "旧城小院物业服务中心",
                    "committee_name": "旧城小院业主委员会" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let compound = res.body["compound"]["id"].as_i64().unwrap();
    app.send(
        Method::PUT,
        &format!("/api/v1/compounds/{compound}/rules"),
        Some(&admin),
        json!({ "notice_days": 0, "publicity_days": 7 }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);

    let mut ids = BTreeMap::new();
    for (username, name) in [
        ("office-li", "李明"),
        ("office-zhang", "张华"),
        ("pm-zhao", "赵强"),
        ("chair-liu", "刘洋"),
        ("member-chen", "陈静"),
        ("owner-1", "甲一"),
        ("owner-2", "乙二"),
        ("owner-3", "丙三"),
        ("owner-6", "己六"),
        ("relative-3", "丙小妹"),
    ] {
        let res = app
            .post("/api/v1/users", &admin, json!({ "username": username, "display_name": name, "password": PASSWORD }))
            .await
            .expect(StatusCode::CREATED);
        ids.insert(username, res.id());
    }
    for (username, role, scope) in [
        ("office-li", "secretary", json!({ "community_id": community })),
        ("office-zhang", "community_staff", json!({ "community_id": community })),
        ("pm-zhao", "property_manager", json!({ "compound_id": compound })),
        ("chair-liu", "committee_chair", json!({ "compound_id": compound })),
        ("member-chen", "committee_member", json!({ "compound_id": compound })),
    ] {
        let mut body = scope;
        body["role"] = json!(role);
        app.post(&format!("/api/v1/users/{}/memberships", ids[username]), &admin, body)
            .await
            .expect(StatusCode::CREATED);
    }
    app.send(
        Method::PATCH,
        &format!("/api/v1/users/{}", ids["owner-3"]),
        Some(&admin),
        json!({ "phone": "13800000003" }),
    )
    .await
    .expect(StatusCode::OK);

    let secretary = app.token("office-li").await;
    let staff = app.token("office-zhang").await;
    let property = app.token("pm-zhao").await;
    let chair = app.token("chair-liu").await;
    let member = app.token("member-chen").await;

    // The roster, imported twice: the second sheet corrects one area.
    let roster = format!("{ROSTER_HEADER}{ROSTER}");
    let path = format!("/api/v1/compounds/{compound}/roster");
    let res = app.upload(&path, &secretary, roster.clone().into_bytes(), "text/csv").await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    let corrected = roster.replace("98.10,surveyed", "98.16,surveyed");
    let res = app.upload(&path, &secretary, corrected.into_bytes(), "text/csv").await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    assert_eq!(res.body["units_updated"], 1, "{}", res.body);
    let holders = app.get(&format!("/api/v1/compounds/{compound}/holders"), &secretary).await.expect(StatusCode::OK);
    let holder: BTreeMap<String, i64> = holders
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["holder_key"].as_str().unwrap().to_owned(), h["id"].as_i64().unwrap()))
        .collect();

    // Owners linked by two people: the office asks, the committee confirms.
    for (key, login) in [("H1", "owner-1"), ("H2", "owner-2"), ("H3", "owner-3")] {
        let asked = app
            .post(&format!("/api/v1/holders/{}/links", holder[key]), &secretary, json!({ "login": login }))
            .await
            .expect(StatusCode::ACCEPTED);
        app.post(&format!("/api/v1/link-requests/{}/confirm", asked.id()), &chair, json!({}))
            .await
            .expect(StatusCode::OK);
    }
    // Invitation codes: the committee issues, the office confirms; one owner registers with the
    // code, another redeems it into an existing account.
    let mut codes = BTreeMap::new();
    for key in ["H4", "H6"] {
        let inv = app
            .post(&format!("/api/v1/holders/{}/invitations", holder[key]), &member, json!({}))
            .await
            .expect(StatusCode::CREATED);
        app.post(&format!("/api/v1/invitations/{}/confirm", inv.id()), &secretary, json!({}))
            .await
            .expect(StatusCode::OK);
        codes.insert(key, inv.body["code"].as_str().unwrap().to_owned());
    }
    let res = app
        .send(
            Method::POST,
            "/api/v1/auth/register",
            None,
            json!({ "code": codes["H4"], "display_name": "丁四", "phone": REGISTERED_PHONE, "password": PASSWORD }),
        )
        .await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    let owner6 = app.token("owner-6").await;
    app.post("/api/v1/invitations/redeem", &owner6, json!({ "code": codes["H6"] })).await.expect(StatusCode::OK);

    // A written proxy for H3, registered by the office and confirmed by the committee.
    app.post(
        &format!("/api/v1/compounds/{compound}/proxies"),
        &secretary,
        json!({ "holder_id": holder["H3"], "proxy_login": "relative-3", "valid_from": at(-Duration::hours(1)),
                "valid_until": at(Duration::days(365)), "note": "书面委托书存居委会" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let proxies = app.get(&format!("/api/v1/compounds/{compound}/proxies"), &secretary).await.expect(StatusCode::OK);
    let proxy = proxies.body[0]["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/proxies/{proxy}/confirm"), &chair, json!({})).await.expect(StatusCode::OK);

    // Two votes that open at once and close half a minute later: a motion with an attachment, and a secret
    // election.
    let files = format!("/api/v1/compounds/{compound}/files");
    let plan = app
        .upload(&format!("{files}?name=plan.pdf"), &chair, b"%PDF-1.4 plan".to_vec(), "application/pdf")
        .await
        .expect(StatusCode::CREATED)
        .id();
    let slip_scan = app
        .upload(&format!("{files}?name=slip.pdf"), &staff, b"%PDF-1.4 slip H5".to_vec(), "application/pdf")
        .await
        .expect(StatusCode::CREATED)
        .id();
    let owners = [
        app.token("owner-1").await,
        app.token("owner-2").await,
        app.token("owner-3").await,
        app.token(REGISTERED_PHONE).await,
        owner6.clone(),
    ];
    let relative = app.token("relative-3").await;
    let closes_at = Utc::now() + Duration::seconds(30);
    let mut vote_ids = Vec::new();
    for body in [
        json!({ "title": "北侧绿地改建停车位", "body": "## 方案\n\n改建 12 个车位，费用由公共收益列支。",
                "matter": "common_use", "form": "motion", "attachment_ids": [plan] }),
        json!({ "title": "第一届业主委员会选举", "body": "选举委员 2 名。", "matter": "committee",
                "form": "election", "seats": 2, "candidates": ["王委员", "李委员", "张委员"], "secret": true }),
    ] {
        let mut body = body;
        body["opens_at"] = json!(at(Duration::zero()));
        body["closes_at"] = json!(closes_at.to_rfc3339());
        let id = app
            .post(&format!("/api/v1/compounds/{compound}/votes"), &chair, body)
            .await
            .expect(StatusCode::CREATED)
            .id();
        let v = app.post(&format!("/api/v1/votes/{id}/publish"), &chair, json!({})).await.expect(StatusCode::OK);
        assert_eq!(v.body["status"], "open", "{}", v.body);
        vote_ids.push(id);
    }
    let (motion, election) = (vote_ids[0], vote_ids[1]);
    let cast = |vote: i64| format!("/api/v1/votes/{vote}/ballots");

    app.post(&cast(motion), &owners[0], json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    for _ in 0..2 {
        // A phone that retries: the same key stores one ballot.
        app.post(&cast(motion), &owners[1], json!({ "choice": "oppose", "idempotency_key": "retry-owner-2" }))
            .await
            .expect(StatusCode::CREATED);
    }
    app.post(&cast(motion), &relative, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    app.post(&cast(motion), &owners[3], json!({ "choice": "abstain" })).await.expect(StatusCode::CREATED);
    let paper = format!("/api/v1/votes/{motion}/paper-ballots");
    let slip = app
        .post(
            &paper,
            &staff,
            json!({ "holder_id": holder["H5"], "serial": "JC-0001", "choice": "agree", "scan_file_id": slip_scan }),
        )
        .await
        .expect(StatusCode::CREATED);
    app.post(&format!("{paper}/{}/confirm", slip.id()), &secretary, json!({})).await.expect(StatusCode::OK);
    // A slip for H6 is entered but never confirmed: it stays pending.
    app.post(&paper, &staff, json!({ "holder_id": holder["H6"], "serial": "JC-0002", "choice": "oppose" }))
        .await
        .expect(StatusCode::CREATED);

    for (token, picks) in [
        (&owners[0], json!([0, 1])),
        (&owners[1], json!([1, 2])),
        (&relative, json!([0, 2])),
        (&owners[3], json!([0])),
        (&owners[4], json!([1, 0])),
    ] {
        app.post(&cast(election), token, json!({ "candidates": picks })).await.expect(StatusCode::CREATED);
    }
    app.get(&format!("/api/v1/votes/{motion}/turnout"), &chair).await.expect(StatusCode::OK);

    // A concern, from raising to the owner's rating.
    let categories = app
        .get(&format!("/api/v1/communities/{community}/concern-categories"), &secretary)
        .await
        .expect(StatusCode::OK);
    let category = categories.body[0]["id"].as_i64().unwrap();
    let concern = app
        .post(
            &format!("/api/v1/compounds/{compound}/concerns"),
            &owners[0],
            json!({ "category_id": category, "text": "2号楼电梯经常停运", "location": "2号楼" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    let step = |what: &str| format!("/api/v1/concerns/{concern}/{what}");
    app.post(&step("route"), &secretary, json!({ "note": "请物业尽快处理", "party_kind": "property_company" }))
        .await
        .expect(StatusCode::OK);
    app.post(&step("acknowledge"), &property, json!({})).await.expect(StatusCode::OK);
    app.post(&step("replies"), &property, json!({ "text": "维保单位明早到场" })).await.expect(StatusCode::OK);
    app.post(&step("resolve"), &property, json!({ "note": "已更换控制板" })).await.expect(StatusCode::OK);
    app.post(&step("rating"), &owners[0], json!({ "rating": 4, "comment": "处理及时" })).await.expect(StatusCode::OK);
    let done = app.post(&step("confirm"), &owners[0], json!({})).await.expect(StatusCode::OK);
    let concern_status = done.body["status"].clone();

    // An agenda, co-signed and discussed.
    let agenda = app
        .post(
            &format!("/api/v1/compounds/{compound}/agendas"),
            &chair,
            json!({ "title": "小区养犬", "description": "**议题**说明" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    app.post(&format!("/api/v1/agendas/{agenda}/cosign"), &owners[1], json!({})).await.expect(StatusCode::OK);
    let comments = format!("/api/v1/agendas/{agenda}/comments");
    let top = app.post(&comments, &owners[0], json!({ "body": "建议划定遛狗区域" })).await.expect(StatusCode::CREATED);
    app.post(&comments, &property, json!({ "body": "物业可配合设置", "parent_id": top.id() }))
        .await
        .expect(StatusCode::CREATED);

    // An anonymous questionnaire, answered twice and closed.
    let survey = app
        .post(
            &format!("/api/v1/compounds/{compound}/questionnaires"),
            &chair,
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
                "anonymous": true,
                "answer_per": "holder",
                "allow_edit": false,
                "results_visibility": "live",
                "opens_at": at(-Duration::minutes(1)),
                "closes_at": at(Duration::hours(1)),
            }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    app.post(&format!("/api/v1/questionnaires/{survey}/publish"), &chair, json!({})).await.expect(StatusCode::OK);
    for (token, answers) in [
        (&owners[0], json!([{ "choices": [0] }, { "choices": [0, 2] }, { "rating": 4 }, { "text": "晚上遛狗请拴绳" }])),
        (&owners[1], json!([{ "choices": [1] }, {}, { "rating": 5 }, {}])),
    ] {
        let res =
            app.post(&format!("/api/v1/questionnaires/{survey}/answers"), token, json!({ "answers": answers })).await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
    }
    app.post(&format!("/api/v1/questionnaires/{survey}/close"), &chair, json!({})).await.expect(StatusCode::OK);
    let results = app.get(&format!("/api/v1/questionnaires/{survey}/results"), &admin).await.expect(StatusCode::OK);

    // A notice from the property company, read by an owner.
    app.post(
        &format!("/api/v1/compounds/{compound}/notices"),
        &property,
        json!({ "party": "property_company", "title": "电梯停运检修通知", "body": "**2号楼**电梯周六 9:00–12:00 停运检修。" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let inbox = app.get("/api/v1/me/inbox", &owners[0]).await.expect(StatusCode::OK);
    let first = inbox.body[0]["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/me/inbox/{first}/read"), &owners[0], json!({})).await.expect(StatusCode::NO_CONTENT);

    // owner-2 forgot their password: one clerk of the office issues a recovery code, a second
    // confirms it.
    let code = app
        .post(&format!("/api/v1/users/{}/recovery-codes", ids["owner-2"]), &secretary, json!({}))
        .await
        .expect(StatusCode::CREATED);
    app.post(&format!("/api/v1/recovery-codes/{}/confirm", code.id()), &staff, json!({})).await.expect(StatusCode::OK);
    app.send(
        Method::POST,
        "/api/v1/auth/recover",
        None,
        json!({ "login": "owner-2", "recovery_code": code.body["code"], "new_password": RECOVERED_PASSWORD }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);

    // The votes close; an owner objects to the motion's result during its publicity.
    let wait = closes_at - Utc::now() + Duration::seconds(1);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let mut votes = Vec::new();
    for id in [motion, election] {
        let v = app.get(&format!("/api/v1/votes/{id}"), &admin).await.expect(StatusCode::OK).body;
        assert_eq!(v["status"], "closed", "{v}");
        votes.push(json!({ "id": id, "title": v["title"], "result": v["result"] }));
    }
    app.post(&format!("/api/v1/votes/{motion}/objections"), &owners[0], json!({ "text": "纸质票 JC-0002 未计入" }))
        .await
        .expect(StatusCode::CREATED);

    assert!(matches!(sanfang::audit::verify(&db).await.unwrap(), VerifyReport::Ok { .. }));
    assert_eq!(sanfang::votes::verify_ballots(&db).await.map_err(|e| e.to_string()).unwrap(), None);

    let record = json!({
        "written_by": written_by(),
        "written_at": Utc::now().to_rfc3339(),
        "migrations": migrations(&db).await,
        "tables": table_rows(&db).await,
        "compound_id": compound,
        "concern_id": concern,
        "concern_status": concern_status,
        "agenda_id": agenda,
        "questionnaire_id": survey,
        "questionnaire_respondents": results.body["respondents"],
        "votes": votes,
        "audit_events": audit_events(&db).await.iter().map(audit_record).collect::<Vec<_>>(),
        "ballots": ballots(&db).await.iter().map(ballot_record).collect::<Vec<_>>(),
    });

    let out = fixture("before-refactor.db");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    let target = out.to_str().expect("a UTF-8 path").replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'")).await.unwrap();
    std::fs::write(fixture("before-refactor.json"), serde_json::to_string_pretty(&record).unwrap() + "\n").unwrap();
    db.close().await.unwrap();
}

/// The package version and the commit of the code that writes the fixture, and whether its
/// server or migrations had uncommitted changes.
fn written_by() -> Value {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "HEAD"]);
    let dirty = git(&["status", "--porcelain", "--", "src", "migration", "Cargo.lock"]).map(|s| !s.is_empty());
    json!({ "package": env!("CARGO_PKG_VERSION"), "commit": commit, "uncommitted_changes": dirty })
}

#[tokio::main]
async fn main() {
    write_fixture().await;
    println!("wrote {}", fixture("before-refactor.db").display());
}
