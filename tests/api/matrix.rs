//! The role × tenant matrix: every route of the API (the table in `isolation`), called as every
//! role of the other compounds on 太阳城二期's objects, and as every role of 太阳城二期 that the
//! permission table (`sanfang::policy::roles_for`) leaves out; and every agenda route on a
//! community-wide agenda (and opening one), called as every role of the community's three compounds that
//! `sanfang::policy::holds_community_wide` leaves out (a compound's parties take part in it but do
//! not manage it) and as the office of another community. No cell may succeed, and nothing may
//! change but the sign-ins.
use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use sanfang::policy::{Permission, Role, RoleScope, holds_community_wide, roles_for};
use serde_json::json;

use crate::{
    helpers::*,
    isolation::{Guard, Ids, Route, call, ids, last_seq, routes},
};

/// Who a route lets in, among the roles held where its object lives.
#[derive(Clone, Copy, Debug)]
enum Gate {
    /// The roles that hold any of these permissions.
    Needs(&'static [Permission]),
    /// Only the owner the object belongs to (owner001, the concern's raiser).
    Theirs,
    /// Everyone the notice was sent to: all of 太阳城二期, no one elsewhere.
    Recipients,
    /// Not aimed at one compound's objects (see the route's `Guard::Open` reason).
    Untargeted,
    /// Those invited to the meeting: the consultation the isolation table aims at invites the
    /// three parties' people of 太阳城二期 as they were when it was convened (so not the property
    /// staff granted by this test). For the minutes routes, those of them who keep the record of
    /// the held consultation whose minutes the table aims at (the community office), or who
    /// attended it (the secretary, the property manager and the committee's chair).
    Invited(&'static [Role]),
}

/// The permission each handler names, route by route. A route missing here fails the test.
fn gate(method: &Method, path: &str) -> Option<Gate> {
    use Gate::*;
    use Permission::*;
    let m = method.as_str();
    Some(match (m, path.trim_start_matches("/api/v1")) {
        ("GET", "/health")
        | ("POST", "/auth/login" | "/auth/refresh" | "/auth/logout" | "/auth/register" | "/auth/recover")
        | ("GET", "/me" | "/me/inbox" | "/communities" | "/communities/{id}")
        | ("POST", "/me/password" | "/invitations/redeem" | "/markdown")
        | ("PUT", "/me/language")
        | ("GET", "/communities/{id}/concern-categories") => Untargeted,
        ("POST", "/me/inbox/{id}/read") => Recipients,
        ("GET", "/users")
        | ("POST", "/users" | "/users/{id}/memberships" | "/communities" | "/communities/{id}/compounds")
        | ("PATCH", "/users/{id}" | "/parties/{id}")
        | ("DELETE", "/memberships/{id}")
        | ("POST", "/compounds/{id}/buildings")
        | ("PUT", "/compounds/{id}/rules") => Needs(&[ManageTenancy]),
        ("GET", "/compounds/{id}") => Needs(&[ViewCompound]),
        ("GET", "/compounds/{id}/units" | "/compounds/{id}/holders" | "/units/{id}/history") => Needs(&[ViewRoster]),
        ("POST", "/compounds/{id}/roster") => Needs(&[ImportRoster]),
        ("POST", "/holders/{id}/links" | "/holders/{id}/invitations") | ("DELETE", "/holders/{id}/links/{user_id}") => {
            Needs(&[VerifyOwners])
        }
        ("GET", "/compounds/{id}/confirmations")
        | ("POST", "/link-requests/{id}/confirm" | "/link-requests/{id}/cancel" | "/invitations/{id}/confirm") => {
            Needs(&[VerifyOwners])
        }
        ("POST", "/proxies/{id}/confirm") => Needs(&[CountPaper]),
        ("POST", "/users/{id}/recovery-codes" | "/recovery-codes/{id}/confirm")
        | ("GET", "/communities/{id}/recovery-codes") => Needs(&[RecoverAccounts]),
        ("GET", "/audit") => Needs(&[ViewAudit]),
        ("GET", "/compounds/{id}/votes" | "/votes/{id}" | "/votes/{id}/ballots" | "/votes/{id}/log")
        | ("GET", "/votes/{id}/export/roster.csv" | "/votes/{id}/export/ballots.csv")
        | ("POST", "/votes/{id}/objections") => Needs(&[ViewVotes]),
        ("POST", "/compounds/{id}/votes" | "/votes/{id}/publish" | "/votes/{id}/extend" | "/votes/{id}/cancel")
        | ("PATCH", "/votes/{id}") => Needs(&[ManageVotes]),
        ("POST", "/votes/{id}/ballots") => Needs(&[CastBallot]),
        ("GET", "/votes/{id}/turnout" | "/votes/{id}/objections") => Needs(&[ViewTurnout]),
        ("POST", "/votes/{id}/paper-ballots" | "/votes/{id}/paper-ballots/{ballot_id}/confirm")
        | ("GET", "/votes/{id}/paper-ballots" | "/compounds/{id}/proxies")
        | ("POST", "/compounds/{id}/proxies" | "/proxies/{id}/revoke") => Needs(&[CountPaper]),
        ("POST", "/files/{id}/unseal-requests" | "/files/{id}/unseal-requests/{request_id}/approve")
        | ("GET", "/files/{id}/unseal-requests") => Needs(&[CountPaper]),
        ("POST", "/compounds/{id}/files") => Needs(&[UploadFiles]),
        ("GET", "/files/{id}") => Needs(&[UploadFiles, ViewVotes]),
        ("POST", "/communities/{id}/concern-categories")
        | ("PATCH", "/communities/{id}/concern-categories/{category_id}") => Needs(&[ManageConcernCategories]),
        ("GET", "/communities/{id}/concern-dashboard") => Needs(&[ViewConcernDashboard]),
        ("GET", "/compounds/{id}/concerns") => Needs(&[ViewConcerns, RaiseConcern]),
        ("POST", "/compounds/{id}/concerns") => Needs(&[RaiseConcern]),
        ("GET", "/concerns/{id}" | "/concerns/{id}/photos/{file_id}") => Needs(&[ViewConcerns]),
        ("POST", "/concerns/{id}/route") => Needs(&[RouteConcerns]),
        ("POST", "/concerns/{id}/acknowledge" | "/concerns/{id}/replies" | "/concerns/{id}/resolve") => {
            Needs(&[HandleConcerns])
        }
        (
            "POST",
            "/concerns/{id}/confirm" | "/concerns/{id}/reopen" | "/concerns/{id}/rating" | "/concerns/{id}/photos",
        ) => Theirs,
        ("POST", "/concerns/{id}/escalations" | "/concerns/{id}/escalations/{escalation_id}/response") => {
            Needs(&[EscalateConcerns])
        }
        ("POST", "/concerns/{id}/agenda" | "/compounds/{id}/agendas" | "/communities/{id}/agendas") => {
            Needs(&[OpenAgendas])
        }
        ("GET", "/compounds/{id}/agendas" | "/agendas/{id}" | "/agendas/{id}/comments") => Needs(&[ViewAgendas]),
        ("POST", "/agendas/{id}/cosign") => Needs(&[CosignAgendas]),
        (
            "POST",
            "/agendas/{id}/deliberate" | "/agendas/{id}/decide" | "/agendas/{id}/close" | "/agendas/{id}/withdraw",
        ) => Needs(&[ManageAgendas]),
        ("POST", "/agendas/{id}/comments") => Needs(&[CommentAgendas]),
        ("POST", "/agendas/{id}/comments/{comment_id}/hide") => Needs(&[ModerateAgendas]),
        ("GET", "/compounds/{id}/questionnaires" | "/questionnaires/{id}" | "/questionnaires/{id}/results") => {
            Needs(&[ViewQuestionnaires])
        }
        ("POST", "/compounds/{id}/questionnaires" | "/questionnaires/{id}/publish" | "/questionnaires/{id}/close")
        | ("PATCH", "/questionnaires/{id}") => Needs(&[ManageQuestionnaires]),
        ("POST", "/questionnaires/{id}/answers")
        | ("PUT", "/questionnaires/{id}/answers/mine" | "/questionnaires/{id}/draft") => Needs(&[AnswerQuestionnaires]),
        ("GET", "/questionnaires/{id}/export.csv" | "/questionnaires/{id}/export.xlsx") => {
            Needs(&[SeeQuestionnaireResults])
        }
        ("GET", "/compounds/{id}/notices") => Needs(&[ViewPublishedNotices]),
        ("POST", "/compounds/{id}/notices") => Needs(&[PublishNotices]),
        ("POST", "/communities/{id}/meetings" | "/meetings/{id}/postpone" | "/meetings/{id}/cancel") => {
            Needs(&[ConveneMeetings])
        }
        ("GET", "/compounds/{id}/meetings" | "/meetings/{id}") => Needs(&[ViewMeetings]),
        ("GET", "/meetings/{id}/sign-in-code")
        | (
            "POST",
            "/meetings/{id}/attendance"
            | "/meetings/{id}/sign-in-sheet"
            | "/meetings/{id}/open"
            | "/meetings/{id}/items/{item_id}/open"
            | "/meetings/{id}/items/{item_id}/outcome"
            | "/meetings/{id}/items/{item_id}/handoff"
            | "/meetings/{id}/close"
            | "/meetings/{id}/items/{item_id}/tasks"
            | "/tasks/{id}/review",
        )
        | ("PUT", "/meetings/{id}/items/{item_id}/notes" | "/meetings/{id}/attachments") => {
            Invited(&[Role::Secretary, Role::CommunityStaff])
        }
        (
            "GET",
            "/meetings/{id}/live"
            | "/meetings/{id}/sign-in-sheet"
            | "/meetings/{id}/attachments/{file_id}"
            | "/tasks/{id}"
            | "/tasks/{id}/photos/{file_id}"
            | "/communities/{id}/meetings/carry-over",
        ) => Needs(&[ViewMeetings]),
        ("POST", "/tasks/{id}/updates" | "/tasks/{id}/photos") => {
            Invited(&[Role::PropertyManager, Role::PropertyStaff])
        }
        (
            "GET",
            "/communities/{id}/meetings"
            | "/me/calendar"
            | "/communities/{id}/tasks"
            | "/calendar/{token}/meetings.ics",
        )
        | ("POST", "/me/calendar") => Untargeted,
        (
            "POST",
            "/meetings/{id}/minutes"
            | "/meetings/{id}/minutes/circulate"
            | "/meetings/{id}/minutes/corrections/{correction_id}/answer"
            | "/meetings/{id}/minutes/sign-off"
            | "/meetings/{id}/minutes/publish"
            | "/meetings/{id}/minutes/addenda",
        )
        | ("PUT", "/meetings/{id}/minutes") => Invited(&[Role::Secretary, Role::CommunityStaff]),
        // Before publication, the draft is read by whoever keeps the record and those who attended.
        ("GET", "/meetings/{id}/minutes" | "/meetings/{id}/minutes/versions/{version}") => {
            Invited(&[Role::Secretary, Role::CommunityStaff, Role::PropertyManager, Role::CommitteeChair])
        }
        // Corrections and signatures come from those who attended.
        ("POST", "/meetings/{id}/minutes/corrections" | "/meetings/{id}/minutes/signatures") => {
            Invited(&[Role::Secretary, Role::PropertyManager, Role::CommitteeChair])
        }
        ("GET", "/compounds/{id}/minutes") => Needs(&[ViewMeetings]),
        (
            "GET",
            "/convention-templates" | "/communities/{id}/conventions" | "/communities/{id}/convention-register",
        )
        | ("POST", "/conventions/import") => Untargeted,
        (
            "GET",
            "/compounds/{id}/conventions"
            | "/conventions/{id}"
            | "/conventions/{id}/versions/{version}"
            | "/conventions/{id}/compare"
            | "/conventions/{id}/comments"
            | "/conventions/{id}/report"
            | "/compounds/{id}/convention-register"
            | "/conventions/{id}/acknowledgements",
        ) => Needs(&[ViewConventions]),
        // A household acknowledges through its owner, who may read the convention.
        ("POST", "/conventions/{id}/acknowledgements") => Needs(&[ViewConventions]),
        // Paper acknowledgements and reminders: the parties where it applies. Putting it for
        // adoption: its drafters, the compound's owners' committee or the community office.
        (
            "POST",
            "/conventions/{id}/acknowledgements/paper"
            | "/conventions/{id}/acknowledgements/remind"
            | "/conventions/{id}/adoptions",
        ) => Needs(&[DraftConventions]),
        // Each kind narrows who drafts; a convention is edited, opened and answered by its
        // drafting party alone.
        (
            "POST",
            "/compounds/{id}/conventions"
            | "/communities/{id}/conventions"
            | "/conventions/{id}/consultation"
            | "/conventions/{id}/comments/{comment_id}/answer",
        )
        | ("PUT", "/conventions/{id}") => Needs(&[DraftConventions]),
        // Rebasing: the amendment's author (who comments) or its drafters.
        (
            "POST",
            "/conventions/{id}/comments"
            | "/conventions/{id}/comments/{comment_id}/support"
            | "/conventions/{id}/comments/{comment_id}/rebase",
        )
        | ("DELETE", "/conventions/{id}/comments/{comment_id}/support") => Needs(&[CommentConventions]),
        ("POST", "/meetings/{id}/answer" | "/meetings/{id}/sign-in") => Invited(&[
            Role::Secretary,
            Role::CommunityStaff,
            Role::PropertyManager,
            Role::CommitteeChair,
            Role::CommitteeMember,
        ]),
        _ => return None,
    })
}

/// Whether `role` may pass the gate (before any check of the object's state).
fn lets_in(gate: Gate, role: Role) -> bool {
    match gate {
        Gate::Needs(ps) => ps.iter().any(|p| roles_for(*p).contains(&role)),
        Gate::Invited(roles) => roles.contains(&role),
        Gate::Theirs => false,
        Gate::Untargeted | Gate::Recipients => true,
    }
}

/// Whether `role`, held in the community, may pass the gate on a community-wide object.
fn lets_in_community_wide(gate: Gate, role: Role) -> bool {
    match gate {
        Gate::Needs(ps) => ps.iter().any(|p| holds_community_wide(*p, role)),
        Gate::Invited(roles) => roles.contains(&role),
        Gate::Theirs => false,
        Gate::Untargeted | Gate::Recipients => true,
    }
}

/// A refusal: 403 or 404 in our error shape. Casting is refused with `not_eligible` for a role
/// that holds no unit on the vote's roster.
fn refused(route: &Route, res: &Res) -> bool {
    let plain = matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
        && matches!(res.code(), "forbidden" | "not_found");
    let not_eligible = route.path.ends_with("/ballots")
        && route.method == Method::POST
        && res.status == StatusCode::CONFLICT
        && res.code() == "not_eligible";
    plain || not_eligible
}

#[test]
fn every_route_has_a_gate_that_agrees_with_its_guard() {
    for r in routes() {
        let g =
            gate(&r.method, r.path).unwrap_or_else(|| panic!("{} {} has no gate in matrix::gate", r.method, r.path));
        match (r.guard, g) {
            (Guard::Open(_), Gate::Untargeted | Gate::Recipients) => {}
            (Guard::Admin, Gate::Needs(&[Permission::ManageTenancy])) => {}
            (Guard::Compound, Gate::Needs(_) | Gate::Theirs | Gate::Invited(_)) => {}
            (guard, gate) => panic!("{} {}: guard {guard:?} but gate {gate:?}", r.method, r.path),
        }
    }
}

/// An administrator creates an account and gives it a role; returns the account's name.
async fn grant(app: &TestApp, admin: &str, username: &str, role: &str, scope: serde_json::Value) -> String {
    app.create_user(username).await;
    let users = app.get(&format!("/api/v1/users?q={username}"), admin).await.expect(StatusCode::OK);
    let id = users.body.as_array().unwrap().iter().find(|u| u["user"]["username"] == username).unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let mut body = json!({ "role": role });
    for (k, v) in scope.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post(&format!("/api/v1/users/{id}/memberships"), Some(admin), body).await.expect(StatusCode::CREATED);
    username.to_owned()
}

#[tokio::test]
async fn no_role_of_another_compound_and_no_role_left_out_by_the_policy_gets_a_2xx_anywhere() {
    let app = spawn_demo().await;
    let ids = ids(&app).await;
    let admin = app.token("admin").await;
    let (tyc, shs, bmx) = (ids.compound, app.compound_id(SHS).await, app.compound_id(BMX).await);

    // 太阳城二期: one account for every role of the policy table. The demo has no property staff.
    let pstaff = grant(&app, &admin, "pstaff-tyc", "property_staff", json!({ "compound_id": tyc })).await;
    let insiders: Vec<(Role, String)> = vec![
        (Role::Admin, "admin".into()),
        (Role::Secretary, "secretary".into()),
        (Role::CommunityStaff, "staff".into()),
        (Role::PropertyManager, "property".into()),
        (Role::PropertyStaff, pstaff),
        (Role::CommitteeChair, "committee".into()),
        (Role::CommitteeMember, "member".into()),
        // Not owner001, whose are the concern, the comment and the inbox notice aimed at.
        (Role::Owner, "owner002".into()),
    ];
    assert_eq!(insiders.iter().map(|(r, _)| r.as_str()).collect::<BTreeSet<_>>().len(), Role::ALL.len());
    let owner002 = app.get("/api/v1/me", &app.token("owner002").await).await.expect(StatusCode::OK);
    assert_ne!(owner002.body["user"]["id"].as_i64(), Some(ids.linked_user), "owner002 must not hold the proxy's unit");

    // Everyone else: every role of 上河时代 and 北门小院, and the office of another community.
    let other_community =
        app.post("/api/v1/communities", Some(&admin), json!({ "name": "邻里社区" })).await.expect(StatusCode::CREATED);
    let other_community = other_community.body["id"]
        .as_i64()
        .unwrap_or_else(|| other_community.body["community"]["id"].as_i64().unwrap());
    let outsiders: Vec<(&str, String)> = vec![
        ("property_manager", "property2".into()),
        ("property_staff", grant(&app, &admin, "pstaff-shs", "property_staff", json!({ "compound_id": shs })).await),
        ("committee_chair", "committee2".into()),
        ("committee_member", "member2".into()),
        ("owner", app.owner_of(shs).await),
        ("property_manager", "property-bm".into()),
        ("committee_chair", "committee-bm".into()),
        ("owner", app.owner_of(bmx).await),
        (
            "secretary",
            grant(&app, &admin, "secretary-x", "secretary", json!({ "community_id": other_community })).await,
        ),
        (
            "community_staff",
            grant(&app, &admin, "staff-x", "community_staff", json!({ "community_id": other_community })).await,
        ),
    ];

    let mut tokens = BTreeMap::new();
    for login in insiders.iter().map(|(_, l)| l.clone()).chain(outsiders.iter().map(|(_, l)| l.clone())) {
        let t = app.token(&login).await;
        tokens.insert(login, t);
    }
    // A community-wide agenda with a comment by an owner of 上河时代, to aim the agenda routes at.
    let community = ids.community;
    let secretary = &tokens["secretary"];
    let wide = app
        .post(
            &format!("/api/v1/communities/{community}/agendas"),
            Some(secretary),
            json!({ "title": "全社区议题", "description": "" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    let shs_owner = &outsiders.iter().find(|(role, _)| *role == "owner").unwrap().1;
    let wide_comment = app
        .post(&format!("/api/v1/agendas/{wide}/comments"), Some(&tokens[shs_owner.as_str()]), json!({ "body": "支持" }))
        .await
        .expect(StatusCode::CREATED)
        .id();
    let wide_ids = Ids { agenda: wide, comment: wide_comment, ..ids };

    let before = last_seq(&app).await;
    let summaries = [app.compound_summary(tyc).await, app.compound_summary(shs).await];

    let (mut cells, mut unexpected_2xx) = (0, 0);
    let mut wrong = Vec::new();
    for route in routes() {
        let gate = gate(&route.method, route.path).expect("every route has a gate");
        if matches!(gate, Gate::Untargeted) {
            continue;
        }
        let callers = outsiders.iter().map(|(role, login)| (format!("{login} ({role}, elsewhere)"), login)).chain(
            insiders
                .iter()
                .filter(|(role, _)| !lets_in(gate, *role))
                .map(|(role, login)| (format!("{login} ({}, {TYC})", role.as_str()), login)),
        );
        for (who, login) in callers {
            let res = call(&app, &route, &ids, &tokens[login.as_str()]).await;
            cells += 1;
            if res.status.is_success() {
                unexpected_2xx += 1;
            }
            if !refused(&route, &res) {
                wrong.push(format!(
                    "{} {}{} as {who}: {} {}",
                    route.method, route.path, route.query, res.status, res.body
                ));
            }
        }
    }
    // Opening and on the community-wide agenda: 上河时代's and 北门小院's roles are of this community (the
    // office roles among the outsiders are another community's, and are refused everything).
    let mut wide_routes = 0;
    let community_wide =
        |r: &Route| r.path.starts_with("/api/v1/agendas/{id}") || r.path == "/api/v1/communities/{id}/agendas";
    for route in routes().into_iter().filter(community_wide) {
        let gate = gate(&route.method, route.path).expect("every route has a gate");
        wide_routes += 1;
        let everyone = insiders.iter().map(|(role, login)| (*role, login, TYC, true)).chain(outsiders.iter().map(
            |(role, login)| {
                let role = Role::parse(role).unwrap();
                (role, login, "elsewhere", role.scope() != RoleScope::Community)
            },
        ));
        let callers = everyone
            .filter(|(role, _, _, here)| !here || !lets_in_community_wide(gate, *role))
            .map(|(role, login, place, _)| (format!("{login} ({}, {place}, community-wide)", role.as_str()), login));
        for (who, login) in callers {
            let res = call(&app, &route, &wide_ids, &tokens[login.as_str()]).await;
            cells += 1;
            if res.status.is_success() {
                unexpected_2xx += 1;
            }
            if !refused(&route, &res) {
                wrong.push(format!(
                    "{} {}{} as {who}: {} {}",
                    route.method, route.path, route.query, res.status, res.body
                ));
            }
        }
    }
    assert!(wide_routes >= 10, "only {wide_routes} agenda routes aimed at the community-wide agenda");

    let line = format!("matrix: {cells} cells checked, {unexpected_2xx} unexpected 2xx, {} not refused", wrong.len());
    figure(&line);
    assert!(wrong.is_empty(), "calls that were not refused:\n{}", wrong.join("\n"));
    assert!(cells > 1000, "only {cells} cells");

    // Nothing happened but the sign-ins of this test.
    let events = app.get("/api/v1/audit?limit=500", &admin).await.expect(StatusCode::OK);
    let since: Vec<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["seq"].as_i64().unwrap() > before)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(since.iter().all(|a| *a == "auth.sign_in"), "{since:?}");
    assert_eq!([app.compound_summary(tyc).await, app.compound_summary(shs).await], summaries);
}

/// Fields a client might try to set on something it does not own. `{shs}` and friends are
/// replaced with 上河时代's ids; every value is one no honest request carries.
fn foreign_fields(shs: i64, shs_holder: i64, shs_party: i64, community: i64, admin_id: i64) -> serde_json::Value {
    json!({
        "role": "admin", "roles": ["admin"], "is_admin": true, "admin": true,
        "area": "999999.00", "area_centi": 99_999_900, "weight": "999999.00",
        "compound_id": shs, "community_id": community, "party_id": shs_party, "holder_id": shs_holder,
        "user_id": admin_id, "raised_by": admin_id, "author_id": admin_id, "created_by": admin_id,
        "opened_by": admin_id, "entered_by": admin_id, "confirmed_by": admin_id, "owner_id": admin_id,
        "status": "hijacked", "receipt": "HIJACKED-01", "channel": "hijacked", "id": 999_999,
        "password_hash": "hijacked", "is_active": false, "verified": true, "hidden": true,
    })
}

/// Whether a response shows one of the foreign values back.
fn echoes_foreign(body: &serde_json::Value, shs: i64) -> Option<String> {
    let text = body.to_string();
    for marker in ["hijacked", "HIJACKED", "999999.00", "999999"] {
        if text.contains(marker) {
            return Some(marker.to_owned());
        }
    }
    fn walk(v: &serde_json::Value, shs: i64) -> bool {
        match v {
            serde_json::Value::Object(m) => m.iter().any(|(k, v)| (k == "compound_id" && v == shs) || walk(v, shs)),
            serde_json::Value::Array(a) => a.iter().any(|v| walk(v, shs)),
            _ => false,
        }
    }
    walk(body, shs).then(|| format!("compound_id {shs}"))
}

/// Every account's memberships, as (user, role, community, compound).
async fn memberships(app: &TestApp, admin: &str) -> BTreeSet<(String, String, String, String)> {
    let users = app.get("/api/v1/users", admin).await.expect(StatusCode::OK);
    let mut out = BTreeSet::new();
    for u in users.body.as_array().unwrap() {
        for m in u["memberships"].as_array().unwrap() {
            out.insert((
                u["user"]["username"].as_str().unwrap().to_owned(),
                m["role"].to_string(),
                m["community_id"].to_string(),
                m["compound_id"].to_string(),
            ));
        }
    }
    out
}

#[tokio::test]
async fn fields_a_caller_does_not_own_are_ignored_or_refused_in_every_json_body() {
    let app = spawn_demo().await;
    let ids = ids(&app).await;
    let admin = app.token("admin").await;
    let (tyc, shs) = (ids.compound, app.compound_id(SHS).await);
    let shs_detail = app.get(&format!("/api/v1/compounds/{shs}"), &admin).await.expect(StatusCode::OK);
    let shs_party = shs_detail.body["parties"][0]["id"].as_i64().unwrap();
    let shs_holder = app.holders(shs).await[0]["id"].as_i64().unwrap();
    let other = app.post("/api/v1/communities", Some(&admin), json!({ "name": "邻里社区" })).await;
    let other = other.body["id"].as_i64().or_else(|| other.body["community"]["id"].as_i64()).unwrap();
    let me = app.get("/api/v1/me", &admin).await.expect(StatusCode::OK);
    let admin_id = me.body["user"]["id"].as_i64().unwrap();
    let foreign = foreign_fields(shs, shs_holder, shs_party, other, admin_id);

    // The least of 太阳城二期's people that the policy lets in; owner001's are the concern and
    // the comment aimed at.
    let pstaff = grant(&app, &admin, "pstaff-tyc", "property_staff", json!({ "compound_id": tyc })).await;
    let people: Vec<(Role, String)> = vec![
        (Role::Owner, "owner001".into()),
        (Role::CommitteeMember, "member".into()),
        (Role::PropertyStaff, pstaff),
        (Role::CommunityStaff, "staff".into()),
        (Role::PropertyManager, "property".into()),
        (Role::CommitteeChair, "committee".into()),
        (Role::Secretary, "secretary".into()),
        (Role::Admin, "admin".into()),
    ];
    let mut tokens = BTreeMap::new();
    for (_, login) in &people {
        tokens.insert(login.clone(), app.token(login).await);
    }
    let shs_audit = format!("/api/v1/audit?compound_id={shs}&limit=500");
    let shs_before = (
        app.get(&shs_audit, &admin).await.expect(StatusCode::OK).body,
        app.compound_summary(shs).await,
        app.holders(shs).await,
        app.units(shs).await,
    );
    let tyc_area = app.compound_summary(tyc).await["total_area"].clone();
    let members_before = memberships(&app, &admin).await;

    let (mut bodies, mut accepted) = (0, 0);
    let mut wrong = Vec::new();
    for route in routes() {
        let crate::isolation::Payload::Json(body) = route.payload else { continue };
        let gate = gate(&route.method, route.path).expect("every route has a gate");
        let Some((_, login)) = people.iter().find(|(role, login)| match gate {
            Gate::Theirs => login == "owner001",
            _ => lets_in(gate, *role),
        }) else {
            continue;
        };
        let mut sent = body(&ids);
        for (k, v) in foreign.as_object().unwrap() {
            if sent.get(k).is_none() {
                sent[k] = v.clone();
            }
        }
        let res = crate::isolation::call_with(&app, &route, &ids, &tokens[login], sent).await;
        bodies += 1;
        if res.status.is_server_error() {
            wrong.push(format!("{} {} as {login}: {} {}", route.method, route.path, res.status, res.body));
        }
        if res.status.is_success() {
            accepted += 1;
            if let Some(m) = echoes_foreign(&res.body, shs) {
                wrong.push(format!("{} {} as {login} took {m}: {}", route.method, route.path, res.body));
            }
        }
    }
    // Signing in with the fields too.
    let res = app
        .post("/api/v1/auth/login", None, {
            let mut b = foreign.clone();
            b["login"] = json!("owner002");
            b["password"] = json!(DEMO_PASSWORD);
            b
        })
        .await
        .expect(StatusCode::OK);
    bodies += 1;
    accepted += 1;
    let owner002 = res.body["access_token"].as_str().unwrap().to_owned();
    let me = app.get("/api/v1/me", &owner002).await.expect(StatusCode::OK);
    assert!(me.body["memberships"].as_array().unwrap().iter().all(|m| m["role"] == "owner"), "{}", me.body);

    let changed = (
        app.get(&shs_audit, &admin).await.expect(StatusCode::OK).body,
        app.compound_summary(shs).await,
        app.holders(shs).await,
        app.units(shs).await,
    );
    if changed != shs_before {
        wrong.push(format!("{SHS} changed: audit {} → {} events", shs_before.0, changed.0));
    }
    if app.compound_summary(tyc).await["total_area"] != tyc_area {
        wrong.push(format!("{TYC}'s area changed from {tyc_area}"));
    }
    // No one gained a role but by the grant the membership route itself asks for.
    for m in memberships(&app, &admin).await.difference(&members_before) {
        let asked = m.1 == "\"property_manager\"" && m.3 == tyc.to_string();
        if !asked {
            wrong.push(format!("a membership appeared: {m:?}"));
        }
    }
    let line = format!(
        "fields: {bodies} bodies carrying {} foreign fields, {accepted} accepted, {} took a foreign field",
        foreign.as_object().unwrap().len(),
        wrong.len()
    );
    figure(&line);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(bodies > 30, "only {bodies} bodies sent");
}

/// Every string of a JSON value with a NUL put in the middle of it.
fn with_nul(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::String(s) => json!(format!("{s}\u{0}x")),
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(with_nul).collect()),
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), with_nul(v))).collect(),
        other => other.clone(),
    }
}

#[tokio::test]
async fn a_nul_in_any_string_of_any_json_body_is_refused_without_a_server_error() {
    let app = spawn_demo().await;
    let ids = ids(&app).await;
    let admin = app.token("admin").await;
    let pstaff = grant(&app, &admin, "pstaff-tyc", "property_staff", json!({ "compound_id": ids.compound })).await;
    let people: Vec<(Role, String)> = vec![
        (Role::Owner, "owner001".into()),
        (Role::CommitteeMember, "member".into()),
        (Role::PropertyStaff, pstaff),
        (Role::CommunityStaff, "staff".into()),
        (Role::PropertyManager, "property".into()),
        (Role::CommitteeChair, "committee".into()),
        (Role::Secretary, "secretary".into()),
        (Role::Admin, "admin".into()),
    ];
    let mut tokens = BTreeMap::new();
    for (_, login) in &people {
        tokens.insert(login.clone(), app.token(login).await);
    }
    let (mut bodies, mut wrong) = (0, Vec::new());
    for route in routes() {
        let crate::isolation::Payload::Json(body) = route.payload else { continue };
        let gate = gate(&route.method, route.path).expect("every route has a gate");
        let Some((_, login)) = people.iter().find(|(role, login)| match gate {
            Gate::Theirs => login == "owner001",
            _ => lets_in(gate, *role),
        }) else {
            continue;
        };
        let sent = with_nul(&body(&ids));
        if !sent.to_string().contains("\\u0000") {
            continue;
        }
        let res = crate::isolation::call_with(&app, &route, &ids, &tokens[login], sent.clone()).await;
        bodies += 1;
        if res.status != StatusCode::BAD_REQUEST || res.code() != "invalid_body" {
            wrong.push(format!("{} {} {sent} as {login}: {} {}", route.method, route.path, res.status, res.body));
        }
    }
    for (path, body) in [
        ("/api/v1/auth/login", json!({ "login": "owner\u{0}001", "password": DEMO_PASSWORD })),
        ("/api/v1/auth/refresh", json!({ "refresh_token": "x\u{0}y" })),
        ("/api/v1/auth/register", json!({ "code": "AB\u{0}CD", "username": "n\u{0}ul", "password": "x\u{0}yyyyyyyy" })),
    ] {
        let res = app.post(path, None, body.clone()).await;
        bodies += 1;
        if res.status != StatusCode::BAD_REQUEST || res.code() != "invalid_body" {
            wrong.push(format!("POST {path} {body}: {} {}", res.status, res.body));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(bodies > 30, "only {bodies} bodies sent");
}

/// One character of each kind that hides or reorders text: a bidi override, embedding, isolate and
/// mark, the Arabic letter mark, zero-width characters (a joiner between letters included), the
/// word joiner, the byte-order mark, the Mongolian vowel separator, a soft hyphen, a tag character.
pub const HIDDEN: [char; 13] = [
    '\u{202E}',
    '\u{202A}',
    '\u{2067}',
    '\u{200F}',
    '\u{061C}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{180E}',
    '\u{00AD}',
    '\u{E0041}',
];

/// Every string of a JSON value with `c` put in the middle of it.
fn with_char(v: &serde_json::Value, c: char) -> serde_json::Value {
    match v {
        serde_json::Value::String(s) => json!(format!("{s}{c}x")),
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(|v| with_char(v, c)).collect()),
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), with_char(v, c))).collect(),
        other => other.clone(),
    }
}

/// The value at `path` (`a.b[1].c`) of a JSON value.
fn at_path<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.').try_fold(v, |v, part| {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        let v = if key.is_empty() { v } else { v.get(key)? };
        rest.split('[')
            .filter(|i| !i.is_empty())
            .try_fold(v, |v, i| v.get(i.trim_end_matches(']').parse::<usize>().ok()?))
    })
}

/// Whether a refusal names, as its one field, a string of `sent` that holds `c`.
fn names_the_field(res: &Res, sent: &serde_json::Value, c: char) -> bool {
    let Some(fields) = res.body["error"]["fields"].as_object() else { return false };
    res.status == StatusCode::UNPROCESSABLE_ENTITY
        && res.code() == "validation_failed"
        && fields.len() == 1
        && fields.iter().all(|(path, message)| {
            message == sanfang::text::HIDDEN_MESSAGE.english().as_str()
                && at_path(sent, path).and_then(|v| v.as_str()).is_some_and(|s| s.contains(c))
        })
}

#[tokio::test]
async fn an_invisible_or_direction_changing_character_in_any_string_of_any_json_body_is_refused_naming_the_field() {
    let app = spawn_demo().await;
    let ids = ids(&app).await;
    let admin = app.token("admin").await;
    let pstaff = grant(&app, &admin, "pstaff-tyc", "property_staff", json!({ "compound_id": ids.compound })).await;
    let people: Vec<(Role, String)> = vec![
        (Role::Owner, "owner001".into()),
        (Role::CommitteeMember, "member".into()),
        (Role::PropertyStaff, pstaff),
        (Role::CommunityStaff, "staff".into()),
        (Role::PropertyManager, "property".into()),
        (Role::CommitteeChair, "committee".into()),
        (Role::Secretary, "secretary".into()),
        (Role::Admin, "admin".into()),
    ];
    let mut tokens = BTreeMap::new();
    for (_, login) in &people {
        tokens.insert(login.clone(), app.token(login).await);
    }
    let audit = app.get("/api/v1/audit", &admin).await.expect(StatusCode::OK).body;
    let (mut bodies, mut wrong) = (0, Vec::new());
    for c in HIDDEN {
        for route in routes() {
            let crate::isolation::Payload::Json(body) = route.payload else { continue };
            let gate = gate(&route.method, route.path).expect("every route has a gate");
            let Some((_, login)) = people.iter().find(|(role, login)| match gate {
                Gate::Theirs => login == "owner001",
                _ => lets_in(gate, *role),
            }) else {
                continue;
            };
            let sent = with_char(&body(&ids), c);
            if sent == body(&ids) {
                continue;
            }
            let res = crate::isolation::call_with(&app, &route, &ids, &tokens[login], sent.clone()).await;
            bodies += 1;
            if !names_the_field(&res, &sent, c) {
                wrong.push(format!("{} {} {sent} as {login}: {} {}", route.method, route.path, res.status, res.body));
            }
        }
        for (path, body) in [
            ("/api/v1/auth/login", json!({ "login": format!("owner{c}001"), "password": DEMO_PASSWORD })),
            ("/api/v1/auth/refresh", json!({ "refresh_token": format!("x{c}y") })),
            (
                "/api/v1/auth/register",
                json!({ "code": "ABCD", "phone": "13800138000", "display_name": format!("李{c}明"), "password": "yyyyyyyyyy" }),
            ),
        ] {
            let res = app.post(path, None, body.clone()).await;
            bodies += 1;
            if !names_the_field(&res, &body, c) {
                wrong.push(format!("POST {path} {body}: {} {}", res.status, res.body));
            }
        }
    }
    assert!(wrong.is_empty(), "{} refusals wrong:\n{}", wrong.len(), wrong.join("\n"));
    assert!(bodies > 30 * HIDDEN.len(), "only {bodies} bodies sent");
    // Nothing was written by any of them.
    assert_eq!(app.get("/api/v1/audit", &admin).await.expect(StatusCode::OK).body, audit);
}
