//! What `/me` tells the screens each caller may do, per compound and community: true exactly for
//! the roles the permission table lets in there, false for the others and for everyone of
//! another compound or community.
use axum::http::StatusCode;
use sanfang::policy::{Permission, Role, holds_community_wide, roles_for};
use serde_json::{Value, json};

use crate::helpers::*;

/// The compound flags and the permission each stands for.
const COMPOUND_FLAGS: &[(&str, Permission)] = &[
    ("view_roster", Permission::ViewRoster),
    ("import_roster", Permission::ImportRoster),
    ("verify_owners", Permission::VerifyOwners),
    ("view_audit", Permission::ViewAudit),
    ("manage_votes", Permission::ManageVotes),
    ("count_paper", Permission::CountPaper),
    ("raise_concern", Permission::RaiseConcern),
    ("view_concerns", Permission::ViewConcerns),
    ("open_agendas", Permission::OpenAgendas),
    ("manage_questionnaires", Permission::ManageQuestionnaires),
    ("view_published_notices", Permission::ViewPublishedNotices),
];

/// The community flags and the permission each stands for.
const COMMUNITY_FLAGS: &[(&str, Permission)] = &[
    ("view_community", Permission::ViewCommunity),
    ("view_audit", Permission::ViewAudit),
    ("view_concern_dashboard", Permission::ViewConcernDashboard),
    ("manage_concern_categories", Permission::ManageConcernCategories),
    ("open_agendas", Permission::OpenAgendas),
    ("recover_accounts", Permission::RecoverAccounts),
];

/// The demo accounts, and the role each holds in 太阳城二期 (none: of 上河时代 only).
const PEOPLE: &[(&str, Option<Role>)] = &[
    ("admin", Some(Role::Admin)),
    ("secretary", Some(Role::Secretary)),
    ("staff", Some(Role::CommunityStaff)),
    ("property", Some(Role::PropertyManager)),
    ("committee", Some(Role::CommitteeChair)),
    ("member", Some(Role::CommitteeMember)),
    ("property2", None),
    ("committee2", None),
];

/// What `me` may do in `compound`: its entry, else what they may do in any compound.
fn compound_can(me: &Value, compound: i64) -> &Value {
    let listed = me["compounds"].as_array().unwrap().iter().find(|c| c["compound_id"] == compound);
    listed.map_or(&me["can"]["compound"], |c| &c["can"])
}

fn community_can(me: &Value, community: i64) -> &Value {
    let listed = me["communities"].as_array().unwrap().iter().find(|c| c["community_id"] == community);
    listed.map_or(&me["can"]["community"], |c| &c["can"])
}

#[tokio::test]
async fn each_compound_flag_is_true_for_exactly_the_roles_the_policy_allows_there() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    for (login, role) in PEOPLE {
        let me = app.get("/api/v1/me", &app.token(login).await).await.expect(StatusCode::OK).body;
        let can = compound_can(&me, tyc);
        for (flag, p) in COMPOUND_FLAGS {
            let allowed = role.is_some_and(|r| roles_for(*p).contains(&r));
            assert_eq!(can[flag], allowed, "{login} {flag}: {can}");
        }
    }
    let owner = app.owner_of(tyc).await;
    let me = app.get("/api/v1/me", &app.token(&owner).await).await.expect(StatusCode::OK).body;
    for (flag, p) in COMPOUND_FLAGS {
        assert_eq!(compound_can(&me, tyc)[flag], roles_for(*p).contains(&Role::Owner), "owner {flag}");
    }
    assert_eq!(compound_can(&me, tyc)["raise_concern"], true);
}

#[tokio::test]
async fn each_party_publishes_for_itself_in_its_own_compound_only() {
    let app = spawn_demo().await;
    let (tyc, shs) = (app.compound_id(TYC).await, app.compound_id(SHS).await);
    let cases = [
        ("secretary", json!(["community_office"]), json!(["community_office"])),
        ("property", json!(["property_company"]), json!([])),
        ("committee", json!(["owners_committee"]), json!([])),
        ("committee2", json!([]), json!(["owners_committee"])),
        ("admin", json!([]), json!([])),
    ];
    for (login, in_tyc, in_shs) in cases {
        let me = app.get("/api/v1/me", &app.token(login).await).await.expect(StatusCode::OK).body;
        assert_eq!(compound_can(&me, tyc)["publish_as"], in_tyc, "{login} in {TYC}");
        assert_eq!(compound_can(&me, shs)["publish_as"], in_shs, "{login} in {SHS}");
    }
}

#[tokio::test]
async fn the_community_flags_follow_the_policy_and_stop_at_the_community() {
    let app = spawn_demo().await;
    let community = app.community_id().await;
    for (login, role) in PEOPLE {
        let me = app.get("/api/v1/me", &app.token(login).await).await.expect(StatusCode::OK).body;
        let can = community_can(&me, community);
        // The parties of 上河时代 hold their roles in the same community.
        let role = match *login {
            "property2" => Some(Role::PropertyManager),
            "committee2" => Some(Role::CommitteeChair),
            _ => *role,
        };
        for (flag, p) in COMMUNITY_FLAGS {
            let allowed = role.is_some_and(|r| holds_community_wide(*p, r));
            assert_eq!(can[flag], allowed, "{login} {flag}: {can}");
        }
        let global = me["can"]["manage_tenancy"] == true;
        assert_eq!(global, *login == "admin", "{login} manage_tenancy");
    }
    // The secretary of another community reaches nothing of this one.
    let admin = app.token("admin").await;
    let body = json!({ "name": "七里河社区" });
    let res = app.post("/api/v1/communities", Some(&admin), body).await.expect(StatusCode::CREATED);
    let other = res.body["community"]["id"].as_i64().unwrap();
    let id = app.create_user("qlh_secretary").await;
    let grant = json!({ "role": "secretary", "community_id": other });
    app.post(&format!("/api/v1/users/{id}/memberships"), Some(&admin), grant).await.expect(StatusCode::CREATED);
    let me = app.get("/api/v1/me", &app.token("qlh_secretary").await).await.expect(StatusCode::OK).body;
    assert_eq!(community_can(&me, other)["recover_accounts"], true);
    assert_eq!(me["can"]["view_audit"], true, "their own community's trail");
    for (flag, _) in COMMUNITY_FLAGS {
        assert_eq!(community_can(&me, community)[flag], false, "{flag}");
    }
    let tyc = app.compound_id(TYC).await;
    for (flag, _) in COMPOUND_FLAGS {
        assert_eq!(compound_can(&me, tyc)[flag], false, "{flag}");
    }
    assert!(me["compounds"].as_array().unwrap().is_empty(), "{}", me["compounds"]);
}

#[tokio::test]
async fn a_secretary_is_told_of_every_compound_of_their_community() {
    let app = spawn_demo().await;
    let me = app.get("/api/v1/me", &app.token("secretary").await).await.expect(StatusCode::OK).body;
    let listed: Vec<i64> =
        me["compounds"].as_array().unwrap().iter().map(|c| c["compound_id"].as_i64().unwrap()).collect();
    for name in [TYC, SHS, BMX] {
        assert!(listed.contains(&app.compound_id(name).await), "{name} in {listed:?}");
    }
    let committee = app.get("/api/v1/me", &app.token("committee").await).await.expect(StatusCode::OK).body;
    let theirs: Vec<&Value> = committee["compounds"].as_array().unwrap().iter().collect();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["compound_id"], app.compound_id(TYC).await);
}
