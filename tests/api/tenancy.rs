use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn kinds(parties: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = parties.as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    k.sort();
    k
}

#[tokio::test]
async fn an_administrator_sets_up_a_community_a_compound_and_a_building() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let res = app
        .post("/api/v1/communities", Some(&admin), json!({ "name": " 七里河社区 ", "address": "平城区七里河街道" }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(res.body["community"]["name"], "七里河社区");
    assert_eq!(res.body["compounds"], json!([]));
    assert_eq!(kinds(&res.body["parties"]), ["community_office"]);
    assert_eq!(res.body["parties"][0]["name"], "七里河社区居委会");
    let community = res.body["community"]["id"].as_i64().unwrap();

    let res = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            Some(&admin),
            json!({ "name": "河畔花园", "property_company_name": "河畔物业" }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(res.body["compound"]["name"], "河畔花园");
    assert_eq!(res.body["compound"]["community_id"], community);
    assert_eq!(res.body["compound"]["units"], 0);
    assert_eq!(res.body["compound"]["total_area"], "0.00");
    assert_eq!(kinds(&res.body["parties"]), ["community_office", "owners_committee", "property_company"]);
    let names: Vec<&str> =
        res.body["parties"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"河畔物业") && names.contains(&"河畔花园业主委员会"), "{names:?}");
    let compound = res.body["compound"]["id"].as_i64().unwrap();

    let res = app
        .post(&format!("/api/v1/compounds/{compound}/buildings"), Some(&admin), json!({ "name": "1号楼" }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(res.body["name"], "1号楼");
    assert_eq!(res.body["compound_id"], compound);
    assert_eq!(res.body["units"], 0);

    let detail = app.get(&format!("/api/v1/compounds/{compound}"), &admin).await.expect(StatusCode::OK);
    assert_eq!(detail.body["compound"]["buildings"], 1);
    assert_eq!(detail.body["buildings"][0]["name"], "1号楼");
    assert_eq!(detail.body["community"]["id"], community);
    let detail = app.get(&format!("/api/v1/communities/{community}"), &admin).await.expect(StatusCode::OK);
    assert_eq!(detail.body["compounds"].as_array().unwrap().len(), 1);
    assert_eq!(detail.body["parties"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn duplicate_names_answer_409_and_store_nothing_more() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let tyc = app.compound_id(TYC).await;

    let res = app
        .post("/api/v1/communities", Some(&admin), json!({ "name": "太阳城社区" }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "community_exists");
    let res = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            Some(&admin),
            json!({ "name": TYC, "property_company_name": "别的物业" }),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "compound_exists");
    let res = app
        .post(&format!("/api/v1/compounds/{tyc}/buildings"), Some(&admin), json!({ "name": "1号楼" }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "building_exists");

    let list = app.get("/api/v1/communities", &admin).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let detail = app.get(&format!("/api/v1/communities/{community}"), &admin).await.expect(StatusCode::OK);
    assert_eq!(detail.body["compounds"].as_array().unwrap().len(), 3);
    assert_eq!(detail.body["parties"].as_array().unwrap().len(), 7);
    assert_eq!(app.compound_summary(tyc).await["buildings"], 5);
}

#[tokio::test]
async fn a_blank_name_answers_422_naming_the_field() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let tyc = app.compound_id(TYC).await;
    let attempts = [
        ("/api/v1/communities".to_owned(), json!({ "name": "   " })),
        (
            format!("/api/v1/communities/{community}/compounds"),
            json!({ "name": "", "property_company_name": "某物业" }),
        ),
        (format!("/api/v1/compounds/{tyc}/buildings"), json!({ "name": " " })),
    ];
    for (path, body) in attempts {
        let res = app.post(&path, Some(&admin), body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.code(), "validation_failed");
        assert!(res.body["error"]["fields"]["name"].is_string(), "{}", res.body);
    }
    let list = app.get("/api/v1/communities", &admin).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(app.compound_summary(tyc).await["buildings"], 5);
}

#[tokio::test]
async fn a_secretary_cannot_set_up_communities_compounds_or_buildings() {
    let app = spawn_demo().await;
    let secretary = app.token("secretary").await;
    let community = app.community_id().await;
    let tyc = app.compound_id(TYC).await;
    let attempts = [
        ("/api/v1/communities".to_owned(), json!({ "name": "七里河社区" })),
        (
            format!("/api/v1/communities/{community}/compounds"),
            json!({ "name": "新小区", "property_company_name": "某物业" }),
        ),
        (format!("/api/v1/compounds/{tyc}/buildings"), json!({ "name": "99号楼" })),
    ];
    for (path, body) in attempts {
        let res = app.post(&path, Some(&secretary), body).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden");
    }
    let admin = app.token("admin").await;
    let list = app.get("/api/v1/communities", &admin).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let detail = app.get(&format!("/api/v1/communities/{community}"), &admin).await.expect(StatusCode::OK);
    assert_eq!(detail.body["compounds"].as_array().unwrap().len(), 3);
    assert_eq!(app.compound_summary(tyc).await["buildings"], 5);
}

#[tokio::test]
async fn the_secretary_sees_the_community_with_both_compounds_and_their_totals() {
    let app = spawn_demo().await;
    let secretary = app.token("secretary").await;
    let list = app.get("/api/v1/communities", &secretary).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["name"], "太阳城社区");
    let id = list.body[0]["id"].as_i64().unwrap();

    let detail = app.get(&format!("/api/v1/communities/{id}"), &secretary).await.expect(StatusCode::OK);
    let compounds = detail.body["compounds"].as_array().unwrap();
    let names: Vec<&str> = compounds.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, [TYC, SHS, BMX]);
    // 5 buildings × 2 entrances × 11 floors × 2 flats; one holder owns three of them and the
    // developer's 12 unsold flats count as one head.
    // 北门小院: one building of 24 flats, one holder with two and the developer with two.
    let expected = [(TYC, 5, 220, 220 - 2 - 12 + 1), (SHS, 3, 108, 108 - 2 - 6 + 1), (BMX, 1, 24, 24 - 1 - 1)];
    for (c, (name, buildings, units, holders)) in compounds.iter().zip(expected) {
        assert_eq!(c["name"], name);
        assert_eq!(c["buildings"], buildings);
        assert_eq!(c["units"], units);
        assert_eq!(c["holders"], holders);
        let id = c["id"].as_i64().unwrap();
        let listed = app.get(&format!("/api/v1/compounds/{id}/units"), &secretary).await.expect(StatusCode::OK);
        let sum: i64 = listed.body.as_array().unwrap().iter().map(|u| centi(&u["area"])).sum();
        assert_eq!(centi(&c["total_area"]), sum, "{name}: total_area {}", c["total_area"]);
    }
}

#[tokio::test]
async fn property_staff_of_another_compound_do_not_see_this_one() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let property2 = app.token("property2").await;
    let res = app.get(&format!("/api/v1/compounds/{tyc}"), &property2).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    app.get(&format!("/api/v1/compounds/{shs}"), &property2).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn an_owner_sees_their_own_compound_but_not_the_neighbouring_one() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let owner = app.token("owner001").await;
    let res = app.get(&format!("/api/v1/compounds/{tyc}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(res.body["compound"]["name"], TYC);
    let res = app.get(&format!("/api/v1/compounds/{shs}"), &owner).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    let res = app.get("/api/v1/compounds/999999", &owner).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
}

#[tokio::test]
async fn an_administrator_renames_a_party_and_others_cannot() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let tyc = app.compound_id(TYC).await;
    let detail = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let party =
        detail.body["parties"].as_array().unwrap().iter().find(|p| p["kind"] == "property_company").unwrap()["id"]
            .as_i64()
            .unwrap();
    let path = format!("/api/v1/parties/{party}");

    let secretary = app.token("secretary").await;
    let res = app.patch(&path, &secretary, json!({ "name": "冒名物业" })).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    let res = app.patch(&path, &admin, json!({ "name": "  " })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["name"].is_string());
    app.patch("/api/v1/parties/999999", &admin, json!({ "name": "无" })).await.expect(StatusCode::NOT_FOUND);

    let res = app.patch(&path, &admin, json!({ "name": "阳光物业服务有限公司" })).await.expect(StatusCode::OK);
    assert_eq!(res.body["name"], "阳光物业服务有限公司");
    assert_eq!(res.body["kind"], "property_company");
    let detail = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let names: Vec<&str> =
        detail.body["parties"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"阳光物业服务有限公司"), "{names:?}");
    assert!(!names.contains(&"冒名物业"));
}

#[tokio::test]
async fn an_administrator_is_refused_a_communitys_office_business_with_403_not_404() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let created = app.post("/api/v1/communities", Some(&admin), json!({ "name": "七里河社区" })).await;
    let id = created.expect(StatusCode::CREATED).body["community"]["id"].as_i64().unwrap();
    // The administrator made it, so it exists for them; recovering accounts is the office's.
    app.get(&format!("/api/v1/communities/{id}/recovery-codes"), &admin).await.expect(StatusCode::FORBIDDEN);
    app.get(&format!("/api/v1/communities/{id}"), &admin).await.expect(StatusCode::OK);
}
