//! Every route of the API, called by the people who must not reach what it acts on.
use std::collections::BTreeSet;

use axum::{
    body::Body,
    http::{Method, StatusCode},
};
use serde_json::{Value, json};

use crate::helpers::*;

/// Who a route keeps out.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Guard {
    /// Acts on 太阳城二期's objects: staff and owners of 上河时代 get 403 or 404.
    Compound,
    /// Administrators only: everyone else, the community secretary too, gets 403.
    Admin,
    /// Nothing of one compound's to keep out, for the reason given.
    Open(&'static str),
}

/// What a request carries.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Payload {
    Nothing,
    Json(fn(&Ids) -> Value),
    /// A one-row roster sheet.
    Csv,
}

pub(crate) struct Route {
    pub(crate) method: Method,
    /// As the OpenAPI document spells it.
    pub(crate) path: &'static str,
    /// Appended to the path, with `{id}` filled in as for the path.
    pub(crate) query: &'static str,
    pub(crate) guard: Guard,
    pub(crate) payload: Payload,
}

/// 太阳城二期's objects (and one of its property manager's memberships) to aim at.
pub(crate) struct Ids {
    pub(crate) community: i64,
    pub(crate) compound: i64,
    pub(crate) unit: i64,
    pub(crate) holder: i64,
    /// An account linked to `holder`.
    pub(crate) linked_user: i64,
    /// The property manager of 太阳城二期, and one of their memberships.
    pub(crate) user: i64,
    pub(crate) membership: i64,
    pub(crate) party: i64,
    /// The demo's open vote, a paper ballot entered for it, and a written proxy.
    pub(crate) vote: i64,
    pub(crate) paper_ballot: i64,
    pub(crate) proxy: i64,
    /// A notice in owner001's inbox, sent to 太阳城二期 alone: its property company's.
    pub(crate) notice: i64,
    /// A file uploaded to 太阳城二期.
    pub(crate) file: i64,
    /// A concern raised in 太阳城二期 with a photo and an escalation, and a concern category.
    pub(crate) concern: i64,
    pub(crate) concern_photo: i64,
    pub(crate) escalation: i64,
    pub(crate) category: i64,
    /// An agenda of 太阳城二期 with a comment.
    pub(crate) agenda: i64,
    pub(crate) comment: i64,
    /// The demo's open questionnaire.
    pub(crate) questionnaire: i64,
    /// A staff link, an invitation code and a recovery code waiting for a second person.
    pub(crate) link_request: i64,
    pub(crate) invitation: i64,
    pub(crate) recovery: i64,
    /// A three-party consultation of 太阳城二期, convened by the secretary, and its first item.
    pub(crate) meeting: i64,
    pub(crate) item: i64,
    /// An action item for 太阳城二期's property company, set at a consultation under way.
    pub(crate) task: i64,
    /// A consultation of 太阳城二期 held with the office, the property manager and the committee's
    /// chair present, whose minutes are under sign-off (the minutes routes aim at it), and a
    /// correction proposed on them and answered.
    pub(crate) minutes_meeting: i64,
    pub(crate) correction: i64,
    /// A residents' convention of 太阳城二期 drafted by its owners' committee and in consultation
    /// (the conventions' routes aim at it), and owner001's amendment of its first article.
    pub(crate) convention: i64,
    pub(crate) convention_amendment: i64,
}

pub(crate) fn routes() -> Vec<Route> {
    use Guard::*;
    use Payload::*;
    let r = |method: Method, path, guard, payload| Route { method, path, query: "", guard, payload };
    vec![
        r(Method::GET, "/api/v1/health", Open("liveness"), Nothing),
        r(Method::POST, "/api/v1/auth/login", Open("signing in"), Nothing),
        r(Method::POST, "/api/v1/auth/refresh", Open("the caller's own tokens"), Nothing),
        r(Method::POST, "/api/v1/auth/logout", Open("the caller's own tokens"), Nothing),
        r(Method::POST, "/api/v1/auth/register", Open("the invitation code is the credential"), Nothing),
        r(Method::GET, "/api/v1/me", Open("the caller's own account"), Nothing),
        r(Method::POST, "/api/v1/me/password", Open("the caller's own account"), Nothing),
        r(Method::PUT, "/api/v1/me/language", Open("the caller's own account"), Nothing),
        r(
            Method::POST,
            "/api/v1/markdown",
            Open("renders the text sent, reads nothing stored"),
            Json(|_| json!({ "text": "**预览**" })),
        ),
        r(Method::POST, "/api/v1/invitations/redeem", Open("the invitation code is the credential"), Nothing),
        r(Method::POST, "/api/v1/auth/recover", Open("the confirmed recovery code is the credential"), Nothing),
        r(Method::GET, "/api/v1/communities", Open("lists only the caller's own communities"), Nothing),
        r(Method::GET, "/api/v1/communities/{id}", Open("the community overview is shared by its compounds"), Nothing),
        r(Method::GET, "/api/v1/users", Admin, Nothing),
        r(
            Method::POST,
            "/api/v1/users",
            Admin,
            Json(|_| json!({ "username": "intruder", "display_name": "入侵者", "password": "intruder-password" })),
        ),
        r(
            Method::PATCH,
            "/api/v1/users/{id}",
            Admin,
            Json(|_| json!({ "display_name": "被改名", "is_active": false })),
        ),
        r(
            Method::POST,
            "/api/v1/users/{id}/memberships",
            Admin,
            Json(|ids| json!({ "role": "property_manager", "compound_id": ids.compound })),
        ),
        r(Method::DELETE, "/api/v1/memberships/{id}", Admin, Nothing),
        r(Method::POST, "/api/v1/communities", Admin, Json(|_| json!({ "name": "冒名社区" }))),
        r(
            Method::POST,
            "/api/v1/communities/{id}/compounds",
            Admin,
            Json(|_| json!({ "name": "冒名小区", "property_company_name": "冒名物业" })),
        ),
        r(Method::POST, "/api/v1/compounds/{id}/buildings", Admin, Json(|_| json!({ "name": "99号楼" }))),
        r(Method::PATCH, "/api/v1/parties/{id}", Admin, Json(|_| json!({ "name": "冒名物业" }))),
        r(Method::GET, "/api/v1/compounds/{id}", Compound, Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/units", Compound, Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/holders", Compound, Nothing),
        r(Method::POST, "/api/v1/compounds/{id}/roster", Compound, Csv),
        Route { query: "?dry_run=true", ..r(Method::POST, "/api/v1/compounds/{id}/roster", Compound, Csv) },
        r(Method::GET, "/api/v1/units/{id}/history", Compound, Nothing),
        r(Method::POST, "/api/v1/holders/{id}/links", Compound, Json(|_| json!({ "login": "owner001" }))),
        r(Method::DELETE, "/api/v1/holders/{id}/links/{user_id}", Compound, Nothing),
        r(Method::POST, "/api/v1/holders/{id}/invitations", Compound, Json(|_| json!({}))),
        r(Method::GET, "/api/v1/compounds/{id}/confirmations", Compound, Nothing),
        r(Method::POST, "/api/v1/link-requests/{id}/confirm", Compound, Nothing),
        r(Method::POST, "/api/v1/link-requests/{id}/cancel", Compound, Nothing),
        r(Method::POST, "/api/v1/invitations/{id}/confirm", Compound, Nothing),
        r(Method::POST, "/api/v1/users/{id}/recovery-codes", Compound, Nothing),
        r(Method::GET, "/api/v1/communities/{id}/recovery-codes", Compound, Nothing),
        r(Method::POST, "/api/v1/recovery-codes/{id}/confirm", Compound, Nothing),
        Route { query: "?compound_id={id}", ..r(Method::GET, "/api/v1/audit", Compound, Nothing) },
        r(Method::GET, "/api/v1/me/inbox", Open("the caller's own inbox"), Nothing),
        r(Method::POST, "/api/v1/me/inbox/{id}/read", Open("only the caller's own notices are found"), Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/votes", Compound, Nothing),
        r(Method::POST, "/api/v1/compounds/{id}/votes", Compound, Json(|_| new_vote())),
        r(Method::GET, "/api/v1/votes/{id}", Compound, Nothing),
        r(Method::PATCH, "/api/v1/votes/{id}", Compound, Json(|_| new_vote())),
        r(Method::POST, "/api/v1/votes/{id}/publish", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/votes/{id}/extend",
            Compound,
            Json(|_| json!({ "closes_at": "2099-01-01T00:00:00Z", "reason": "turnout short" })),
        ),
        r(Method::POST, "/api/v1/votes/{id}/cancel", Compound, Json(|_| json!({ "reason": "sabotage" }))),
        r(Method::POST, "/api/v1/votes/{id}/ballots", Compound, Json(|_| json!({ "choice": "oppose" }))),
        r(Method::GET, "/api/v1/votes/{id}/ballots", Compound, Nothing),
        r(Method::GET, "/api/v1/votes/{id}/turnout", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/votes/{id}/paper-ballots",
            Compound,
            Json(|ids| json!({ "holder_id": ids.holder, "serial": "X-1", "choice": "oppose" })),
        ),
        r(Method::GET, "/api/v1/votes/{id}/paper-ballots", Compound, Nothing),
        r(Method::POST, "/api/v1/votes/{id}/paper-ballots/{ballot_id}/confirm", Compound, Nothing),
        r(Method::GET, "/api/v1/votes/{id}/export/roster.csv", Compound, Nothing),
        r(Method::GET, "/api/v1/votes/{id}/export/ballots.csv", Compound, Nothing),
        r(Method::GET, "/api/v1/votes/{id}/log", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/compounds/{id}/proxies",
            Compound,
            Json(|ids| {
                json!({ "holder_id": ids.holder, "proxy_login": "property2", "valid_from": "2020-01-01T00:00:00Z",
                        "valid_until": "2099-01-01T00:00:00Z" })
            }),
        ),
        r(Method::GET, "/api/v1/compounds/{id}/proxies", Compound, Nothing),
        r(Method::POST, "/api/v1/proxies/{id}/revoke", Compound, Nothing),
        r(Method::POST, "/api/v1/proxies/{id}/confirm", Compound, Nothing),
        Route { query: "?name=x.pdf", ..r(Method::POST, "/api/v1/compounds/{id}/files", Compound, Csv) },
        r(Method::GET, "/api/v1/files/{id}", Compound, Nothing),
        r(Method::POST, "/api/v1/files/{id}/unseal-requests", Compound, Json(|_| json!({ "reason": "越界启封" }))),
        r(Method::GET, "/api/v1/files/{id}/unseal-requests", Compound, Nothing),
        r(Method::POST, "/api/v1/files/{id}/unseal-requests/{request_id}/approve", Compound, Nothing),
        r(Method::POST, "/api/v1/votes/{id}/objections", Compound, Json(|_| json!({ "text": "异议" }))),
        r(Method::GET, "/api/v1/votes/{id}/objections", Compound, Nothing),
        r(
            Method::PUT,
            "/api/v1/compounds/{id}/rules",
            Admin,
            Json(|_| json!({ "notice_days": 0, "publicity_days": 0 })),
        ),
        r(
            Method::GET,
            "/api/v1/communities/{id}/concern-categories",
            Open("the categories are shared by the community's compounds"),
            Nothing,
        ),
        r(
            Method::POST,
            "/api/v1/communities/{id}/concern-categories",
            Compound,
            Json(|_| {
                json!({ "key": "intrusion", "name_zh": "入侵", "name_en": "Intrusion",
                            "default_party_kind": "property_company", "time_limit_hours": 1 })
            }),
        ),
        r(
            Method::PATCH,
            "/api/v1/communities/{id}/concern-categories/{category_id}",
            Compound,
            Json(|_| json!({ "default_party_kind": "owners_committee" })),
        ),
        r(Method::GET, "/api/v1/communities/{id}/concern-dashboard", Compound, Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/concerns", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/compounds/{id}/concerns",
            Compound,
            Json(|ids| json!({ "category_id": ids.category, "text": "越界诉求" })),
        ),
        r(Method::GET, "/api/v1/concerns/{id}", Compound, Nothing),
        r(Method::POST, "/api/v1/concerns/{id}/route", Compound, Json(|_| json!({}))),
        r(Method::POST, "/api/v1/concerns/{id}/acknowledge", Compound, Json(|_| json!({}))),
        r(Method::POST, "/api/v1/concerns/{id}/replies", Compound, Json(|_| json!({ "text": "冒充答复" }))),
        r(Method::POST, "/api/v1/concerns/{id}/resolve", Compound, Json(|_| json!({}))),
        r(Method::POST, "/api/v1/concerns/{id}/confirm", Compound, Json(|_| json!({}))),
        r(Method::POST, "/api/v1/concerns/{id}/reopen", Compound, Json(|_| json!({ "reason": "x" }))),
        r(Method::POST, "/api/v1/concerns/{id}/rating", Compound, Json(|_| json!({ "rating": 1 }))),
        r(
            Method::POST,
            "/api/v1/concerns/{id}/escalations",
            Compound,
            Json(|_| json!({ "department": "某部门", "request": "x" })),
        ),
        r(
            Method::POST,
            "/api/v1/concerns/{id}/escalations/{escalation_id}/response",
            Compound,
            Json(|_| json!({ "response": "x" })),
        ),
        Route { query: "?name=x.jpg", ..r(Method::POST, "/api/v1/concerns/{id}/photos", Compound, Csv) },
        r(Method::GET, "/api/v1/concerns/{id}/photos/{file_id}", Compound, Nothing),
        r(Method::POST, "/api/v1/concerns/{id}/agenda", Compound, Json(|_| json!({}))),
        r(Method::GET, "/api/v1/compounds/{id}/agendas", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/compounds/{id}/agendas",
            Compound,
            Json(|_| json!({ "title": "越界议题", "description": "" })),
        ),
        r(
            Method::POST,
            "/api/v1/communities/{id}/agendas",
            Compound,
            Json(|_| json!({ "title": "越界议题", "description": "" })),
        ),
        r(Method::GET, "/api/v1/agendas/{id}", Compound, Nothing),
        r(Method::POST, "/api/v1/agendas/{id}/cosign", Compound, Nothing),
        r(Method::POST, "/api/v1/agendas/{id}/deliberate", Compound, Nothing),
        r(Method::POST, "/api/v1/agendas/{id}/decide", Compound, Json(|_| json!({ "decision": "x" }))),
        r(Method::POST, "/api/v1/agendas/{id}/close", Compound, Nothing),
        r(Method::POST, "/api/v1/agendas/{id}/withdraw", Compound, Json(|_| json!({ "reason": "x" }))),
        r(Method::GET, "/api/v1/agendas/{id}/comments", Compound, Nothing),
        r(Method::POST, "/api/v1/agendas/{id}/comments", Compound, Json(|_| json!({ "body": "越界发言" }))),
        r(
            Method::POST,
            "/api/v1/agendas/{id}/comments/{comment_id}/hide",
            Compound,
            Json(|_| json!({ "reason": "x" })),
        ),
        r(Method::GET, "/api/v1/compounds/{id}/questionnaires", Compound, Nothing),
        r(Method::POST, "/api/v1/compounds/{id}/questionnaires", Compound, Json(|_| new_questionnaire())),
        r(Method::GET, "/api/v1/questionnaires/{id}", Compound, Nothing),
        r(Method::PATCH, "/api/v1/questionnaires/{id}", Compound, Json(|_| new_questionnaire())),
        r(Method::POST, "/api/v1/questionnaires/{id}/publish", Compound, Nothing),
        r(Method::POST, "/api/v1/questionnaires/{id}/close", Compound, Nothing),
        r(Method::POST, "/api/v1/questionnaires/{id}/answers", Compound, Json(|_| questionnaire_answers())),
        r(Method::PUT, "/api/v1/questionnaires/{id}/answers/mine", Compound, Json(|_| questionnaire_answers())),
        r(Method::PUT, "/api/v1/questionnaires/{id}/draft", Compound, Json(|_| questionnaire_answers())),
        r(Method::GET, "/api/v1/questionnaires/{id}/results", Compound, Nothing),
        r(Method::GET, "/api/v1/questionnaires/{id}/export.csv", Compound, Nothing),
        r(Method::GET, "/api/v1/questionnaires/{id}/export.xlsx", Compound, Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/notices", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/compounds/{id}/notices",
            Compound,
            Json(|_| json!({ "party": "property_company", "title": "冒名公告", "body": "冒名" })),
        ),
        r(
            Method::POST,
            "/api/v1/communities/{id}/meetings",
            Compound,
            Json(|ids| crate::meetings::new_meeting("consultation", &[ids.compound], 3)),
        ),
        r(Method::GET, "/api/v1/compounds/{id}/meetings", Compound, Nothing),
        r(Method::GET, "/api/v1/meetings/{id}", Compound, Nothing),
        r(Method::POST, "/api/v1/meetings/{id}/answer", Compound, Json(|_| json!({ "answer": "attending" }))),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/postpone",
            Compound,
            Json(|_| json!({ "starts_at": "2098-01-01T00:00:00Z", "reason": "冒名改期" })),
        ),
        r(Method::POST, "/api/v1/meetings/{id}/cancel", Compound, Json(|_| json!({ "reason": "冒名取消" }))),
        r(
            Method::GET,
            "/api/v1/communities/{id}/meetings",
            Open("lists only the meetings the caller may see"),
            Nothing,
        ),
        r(Method::GET, "/api/v1/me/calendar", Open("the caller's own feed"), Nothing),
        r(Method::POST, "/api/v1/me/calendar", Open("the caller's own feed"), Nothing),
        r(Method::GET, "/api/v1/calendar/{token}/meetings.ics", Open("the secret address is the credential"), Nothing),
        Route {
            query: "?kind=consultation&compound_ids={compound}",
            ..r(Method::GET, "/api/v1/communities/{id}/meetings/carry-over", Compound, Nothing)
        },
        r(Method::GET, "/api/v1/meetings/{id}/sign-in-code", Compound, Nothing),
        r(Method::POST, "/api/v1/meetings/{id}/sign-in", Compound, Json(|_| json!({ "sign_in_code": "1.00" }))),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/attendance",
            Compound,
            Json(|_| json!({ "invitation_ids": [1], "present": true, "method": "staff" })),
        ),
        Route { query: "?name=x.jpg", ..r(Method::POST, "/api/v1/meetings/{id}/sign-in-sheet", Compound, Csv) },
        r(Method::GET, "/api/v1/meetings/{id}/sign-in-sheet", Compound, Nothing),
        r(Method::POST, "/api/v1/meetings/{id}/open", Compound, Nothing),
        r(Method::POST, "/api/v1/meetings/{id}/items/{item_id}/open", Compound, Nothing),
        r(Method::PUT, "/api/v1/meetings/{id}/items/{item_id}/notes", Compound, Json(|_| json!({ "notes": "冒名" }))),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/items/{item_id}/outcome",
            Compound,
            Json(|_| json!({ "outcome": "deferred" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/items/{item_id}/handoff",
            Compound,
            Json(|_| json!({ "to": "questionnaire" })),
        ),
        r(Method::PUT, "/api/v1/meetings/{id}/attachments", Compound, Json(|_| json!({ "attachment_ids": [] }))),
        r(Method::GET, "/api/v1/meetings/{id}/attachments/{file_id}", Compound, Nothing),
        r(Method::POST, "/api/v1/meetings/{id}/close", Compound, Nothing),
        r(Method::GET, "/api/v1/meetings/{id}/live", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/items/{item_id}/tasks",
            Compound,
            Json(|ids| json!({ "title": "冒名督办", "party_id": ids.party, "due_on": "2098-01-01" })),
        ),
        r(
            Method::GET,
            "/api/v1/communities/{id}/tasks",
            Open("lists only the action items the caller may see"),
            Nothing,
        ),
        r(Method::GET, "/api/v1/tasks/{id}", Compound, Nothing),
        r(Method::POST, "/api/v1/tasks/{id}/updates", Compound, Json(|_| json!({ "body": "冒名", "done": true }))),
        Route { query: "?name=x.jpg", ..r(Method::POST, "/api/v1/tasks/{id}/photos", Compound, Csv) },
        r(Method::GET, "/api/v1/tasks/{id}/photos/{file_id}", Compound, Nothing),
        r(Method::POST, "/api/v1/tasks/{id}/review", Compound, Json(|_| json!({ "accept": true }))),
        r(Method::POST, "/api/v1/meetings/{id}/minutes", Compound, Nothing),
        r(Method::GET, "/api/v1/meetings/{id}/minutes", Compound, Nothing),
        r(
            Method::PUT,
            "/api/v1/meetings/{id}/minutes",
            Compound,
            Json(|_| json!({ "version": 1, "text": "冒名纪要" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/minutes/circulate",
            Compound,
            Json(|_| json!({ "until": "2098-01-01T00:00:00Z" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/minutes/corrections",
            Compound,
            Json(|_| json!({ "version": 1, "text": "冒名纪要", "reason": "冒名更正" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/minutes/corrections/{correction_id}/answer",
            Compound,
            Json(|_| json!({ "accept": true, "reason": "冒名" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/minutes/sign-off",
            Compound,
            Json(|_| json!({ "sign_by": "2098-01-01T00:00:00Z" })),
        ),
        r(
            Method::POST,
            "/api/v1/meetings/{id}/minutes/signatures",
            Compound,
            Json(|_| json!({ "digest": "0".repeat(64), "answer": "approve" })),
        ),
        r(Method::POST, "/api/v1/meetings/{id}/minutes/publish", Compound, Json(|_| json!({ "publicity_days": 7 }))),
        r(Method::POST, "/api/v1/meetings/{id}/minutes/addenda", Compound, Json(|_| json!({ "text": "冒名补充" }))),
        r(Method::GET, "/api/v1/meetings/{id}/minutes/versions/{version}", Compound, Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/minutes", Compound, Nothing),
        r(Method::GET, "/api/v1/convention-templates", Open("the templates are the same for everyone"), Nothing),
        r(Method::POST, "/api/v1/conventions/import", Open("reads the file sent and stores nothing"), Nothing),
        r(Method::GET, "/api/v1/compounds/{id}/conventions", Compound, Nothing),
        r(Method::POST, "/api/v1/compounds/{id}/conventions", Compound, Json(|_| new_convention())),
        r(
            Method::GET,
            "/api/v1/communities/{id}/conventions",
            Open("lists only the conventions the caller may see"),
            Nothing,
        ),
        r(Method::POST, "/api/v1/communities/{id}/conventions", Compound, Json(|_| new_convention())),
        r(Method::GET, "/api/v1/conventions/{id}", Compound, Nothing),
        r(
            Method::PUT,
            "/api/v1/conventions/{id}",
            Compound,
            Json(|_| {
                json!({ "version": 1, "title": "冒名公约",
                        "body": { "chapters": [{ "articles": [{ "text": "冒名条文。" }] }] } })
            }),
        ),
        r(Method::GET, "/api/v1/conventions/{id}/versions/{version}", Compound, Nothing),
        Route { query: "?from=1&to=1", ..r(Method::GET, "/api/v1/conventions/{id}/compare", Compound, Nothing) },
        r(
            Method::POST,
            "/api/v1/conventions/{id}/consultation",
            Compound,
            Json(|_| json!({ "until": "2098-01-01T00:00:00Z" })),
        ),
        r(Method::GET, "/api/v1/conventions/{id}/comments", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/conventions/{id}/comments",
            Compound,
            Json(|_| {
                json!({ "article_id": crate::conventions::FIRST_ARTICLE, "version": 1, "kind": "comment",
                        "text": "冒名意见" })
            }),
        ),
        r(Method::POST, "/api/v1/conventions/{id}/comments/{comment_id}/support", Compound, Nothing),
        r(Method::DELETE, "/api/v1/conventions/{id}/comments/{comment_id}/support", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/conventions/{id}/comments/{comment_id}/answer",
            Compound,
            Json(|_| json!({ "outcome": "not_adopted", "reason": "冒名答复", "version": 1 })),
        ),
        r(
            Method::POST,
            "/api/v1/conventions/{id}/comments/{comment_id}/rebase",
            Compound,
            Json(|_| json!({ "wording": "冒名条文。" })),
        ),
        r(Method::GET, "/api/v1/conventions/{id}/report", Compound, Nothing),
        r(
            Method::POST,
            "/api/v1/conventions/{id}/adoptions",
            Compound,
            Json(|_| {
                json!({ "action": "adopt", "route": "pledge", "version": 1, "decided_by": "three_party",
                        "decided_on": "2026-11-20", "record": "冒名决定" })
            }),
        ),
        r(Method::GET, "/api/v1/compounds/{id}/convention-register", Compound, Nothing),
        r(
            Method::GET,
            "/api/v1/communities/{id}/convention-register",
            Open("lists only the conventions of the compounds the caller has a role in"),
            Nothing,
        ),
        r(Method::GET, "/api/v1/conventions/{id}/acknowledgements", Compound, Nothing),
        r(Method::POST, "/api/v1/conventions/{id}/acknowledgements", Compound, Json(|_| json!({}))),
        r(
            Method::POST,
            "/api/v1/conventions/{id}/acknowledgements/paper",
            Compound,
            Json(|ids| json!({ "holder_id": ids.holder, "signed_on": "2026-12-01" })),
        ),
        r(Method::POST, "/api/v1/conventions/{id}/acknowledgements/remind", Compound, Nothing),
    ]
}

fn new_convention() -> Value {
    json!({ "kind": "residents", "title": "冒名公约", "template": "residents" })
}

fn new_questionnaire() -> Value {
    json!({ "title": "冒名问卷", "questions": [{ "kind": "rating", "text": "打分", "required": true }],
            "audience": "owners", "answer_per": "holder", "results_visibility": "live",
            "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z" })
}

/// Answers that fit the demo's dog-keeping survey.
fn questionnaire_answers() -> Value {
    json!({ "answers": [{ "choices": [0] }, {}, { "rating": 1 }, {}, { "text": "冒名" }] })
}

fn new_vote() -> Value {
    json!({ "title": "冒名表决", "body": "", "matter": "other", "form": "motion",
            "opens_at": "2098-01-01T00:00:00Z", "closes_at": "2098-02-01T00:00:00Z" })
}

/// The path with its placeholders filled in with 太阳城二期's objects.
fn fill(route: &Route, ids: &Ids) -> String {
    let minutes = route.path.starts_with("/api/v1/meetings/{id}/minutes");
    let target = match route.path.trim_start_matches("/api/v1/").split('/').next().unwrap() {
        "meetings" if minutes => ids.minutes_meeting,
        "communities" => ids.community,
        "compounds" | "audit" | "markdown" => ids.compound,
        "units" => ids.unit,
        "holders" => ids.holder,
        "users" => ids.user,
        "memberships" => ids.membership,
        "parties" => ids.party,
        "votes" => ids.vote,
        "proxies" => ids.proxy,
        "me" => ids.notice,
        "files" => ids.file,
        "concerns" => ids.concern,
        "agendas" => ids.agenda,
        "questionnaires" => ids.questionnaire,
        "link-requests" => ids.link_request,
        "invitations" => ids.invitation,
        "recovery-codes" => ids.recovery,
        "meetings" => ids.meeting,
        "tasks" => ids.task,
        "conventions" | "convention-templates" => ids.convention,
        other => panic!("no object to aim {other} at"),
    };
    // The conventions' routes name a comment of the convention: the amendment.
    let comment = if route.path.starts_with("/api/v1/conventions/") { ids.convention_amendment } else { ids.comment };
    format!("{}{}", route.path, route.query)
        .replace("{id}", &target.to_string())
        .replace("{user_id}", &ids.linked_user.to_string())
        .replace("{ballot_id}", &ids.paper_ballot.to_string())
        .replace("{category_id}", &ids.category.to_string())
        .replace("{escalation_id}", &ids.escalation.to_string())
        .replace("{file_id}", &ids.concern_photo.to_string())
        .replace("{comment_id}", &comment.to_string())
        .replace("{item_id}", &ids.item.to_string())
        .replace("{correction_id}", &ids.correction.to_string())
        .replace("{version}", "1")
        .replace("{compound}", &ids.compound.to_string())
        // The file is checked first: an outsider never reaches the request.
        .replace("{request_id}", "1")
}

fn operations(item: &utoipa::openapi::PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
        (Method::HEAD, &item.head),
        (Method::OPTIONS, &item.options),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter(|(_, op)| op.is_some())
    .map(|(m, _)| m)
    .collect()
}

#[test]
fn the_table_lists_every_route_of_the_api() {
    let documented: BTreeSet<(String, String)> = sanfang::openapi()
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| operations(item).into_iter().map(move |m| (m.to_string(), path.clone())))
        .collect();
    let listed: BTreeSet<(String, String)> =
        routes().iter().map(|r| (r.method.to_string(), r.path.to_owned())).collect();
    let missing: Vec<_> = documented.difference(&listed).collect();
    assert!(missing.is_empty(), "routes without an entry in isolation::routes(): {missing:?}");
    let stale: Vec<_> = listed.difference(&documented).collect();
    assert!(stale.is_empty(), "entries for routes the API no longer has: {stale:?}");
    for r in routes() {
        if let Guard::Open(why) = r.guard {
            assert!(!why.trim().is_empty(), "{} {} keeps no one out and must say why", r.method, r.path);
        }
    }
}

pub(crate) async fn ids(app: &TestApp) -> Ids {
    let admin = app.token("admin").await;
    let compound = app.compound_id(TYC).await;
    let detail = app.get(&format!("/api/v1/compounds/{compound}"), &admin).await.expect(StatusCode::OK);
    let party =
        detail.body["parties"].as_array().unwrap().iter().find(|p| p["kind"] == "property_company").unwrap()["id"]
            .as_i64()
            .unwrap();
    let holder = app.holders(compound).await.into_iter().find(|h| !h["linked_users"].as_array().unwrap().is_empty());
    let holder = holder.unwrap();
    let users = app.get("/api/v1/users?q=property", &admin).await.expect(StatusCode::OK);
    let manager = users.body.as_array().unwrap().iter().find(|u| u["user"]["username"] == "property").unwrap().clone();
    let votes = app.get(&format!("/api/v1/compounds/{compound}/votes"), &admin).await.expect(StatusCode::OK);
    let vote = votes.body[0]["id"].as_i64().unwrap();
    app.get(&format!("/api/v1/votes/{vote}"), &admin).await.expect(StatusCode::OK);
    let unlinked = app.unlinked_holders(compound).await[0]["id"].as_i64().unwrap();
    let secretary = app.token("secretary").await;
    let paper = app
        .post(
            &format!("/api/v1/votes/{vote}/paper-ballots"),
            Some(&secretary),
            json!({ "holder_id": unlinked, "serial": "P-0001", "choice": "agree" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let proxy = app
        .post(
            &format!("/api/v1/compounds/{compound}/proxies"),
            Some(&secretary),
            json!({ "holder_id": holder["id"], "proxy_login": "owner002", "valid_from": "2020-01-01T00:00:00Z",
                    "valid_until": "2099-01-01T00:00:00Z" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let file = app
        .upload(
            &format!("/api/v1/compounds/{compound}/files?name=slip.pdf"),
            &secretary,
            b"%PDF-1.4 slip".to_vec(),
            "application/pdf",
        )
        .await
        .expect(StatusCode::CREATED);
    let owner = app.token("owner001").await;
    // Not the newest notice the demo left: the minutes of a consultation of two compounds went
    // to the people of both.
    let property = app.token("property").await;
    let notice = app
        .post(
            &format!("/api/v1/compounds/{compound}/notices"),
            Some(&property),
            json!({ "party": "property_company", "title": "停水通知", "body": "周六停水。" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let inbox = app.get("/api/v1/me/inbox", &owner).await.expect(StatusCode::OK);
    assert!(inbox.body.as_array().unwrap().iter().any(|n| n["id"] == notice.body["id"]), "{}", inbox.body);
    let category = crate::concerns::category(app, "hygiene").await;
    let concern =
        crate::concerns::raise(app, &owner, compound, "hygiene", "北门垃圾").await.expect(StatusCode::CREATED).id();
    let photo = app
        .upload(
            &format!("/api/v1/concerns/{concern}/photos?name=p.jpg"),
            &owner,
            crate::concerns::jpeg_with_location(),
            "image/jpeg",
        )
        .await
        .expect(StatusCode::CREATED);
    let escalated = app
        .post(
            &format!("/api/v1/concerns/{concern}/escalations"),
            Some(&secretary),
            json!({ "department": "城管", "request": "清运" }),
        )
        .await
        .expect(StatusCode::OK);
    let committee = app.token("committee").await;
    let agenda = crate::agendas::open(app, &committee, compound, "议题").await.expect(StatusCode::CREATED).id();
    let comment = app
        .post(&format!("/api/v1/agendas/{agenda}/comments"), Some(&owner), json!({ "body": "附议" }))
        .await
        .expect(StatusCode::CREATED);
    let questionnaires =
        app.get(&format!("/api/v1/compounds/{compound}/questionnaires"), &owner).await.expect(StatusCode::OK);
    let link_request = app
        .post(&format!("/api/v1/holders/{}/links", holder["id"]), Some(&secretary), json!({ "login": "owner002" }))
        .await
        .expect(StatusCode::ACCEPTED);
    let invitation = app
        .post(&format!("/api/v1/holders/{}/invitations", holder["id"]), Some(&committee), json!({}))
        .await
        .expect(StatusCode::CREATED);
    let recovery = app
        .post(&format!("/api/v1/users/{}/recovery-codes", holder["linked_users"][0]["id"]), Some(&secretary), json!({}))
        .await
        .expect(StatusCode::CREATED);
    let meeting =
        crate::meetings::convene(app, "secretary", crate::meetings::new_meeting("consultation", &[compound], 3))
            .await
            .expect(StatusCode::CREATED);
    let task = crate::meetings_live::task_under_way(app).await;
    let (minutes_meeting, correction) = crate::minutes::under_sign_off(app).await;
    let (convention, convention_amendment) = crate::conventions::in_consultation(app).await;
    Ids {
        convention,
        convention_amendment,
        minutes_meeting,
        correction,
        meeting: meeting.id(),
        item: meeting.body["items"][0]["id"].as_i64().unwrap(),
        task,
        link_request: link_request.id(),
        invitation: invitation.id(),
        recovery: recovery.id(),
        concern,
        concern_photo: photo.body["id"].as_i64().unwrap(),
        escalation: escalated.body["escalations"][0]["id"].as_i64().unwrap(),
        category,
        agenda,
        comment: comment.body["id"].as_i64().unwrap(),
        questionnaire: questionnaires.body[0]["id"].as_i64().unwrap(),
        file: file.body["id"].as_i64().unwrap(),
        vote,
        paper_ballot: paper.body["id"].as_i64().unwrap(),
        proxy: proxy.body["id"].as_i64().unwrap(),
        notice: notice.id(),
        community: detail.body["community"]["id"].as_i64().unwrap(),
        compound,
        unit: app.units(compound).await[0]["id"].as_i64().unwrap(),
        holder: holder["id"].as_i64().unwrap(),
        linked_user: holder["linked_users"][0]["id"].as_i64().unwrap(),
        user: manager["user"]["id"].as_i64().unwrap(),
        membership: manager["memberships"][0]["id"].as_i64().unwrap(),
        party,
    }
}

pub(crate) async fn call(app: &TestApp, route: &Route, ids: &Ids, token: &str) -> Res {
    let path = fill(route, ids);
    match route.payload {
        Payload::Nothing => app.request(route.method.clone(), &path, Some(token), None, None).await,
        Payload::Json(body) => app.send(route.method.clone(), &path, Some(token), body(ids)).await,
        Payload::Csv => {
            let csv = "building,unit,area,area_source,holder_name,holder_key\n9号楼,901,50,registered,入侵者,X1\n";
            app.request(route.method.clone(), &path, Some(token), Some(Body::from(csv)), Some("text/csv")).await
        }
    }
}

/// The newest audit sequence number.
pub(crate) async fn last_seq(app: &TestApp) -> i64 {
    let admin = app.token("admin").await;
    app.get("/api/v1/audit?limit=1", &admin).await.expect(StatusCode::OK).body[0]["seq"].as_i64().unwrap()
}

#[tokio::test]
async fn people_of_another_compound_reach_nothing_of_this_one_and_only_administrators_administer() {
    let app = spawn_demo().await;
    let ids = ids(&app).await;
    let shs = app.compound_id(SHS).await;
    let outsider_owner = app.owner_of(shs).await;
    let outsiders: Vec<(String, String)> = {
        let mut v = Vec::new();
        for login in ["property2", "committee2", "member2", outsider_owner.as_str()] {
            v.push((login.to_owned(), app.token(login).await));
        }
        v
    };
    let community_office = [("secretary", app.token("secretary").await), ("staff", app.token("staff").await)];
    let before = last_seq(&app).await;
    let summary = app.compound_summary(ids.compound).await;

    let mut checked = 0;
    for route in routes() {
        let callers: Vec<(&str, &str)> = match route.guard {
            Guard::Open(_) => continue,
            Guard::Compound => outsiders.iter().map(|(l, t)| (l.as_str(), t.as_str())).collect(),
            Guard::Admin => outsiders
                .iter()
                .map(|(l, t)| (l.as_str(), t.as_str()))
                .chain(community_office.iter().map(|(l, t)| (*l, t.as_str())))
                .collect(),
        };
        for (login, token) in callers {
            let res = call(&app, &route, &ids, token).await;
            let allowed: &[StatusCode] = match route.guard {
                Guard::Admin => &[StatusCode::FORBIDDEN],
                _ => &[StatusCode::FORBIDDEN, StatusCode::NOT_FOUND],
            };
            assert!(
                allowed.contains(&res.status),
                "{} {}{} as {login}: {} {}",
                route.method,
                route.path,
                route.query,
                res.status,
                res.body
            );
            assert!(matches!(res.code(), "forbidden" | "not_found"), "{}", res.body);
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} calls were made");

    // Nothing happened but the sign-ins of this test.
    let admin = app.token("admin").await;
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
    assert_eq!(app.compound_summary(ids.compound).await, summary);
    app.login("property", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

/// Call a route on 太阳城二期's objects with a JSON body of the caller's choosing.
pub(crate) async fn call_with(app: &TestApp, route: &Route, ids: &Ids, token: &str, body: Value) -> Res {
    app.send(route.method.clone(), &fill(route, ids), Some(token), body).await
}
