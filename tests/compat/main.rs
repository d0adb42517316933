//! Stored data outlives the code that wrote it. `tests/fixtures/before-refactor.db` is a SQLite
//! database written through the public API by the code before the server's refactor, and
//! `before-refactor.json` records what that code stored: every audit event's hash and every
//! ballot's receipt. Today's code must migrate the old database, pass `sanfang verify` on it, keep
//! those hashes and receipts byte for byte, and still serve the old data.
//!
//! The fixture is written once, by `cargo run --example compat_fixture`; see
//! `tests/fixtures/README.md`.
mod common;

use common::*;

#[tokio::test]
async fn the_old_database_migrates_and_keeps_every_audit_hash_and_ballot_receipt_byte_for_byte() {
    let rec = recorded();
    let (_dir, url) = copy_of_fixture();
    let db = sanfang::db::connect(&url).await.expect("the old database migrates");

    let applied = migrations(&db).await;
    for m in rec["migrations"].as_array().unwrap() {
        assert!(applied.iter().any(|a| a == m.as_str().unwrap()), "migration {m} is no longer recorded as applied");
    }

    // Every event the old code wrote is still there, unchanged and in its place in the chain.
    let events = audit_events(&db).await;
    let old_events = rec["audit_events"].as_array().unwrap();
    assert!(old_events.len() > 50, "the fixture records a good number of events");
    assert!(events.len() >= old_events.len(), "events were lost: {} of {}", events.len(), old_events.len());
    for (now, then) in events.iter().zip(old_events) {
        assert_eq!(&audit_record(now), then, "audit event #{} changed", then["seq"]);
    }

    // Every ballot keeps its receipt and the chain event that recorded it.
    let stored = ballots(&db).await;
    let old_ballots = rec["ballots"].as_array().unwrap();
    assert!(!old_ballots.is_empty());
    assert_eq!(stored.len(), old_ballots.len(), "ballots were added or lost");
    for (now, then) in stored.iter().zip(old_ballots) {
        assert_eq!(&ballot_record(now), then, "ballot {} changed", then["id"]);
    }

    // And both checks `sanfang verify` runs pass.
    match sanfang::audit::verify(&db).await.unwrap() {
        VerifyReport::Ok { events: n, head } => {
            assert_eq!(n as usize, events.len());
            assert_eq!(head, events.last().unwrap().hash);
        }
        broken => panic!("the old audit chain no longer verifies: {broken:?}"),
    }
    let ballots_ok = sanfang::votes::verify_ballots(&db).await.map_err(|e| e.to_string()).unwrap();
    assert_eq!(ballots_ok, None, "a ballot no longer matches its chain event");
}

#[tokio::test]
async fn old_accounts_sign_in_and_old_votes_concerns_and_agendas_read_through_the_api() {
    let rec = recorded();
    let (_dir, url) = copy_of_fixture();
    let db = sanfang::db::connect(&url).await.expect("the old database migrates");
    let mut app = Client::new(&db);

    // Password hashes written by the old code still admit their accounts.
    let admin = app.token("admin").await;
    app.sign_in("owner-1", "wrong-password-1").await.expect(StatusCode::UNAUTHORIZED);
    let owner1 = app.token("owner-1").await;
    app.token_with("owner-2", RECOVERED_PASSWORD).await;
    app.token(REGISTERED_PHONE).await;

    // The closed votes keep their results, and their ballots and receipts are still listed.
    for then in recorded_votes(&rec) {
        let id = then["id"].as_i64().unwrap();
        let v = app.get(&format!("/api/v1/votes/{id}"), &admin).await.expect(StatusCode::OK).body;
        assert_eq!(v["status"], "closed", "{v}");
        assert_eq!(v["title"], then["title"]);
        let (r, old) = (&v["result"], &then["result"]);
        for key in ["total", "participating", "agree", "oppose", "abstain", "candidates", "tied", "passed"] {
            assert_eq!(r[key], old[key], "vote {id}, result.{key}: {r}");
        }

        let listed = app.get(&format!("/api/v1/votes/{id}/ballots"), &owner1).await.expect(StatusCode::OK).body;
        let mut receipts: Vec<&str> =
            listed.as_array().unwrap().iter().map(|b| b["receipt"].as_str().unwrap()).collect();
        let mut old_receipts: Vec<&str> = rec["ballots"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["vote_id"] == id && b["status"] == "counted")
            .map(|b| b["receipt"].as_str().unwrap())
            .collect();
        receipts.sort_unstable();
        old_receipts.sort_unstable();
        assert_eq!(receipts, old_receipts, "vote {id} lists other receipts than it stored");
    }

    // The rest of the community: its roster, concern, agenda with comments, questionnaire, notice.
    let compound = rec["compound_id"].as_i64().unwrap();
    let holders = app.get(&format!("/api/v1/compounds/{compound}/holders"), &admin).await.expect(StatusCode::OK);
    assert_eq!(holders.body.as_array().unwrap().len(), 6, "{}", holders.body);
    let concern = rec["concern_id"].as_i64().unwrap();
    let concerns = app.get(&format!("/api/v1/compounds/{compound}/concerns"), &admin).await.expect(StatusCode::OK);
    assert_eq!(concerns.body["items"][0]["id"], concern, "{}", concerns.body);
    let c = app.get(&format!("/api/v1/concerns/{concern}"), &owner1).await.expect(StatusCode::OK);
    assert_eq!(c.body["status"], rec["concern_status"], "{}", c.body);
    let agenda = rec["agenda_id"].as_i64().unwrap();
    app.get(&format!("/api/v1/agendas/{agenda}"), &owner1).await.expect(StatusCode::OK);
    let comments = app.get(&format!("/api/v1/agendas/{agenda}/comments"), &owner1).await.expect(StatusCode::OK);
    let thread = &comments.body[0];
    assert_eq!(
        (&thread["body"], &thread["replies"][0]["body"]),
        (&json!("建议划定遛狗区域"), &json!("物业可配合设置"))
    );
    assert_eq!(thread["replies"][0]["official_kind"], "property_company", "{thread}");
    let survey = rec["questionnaire_id"].as_i64().unwrap();
    let results = app.get(&format!("/api/v1/questionnaires/{survey}/results"), &admin).await.expect(StatusCode::OK);
    assert_eq!(results.body["respondents"], rec["questionnaire_respondents"], "{}", results.body);
    let inbox = app.get("/api/v1/me/inbox", &owner1).await.expect(StatusCode::OK);
    assert!(!inbox.body.as_array().unwrap().is_empty());

    // The audit trail serves the old events with the hashes they were written with.
    let old_events = rec["audit_events"].as_array().unwrap();
    let before = old_events.len() + 1;
    let trail = app.get(&format!("/api/v1/audit?before={before}&limit=500"), &admin).await.expect(StatusCode::OK);
    let served: Vec<Value> = trail
        .body
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| json!({ "seq": e["seq"], "action": e["action"], "hash": e["hash"] }))
        .collect();
    let written: Vec<Value> =
        old_events.iter().map(|e| json!({ "seq": e["seq"], "action": e["action"], "hash": e["hash"] })).collect();
    assert_eq!(served, written);

    // What the new code wrote here (the sign-ins) joins the old chain, which still verifies.
    match sanfang::audit::verify(&db).await.unwrap() {
        VerifyReport::Ok { events, .. } => assert!(events as usize > old_events.len(), "nothing was appended"),
        broken => panic!("the chain broke after new writes: {broken:?}"),
    }
}

#[test]
fn sanfang_verify_passes_on_the_old_database() {
    let (_dir, url) = copy_of_fixture();
    let out = Command::new(env!("CARGO_BIN_EXE_sanfang"))
        .arg("verify")
        .env("DATABASE_URL", &url)
        .output()
        .expect("run sanfang verify");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "sanfang verify failed on the old database\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = recorded()["audit_events"].as_array().unwrap().len();
    assert!(stdout.contains(&format!("audit chain ok: {events} events")), "{stdout}");
    assert!(stdout.contains("every ballot matches the chain event that recorded it"), "{stdout}");
}

// Writing the fixture.
