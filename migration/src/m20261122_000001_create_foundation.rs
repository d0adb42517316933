//! Accounts, tenancy (communities, compounds, parties, memberships), the owner roster
//! (buildings, units, holders and their history), invitations, refresh tokens and the audit chain.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    Phone,
    DisplayName,
    PasswordHash,
    IsActive,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
    Name,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
    CommunityId,
    Name,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
    CommunityId,
    CompoundId,
    Kind,
    Name,
    ScopeKey,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    Role,
    CommunityId,
    CompoundId,
    PartyId,
    ScopeKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Buildings {
    Table,
    Id,
    CompoundId,
    Name,
}

#[derive(DeriveIden)]
enum Holders {
    Table,
    Id,
    CompoundId,
    HolderKey,
    Name,
    Phone,
    IsDeveloper,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    CompoundId,
    BuildingId,
    Number,
    AreaCenti,
    AreaSource,
    HolderId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UnitChanges {
    Table,
    Id,
    UnitId,
    At,
    ByUserId,
    Source,
    AreaBefore,
    AreaAfter,
    HolderBefore,
    HolderAfter,
    AreaSource,
}

#[derive(DeriveIden)]
enum OwnerLinks {
    Table,
    Id,
    UserId,
    HolderId,
    Method,
    VerifiedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    HolderId,
    CodeHash,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RedeemedBy,
    RedeemedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    Seq,
    At,
    ActorId,
    Action,
    CommunityId,
    CompoundId,
    Subject,
    Detail,
    PrevHash,
    Hash,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string(Settings::Key).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_uniq(Users::Username))
                .col(string_null(Users::Phone).unique_key())
                .col(string(Users::DisplayName))
                .col(string(Users::PasswordHash))
                .col(boolean(Users::IsActive).default(true))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Communities::Table)
                .col(big_pk_auto(Communities::Id))
                .col(string_uniq(Communities::Name))
                .col(string_null(Communities::Address))
                .col(timestamp_with_time_zone(Communities::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Compounds::Table)
                .col(big_pk_auto(Compounds::Id))
                .col(big_integer(Compounds::CommunityId))
                .col(string(Compounds::Name))
                .col(string_null(Compounds::Address))
                .col(timestamp_with_time_zone(Compounds::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_compounds_community",
                    (Compounds::Table, Compounds::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_compounds_community_name", Compounds::Table, &["community_id", "name"], true).await?;

        m.create_table(
            Table::create()
                .table(Parties::Table)
                .col(big_pk_auto(Parties::Id))
                .col(big_integer(Parties::CommunityId))
                .col(big_integer_null(Parties::CompoundId))
                .col(string(Parties::Kind))
                .col(string(Parties::Name))
                // "community:1" for the community office, "compound:7:property_company" …: one party of a kind per scope.
                .col(string_uniq(Parties::ScopeKey))
                .foreign_key(&mut fk(
                    "fk_parties_community",
                    (Parties::Table, Parties::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_parties_compound",
                    (Parties::Table, Parties::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_parties_community", Parties::Table, &["community_id"], false).await?;
        index(m, "ix_parties_compound", Parties::Table, &["compound_id"], false).await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(big_pk_auto(Memberships::Id))
                .col(big_integer(Memberships::UserId))
                .col(string(Memberships::Role))
                .col(big_integer_null(Memberships::CommunityId))
                .col(big_integer_null(Memberships::CompoundId))
                .col(big_integer_null(Memberships::PartyId))
                .col(string(Memberships::ScopeKey))
                .col(timestamp_with_time_zone(Memberships::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_memberships_user",
                    (Memberships::Table, Memberships::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_memberships_community",
                    (Memberships::Table, Memberships::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_memberships_compound",
                    (Memberships::Table, Memberships::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_memberships_party",
                    (Memberships::Table, Memberships::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_memberships_user_role_scope", Memberships::Table, &["user_id", "role", "scope_key"], true).await?;
        index(m, "ix_memberships_compound", Memberships::Table, &["compound_id"], false).await?;
        index(m, "ix_memberships_community", Memberships::Table, &["community_id"], false).await?;

        m.create_table(
            Table::create()
                .table(Buildings::Table)
                .col(big_pk_auto(Buildings::Id))
                .col(big_integer(Buildings::CompoundId))
                .col(string(Buildings::Name))
                .foreign_key(&mut fk(
                    "fk_buildings_compound",
                    (Buildings::Table, Buildings::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_buildings_compound_name", Buildings::Table, &["compound_id", "name"], true).await?;

        m.create_table(
            Table::create()
                .table(Holders::Table)
                .col(big_pk_auto(Holders::Id))
                .col(big_integer(Holders::CompoundId))
                .col(string(Holders::HolderKey))
                .col(string(Holders::Name))
                .col(string_null(Holders::Phone))
                .col(boolean(Holders::IsDeveloper).default(false))
                .foreign_key(&mut fk(
                    "fk_holders_compound",
                    (Holders::Table, Holders::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_holders_compound_key", Holders::Table, &["compound_id", "holder_key"], true).await?;

        m.create_table(
            Table::create()
                .table(Units::Table)
                .col(big_pk_auto(Units::Id))
                .col(big_integer(Units::CompoundId))
                .col(big_integer(Units::BuildingId))
                .col(string(Units::Number))
                // Exclusive area in 0.01 m²: the law counts it, so it is an integer.
                .col(big_integer(Units::AreaCenti))
                .col(string(Units::AreaSource))
                .col(big_integer(Units::HolderId))
                .col(timestamp_with_time_zone(Units::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_units_compound",
                    (Units::Table, Units::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_units_building",
                    (Units::Table, Units::BuildingId),
                    (Buildings::Table, Buildings::Id),
                ))
                .foreign_key(&mut fk("fk_units_holder", (Units::Table, Units::HolderId), (Holders::Table, Holders::Id)))
                .check(Expr::col(Units::AreaCenti).gt(0))
                .to_owned(),
        )
        .await?;
        index(m, "ux_units_building_number", Units::Table, &["building_id", "number"], true).await?;
        index(m, "ix_units_compound", Units::Table, &["compound_id"], false).await?;
        index(m, "ix_units_holder", Units::Table, &["holder_id"], false).await?;

        m.create_table(
            Table::create()
                .table(UnitChanges::Table)
                .col(big_pk_auto(UnitChanges::Id))
                .col(big_integer(UnitChanges::UnitId))
                .col(timestamp_with_time_zone(UnitChanges::At))
                .col(big_integer_null(UnitChanges::ByUserId))
                .col(string(UnitChanges::Source))
                .col(big_integer_null(UnitChanges::AreaBefore))
                .col(big_integer_null(UnitChanges::AreaAfter))
                .col(big_integer_null(UnitChanges::HolderBefore))
                .col(big_integer_null(UnitChanges::HolderAfter))
                .col(string(UnitChanges::AreaSource))
                .foreign_key(&mut fk(
                    "fk_unit_changes_unit",
                    (UnitChanges::Table, UnitChanges::UnitId),
                    (Units::Table, Units::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_unit_changes_user",
                    (UnitChanges::Table, UnitChanges::ByUserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_unit_changes_unit", UnitChanges::Table, &["unit_id"], false).await?;

        m.create_table(
            Table::create()
                .table(OwnerLinks::Table)
                .col(big_pk_auto(OwnerLinks::Id))
                .col(big_integer(OwnerLinks::UserId))
                .col(big_integer(OwnerLinks::HolderId))
                .col(string(OwnerLinks::Method))
                .col(big_integer_null(OwnerLinks::VerifiedBy))
                .col(timestamp_with_time_zone(OwnerLinks::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_owner_links_user",
                    (OwnerLinks::Table, OwnerLinks::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_owner_links_holder",
                    (OwnerLinks::Table, OwnerLinks::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_owner_links_user_holder", OwnerLinks::Table, &["user_id", "holder_id"], true).await?;
        index(m, "ix_owner_links_holder", OwnerLinks::Table, &["holder_id"], false).await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(big_pk_auto(Invitations::Id))
                .col(big_integer(Invitations::HolderId))
                .col(string_uniq(Invitations::CodeHash))
                .col(big_integer(Invitations::CreatedBy))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(big_integer_null(Invitations::RedeemedBy))
                .col(timestamp_with_time_zone_null(Invitations::RedeemedAt))
                .foreign_key(&mut fk(
                    "fk_invitations_holder",
                    (Invitations::Table, Invitations::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(big_pk_auto(RefreshTokens::Id))
                .col(big_integer(RefreshTokens::UserId))
                .col(string(RefreshTokens::FamilyId))
                .col(string_uniq(RefreshTokens::TokenHash))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .foreign_key(&mut fk(
                    "fk_refresh_tokens_user",
                    (RefreshTokens::Table, RefreshTokens::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_refresh_tokens_family", RefreshTokens::Table, &["family_id"], false).await?;

        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(integer(AuditHead::Id).primary_key())
                .col(big_integer(AuditHead::Seq))
                .col(string(AuditHead::Hash))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(big_pk_auto(AuditEvents::Id))
                .col(big_integer_uniq(AuditEvents::Seq))
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(big_integer_null(AuditEvents::ActorId))
                .col(string(AuditEvents::Action))
                .col(big_integer_null(AuditEvents::CommunityId))
                .col(big_integer_null(AuditEvents::CompoundId))
                .col(string(AuditEvents::Subject))
                .col(text(AuditEvents::Detail))
                .col(string(AuditEvents::PrevHash))
                .col(string(AuditEvents::Hash))
                .to_owned(),
        )
        .await?;
        index(m, "ix_audit_events_compound", AuditEvents::Table, &["compound_id"], false).await?;
        index(m, "ix_audit_events_community", AuditEvents::Table, &["community_id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditEvents::Table.into_iden(),
            AuditHead::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Invitations::Table.into_iden(),
            OwnerLinks::Table.into_iden(),
            UnitChanges::Table.into_iden(),
            Units::Table.into_iden(),
            Holders::Table.into_iden(),
            Buildings::Table.into_iden(),
            Memberships::Table.into_iden(),
            Parties::Table.into_iden(),
            Compounds::Table.into_iden(),
            Communities::Table.into_iden(),
            Users::Table.into_iden(),
            Settings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
