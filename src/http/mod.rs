//! The edge: the only layer that knows HTTP. State, extractors, error rendering, the OpenAPI
//! document, the server loop, and one handler module per area. A handler extracts what the
//! request carries, calls one operation of its area and maps the result to a response.
#![warn(clippy::too_many_lines)]

mod accounts;
mod agendas;
mod api_doc;
mod audit;
mod auth;
mod caller;
mod concerns;
mod conventions;
mod error;
pub mod extract;
mod files;
mod language;
mod markdown;
mod meetings;
mod minutes;
mod notices;
mod questionnaires;
mod roster;
mod server;
mod state;
mod tenancy;
mod verification;
mod votes;

use std::{path::PathBuf, sync::Arc};

use axum::{Router, routing::get};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

pub use server::{HEADER_READ_TIMEOUT, MAX_BODY_BYTES, REQUEST_TIMEOUT, serve};
pub use state::AppState;

use crate::auth::{Network, jwt::JwtKeys, password::Hasher};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sanfang API",
        description = "Three-party deliberation and binding votes for residential communities. \
                       Errors are `{\"error\":{\"code\",\"message\",\"fields\"?,\"rows\"?}}`.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Signing in, tokens, my account"),
        (name = "accounts", description = "Accounts and roles (administrators)"),
        (name = "tenancy", description = "Communities, compounds, buildings, parties"),
        (name = "roster", description = "Units, areas, holders and the roster import"),
        (name = "verification", description = "Linking owners to the units they hold"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "votes", description = "Binding votes: drafting, ballots by every channel, turnout, results"),
        (name = "notices", description = "My inbox"),
        (name = "files", description = "Attachments and scans"),
        (name = "concerns", description = "Residents' concerns routed by duty, escalations, the secretary's dashboard"),
        (name = "agendas", description = "Agendas: co-signing toward a statutory request, discussion, decisions"),
        (name = "meetings", description = "Meetings: convening by kind, invitations and their answers, changes of plan, signing in, the live room, outcomes, action items and the calendar"),
        (name = "conventions", description = "Conventions drafted in chapters and articles with stable ids, every version kept and compared article by article, and a consultation in which every comment and amendment is answered"),
        (name = "minutes", description = "Minutes of a held meeting: drafted from its record, corrected by those who attended, signed seat by seat on the exact text, published and added to by chained addenda"),
        (name = "questionnaires", description = "Questionnaires: building, answering (named or anonymous), results and exports"),
        (name = "markdown", description = "Markdown texts as the app shows them"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

#[derive(Serialize, ToSchema)]
struct Health {
    status: String,
}

/// Liveness: answers `{"status":"ok"}`.
#[utoipa::path(get, path = "/health", tag = "auth", responses((status = 200, body = Health)))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health { status: "ok".into() })
}

impl AppState {
    /// State over `db`, signing tokens with `jwt_secret`.
    pub fn new(db: DatabaseConnection, jwt_secret: &[u8]) -> Self {
        Self::behind(db, jwt_secret, Vec::new())
    }

    /// As [`AppState::new`], for a server behind the reverse proxies `trusted_proxies`.
    pub fn behind(db: DatabaseConnection, jwt_secret: &[u8], trusted_proxies: Vec<Network>) -> Self {
        let rosters = Arc::new(crate::votes::lifecycle::Rosters::default());
        Self::from_parts(state::Shared {
            jwt: Arc::new(JwtKeys::new(jwt_secret)),
            hasher: Hasher::new(),
            ballots: crate::votes::BallotWriter::spawn(db.clone(), rosters.clone()),
            rosters,
            room: crate::meetings::Room::start(db.clone()),
            sign_in_key: crate::meetings::SignInKey::derive(jwt_secret),
            db,
            trusted_proxies,
        })
    }
}

/// The `/api/v1` routes and their OpenAPI document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(health))
        .merge(auth::router())
        .merge(accounts::router())
        .merge(tenancy::router())
        .merge(roster::router().layer(axum::extract::DefaultBodyLimit::max(crate::roster::MAX_ROSTER_BYTES)))
        .merge(verification::router())
        .merge(audit::router())
        .merge(votes::router())
        .merge(notices::router())
        .merge(files::router())
        .merge(concerns::router())
        .merge(agendas::router())
        .merge(meetings::router())
        .merge(conventions::router())
        .merge(minutes::router())
        .merge(questionnaires::router())
        .merge(markdown::router());
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1).split_for_parts();
    api_doc::add_common_responses(&mut doc);
    (router, doc)
}

/// The OpenAPI document the server serves at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

/// The whole application: API, docs, and the built SPA from `static_dir` (when given).
pub fn app(state: AppState, static_dir: Option<PathBuf>) -> Router {
    let (api_router, doc) = api();
    let router = Router::new()
        .merge(api_router)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc))
        .route("/api", get(server::api_not_found))
        .route("/api/{*rest}", axum::routing::any(server::api_not_found))
        .with_state(state);
    server::finish(router, static_dir)
}
