//! The list of a compound's votes says, for each, how many of the caller's homes may vote in it
//! and for how many a ballot is in: the home page's "去投票 / 已投票 ✓ / 还有 N 户未投".
use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{helpers::*, votes::*, votes_casting::register_proxy};

/// `mine` of vote `id` in compound `compound`'s list as `token` reads it.
async fn mine_in_list(app: &TestApp, token: &str, compound: i64, id: i64) -> Value {
    let list = app.get(&format!("/api/v1/compounds/{compound}/votes"), token).await.expect(StatusCode::OK);
    let v = list.body.as_array().unwrap().iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("{id} not listed"));
    v["mine"].clone()
}

/// An open covenant vote in 太阳城二期, and the compound's id.
async fn open_in_tyc(app: &TestApp, title: &str) -> (i64, i64) {
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    (tyc, open_vote(app, &committee, tyc, motion(title, "covenant")).await)
}

#[tokio::test]
async fn the_vote_list_tells_an_owner_whether_they_have_voted() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, "楼道堆物清理").await;
    let (_, login) = linked(&app, tyc).await.remove(3);
    let owner = app.token(&login).await;
    assert_eq!(mine_in_list(&app, &owner, tyc, id).await, json!({ "homes": 1, "voted": 0 }));

    cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(mine_in_list(&app, &owner, tyc, id).await, json!({ "homes": 1, "voted": 1 }));
}

#[tokio::test]
async fn each_vote_in_the_list_counts_the_owners_own_homes_and_ballots() {
    let app = spawn_demo().await;
    let (tyc, first) = open_in_tyc(&app, "楼道堆物清理").await;
    let (_, second) = open_in_tyc(&app, "小区停车收费").await;
    let free = app.unlinked_holders(tyc).await;
    let (a, b) = (hid(&free[0]), hid(&free[1]));
    app.create_user("twohomes").await;
    for h in [a, b] {
        app.link_owner(h, "twohomes").await;
    }
    let owner = app.token("twohomes").await;
    cast(&app, &owner, first, json!({ "holder_id": a, "choice": "agree" })).await.expect(StatusCode::CREATED);

    assert_eq!(mine_in_list(&app, &owner, tyc, first).await, json!({ "homes": 2, "voted": 1 }));
    assert_eq!(mine_in_list(&app, &owner, tyc, second).await, json!({ "homes": 2, "voted": 0 }));
}

#[tokio::test]
async fn a_vote_of_other_buildings_lists_no_homes_for_the_owner() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let admin = app.token("admin").await;
    let detail = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let building = |name: &str| {
        detail.body["buildings"].as_array().unwrap().iter().find(|b| b["name"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let (b1, b3) = (building("1号楼"), building("3号楼"));
    let units = app.units(tyc).await;
    let buildings_of = |holder: i64| -> BTreeSet<i64> {
        units.iter().filter(|u| u["holder_id"] == holder).map(|u| u["building_id"].as_i64().unwrap()).collect()
    };
    let owners = linked(&app, tyc).await;
    let (_, outsider) = owners.iter().find(|(h, _)| buildings_of(hid(h)) == BTreeSet::from([b3])).unwrap();
    let committee = app.token("committee").await;
    let lift =
        open_vote(&app, &committee, tyc, with(motion("1号楼加装电梯", "common_use"), json!({ "building_ids": [b1] })))
            .await;
    let whole = open_vote(&app, &committee, tyc, motion("楼道堆物清理", "covenant")).await;

    let outsider = app.token(outsider).await;
    assert_eq!(mine_in_list(&app, &outsider, tyc, lift).await, Value::Null);
    assert_eq!(mine_in_list(&app, &outsider, tyc, whole).await, json!({ "homes": 1, "voted": 0 }));
}

#[tokio::test]
async fn an_owner_holding_a_neighbours_proxy_counts_that_home_too_and_its_holder_sees_the_proxys_ballot() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, "楼道堆物清理").await;
    let owners = linked(&app, tyc).await;
    let ((x, x_login), (y, y_login)) = (&owners[0], &owners[1]);
    // Y, an owner here, holds X's written proxy.
    register_proxy(&app, tyc, hid(x), y_login).await;
    let (holder, proxy) = (app.token(x_login).await, app.token(y_login).await);
    assert_eq!(mine_in_list(&app, &proxy, tyc, id).await, json!({ "homes": 2, "voted": 0 }));

    cast(&app, &proxy, id, json!({ "holder_id": hid(x), "choice": "oppose" })).await.expect(StatusCode::CREATED);
    assert_eq!(mine_in_list(&app, &proxy, tyc, id).await, json!({ "homes": 2, "voted": 1 }));
    assert_eq!(mine_in_list(&app, &holder, tyc, id).await, json!({ "homes": 1, "voted": 1 }));
    cast(&app, &proxy, id, json!({ "holder_id": hid(y), "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(mine_in_list(&app, &proxy, tyc, id).await, json!({ "homes": 2, "voted": 2 }));
}

#[tokio::test]
async fn staff_without_a_home_get_no_count_and_an_owner_of_another_compound_no_list() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, "楼道堆物清理").await;
    for login in ["staff", "committee", "property"] {
        let token = app.token(login).await;
        let list = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &token).await.expect(StatusCode::OK);
        let listed = list.body.as_array().unwrap();
        assert!(listed.iter().any(|v| v["id"] == id), "{login}");
        assert!(listed.iter().all(|v| v.get("mine") == Some(&Value::Null)), "{login}: {}", list.body);
    }

    let shs = app.compound_id(SHS).await;
    let (_, login) = linked(&app, shs).await.remove(0);
    let stranger = app.token(&login).await;
    let res = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &stranger).await;
    assert!(matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", res.body);
    assert!(res.body.get("error").is_some() && !res.body.to_string().contains("楼道堆物清理"), "{}", res.body);
}
