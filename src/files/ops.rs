//! What one does with files: upload them, open a sealed scan, and ask for and approve its
//! unsealing.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    prelude::Expr,
};
use serde_json::json;

use super::{
    FileView,
    unseal::{self, NewUnseal, UnsealView},
};
use crate::{
    accounts::user_names,
    audit::{self, Subject},
    auth::Actor,
    db::{claim, write_txn},
    entities::{compound, file, scan_unseal},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    tenancy::compound_for,
    text::required_text,
};

/// A stored file with the compound it belongs to.
pub struct FileIn {
    pub file: file::Model,
    pub compound: compound::Model,
}

impl Subject for FileIn {
    fn subject(&self) -> String {
        format!("file:{}", self.file.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.compound.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound.id)
    }
}

/// Store a file `name` uploaded by `actor` for compound `compound_id`; `body` is the upload as it
/// was read, or why it could not be.
pub async fn upload(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    name: &str,
    body: AppResult<impl AsRef<[u8]>>,
) -> AppResult<FileView> {
    let c = compound_for(db, actor, compound_id, Permission::UploadFiles).await?;
    let body = body?;
    let name = required_text("name", name, 200)?;
    let f = super::store(db, c.id, actor.user.id, name, body.as_ref(), false).await?;
    Ok((&f).into())
}

/// File `id` and its compound.
pub async fn file_in(db: &impl ConnectionTrait, id: i64) -> AppResult<FileIn> {
    let file = file::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = compound::Entity::find_by_id(file.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(FileIn { file, compound })
}

fn sealed() -> AppError {
    AppError::denied("scan_sealed", msg!("scan_sealed"))
}

/// Let `actor` open `f`, the sealed scan of a slip of vote `vote_id`: a clerk while the slip is
/// still `in_hand`, else one of the two people of an approved, unexpired unsealing, each opening
/// recorded on the audit trail.
pub async fn open_sealed(
    db: &DatabaseConnection,
    actor: &Actor,
    f: &FileIn,
    vote_id: i64,
    in_hand: bool,
) -> AppResult<()> {
    if in_hand && actor.authorize_compound(Permission::CountPaper, &f.compound).is_ok() {
        return Ok(());
    }
    let now = Utc::now();
    let grant = scan_unseal::Entity::find()
        .filter(scan_unseal::Column::FileId.eq(f.file.id))
        .filter(scan_unseal::Column::ApprovedBy.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .find(|u| unseal::may_open(u, actor.user.id, now))
        .ok_or_else(sealed)?;
    let txn = write_txn(db).await?;
    let detail = json!({ "request": grant.id, "vote": vote_id });
    audit::note(&txn, Some(actor.user.id), f, "file.unsealed_opened", detail).await?;
    txn.commit().await?;
    Ok(())
}

/// A file of a compound where `actor` may handle ballots (the community office, the owners'
/// committee).
async fn file_for_unsealing(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<FileIn> {
    let f = file_in(db, id).await?;
    actor.authorize_compound(Permission::CountPaper, &f.compound)?;
    Ok(f)
}

async fn unseal_views(db: &impl ConnectionTrait, us: Vec<scan_unseal::Model>) -> AppResult<Vec<UnsealView>> {
    let people: Vec<i64> = us.iter().flat_map(|u| [Some(u.requested_by), u.approved_by]).flatten().collect();
    let names = user_names(db, people).await?;
    Ok(us
        .into_iter()
        .map(|u| UnsealView {
            id: u.id,
            file_id: u.file_id,
            reason: u.reason,
            requested_by: names.get(&u.requested_by).cloned(),
            requested_party: u.requested_party,
            requested_at: u.requested_at,
            approved_by: u.approved_by.and_then(|a| names.get(&a).cloned()),
            approved_party: u.approved_party,
            approved_at: u.approved_at,
            expires_at: u.expires_at,
        })
        .collect())
}

/// Ask to open file `id`, giving the reason; `sealed` says whether it is the sealed scan of a
/// secret vote's slip. The community office or the owners' committee asks; a person of the other
/// party must approve.
pub async fn request_unseal(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    sealed: bool,
    req: &NewUnseal,
) -> AppResult<UnsealView> {
    let f = file_for_unsealing(db, actor, id).await?;
    let party = *unseal::unsealing_parties(&actor.roles_in_compound(&f.compound)).first().ok_or(AppError::Forbidden)?;
    let reason = required_text("reason", &req.reason, 500)?;
    if !sealed {
        return Err(AppError::conflict("not_sealed", msg!("scan_not_sealed")));
    }
    let txn = write_txn(db).await?;
    // jscpd:ignore-start: an unsealing request is recorded as a link request is (who asked, for which party, when).
    let u = scan_unseal::Entity::insert(scan_unseal::ActiveModel {
        file_id: Set(f.file.id),
        compound_id: Set(f.compound.id),
        reason: Set(reason.clone()),
        requested_by: Set(actor.user.id),
        requested_party: Set(party.as_str().into()),
        requested_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    // jscpd:ignore-end
    .await?;
    let detail = json!({ "request": u.id, "party": party.as_str(), "reason": reason });
    audit::note(&txn, Some(actor.user.id), &f, "file.unseal_requested", detail).await?;
    txn.commit().await?;
    unseal_views(db, vec![u]).await?.pop().ok_or(AppError::NotFound)
}

/// The requests to open file `id`, newest first.
pub async fn list_unseals(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<UnsealView>> {
    let f = file_for_unsealing(db, actor, id).await?;
    let us = scan_unseal::Entity::find()
        .filter(scan_unseal::Column::FileId.eq(f.file.id))
        .order_by_desc(scan_unseal::Column::Id)
        .all(db)
        .await?;
    unseal_views(db, us).await
}

/// Approve request `request_id` to open file `id`, as a person of another party than the
/// requester's. The requester and the approver may then open the scan for seven days.
pub async fn approve_unseal(db: &DatabaseConnection, actor: &Actor, id: i64, request_id: i64) -> AppResult<UnsealView> {
    use scan_unseal::Column;
    let f = file_for_unsealing(db, actor, id).await?;
    let u = scan_unseal::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .filter(|u| u.file_id == f.file.id)
        .ok_or(AppError::NotFound)?;
    let already = || AppError::conflict("already_approved", msg!("unsealing_already_approved"));
    if u.approved_by.is_some() {
        return Err(already());
    }
    let party =
        unseal::approving_party(&u, actor.user.id, &unseal::unsealing_parties(&actor.roles_in_compound(&f.compound)))?;
    let now = Utc::now();
    let expires = unseal::expiry(now);
    let approval = scan_unseal::Entity::update_many()
        .col_expr(Column::ApprovedBy, Expr::value(actor.user.id))
        .col_expr(Column::ApprovedParty, Expr::value(party.as_str()))
        .col_expr(Column::ApprovedAt, Expr::value(now))
        .col_expr(Column::ExpiresAt, Expr::value(expires))
        .filter(Column::Id.eq(u.id))
        .filter(Column::ApprovedBy.is_null());
    let txn = write_txn(db).await?;
    claim(&txn, approval, already).await?;
    let detail = json!({ "request": u.id, "party": party.as_str(), "requested_by": u.requested_by,
                         "expires_at": expires.to_rfc3339() });
    audit::note(&txn, Some(actor.user.id), &f, "file.unseal_approved", detail).await?;
    txn.commit().await?;
    let u = scan_unseal::Entity::find_by_id(u.id).one(db).await?.ok_or(AppError::NotFound)?;
    unseal_views(db, vec![u]).await?.pop().ok_or(AppError::NotFound)
}
