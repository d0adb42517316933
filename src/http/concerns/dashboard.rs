//! `/communities/{id}/concern-dashboard`: the secretary's view of open concerns across the
//! community, what is overdue, and how satisfied residents were with each party, month by month.
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::dashboard::{ConcernDashboard, DashboardFilter};
use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

/// Open concerns by party and category, the overdue count, and satisfaction per party by month.
#[utoipa::path(get, path = "/communities/{id}/concern-dashboard", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), DashboardFilter),
    responses((status = 200, body = ConcernDashboard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn dashboard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<DashboardFilter>,
) -> AppResult<Json<ConcernDashboard>> {
    Ok(Json(crate::concerns::dashboard::dashboard(&state.db, &actor, id, f).await?))
}
