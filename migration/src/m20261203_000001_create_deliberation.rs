//! Deliberation: residents' concerns (诉求) with their categories, photos, timeline and
//! escalations to outside departments; agendas (议题) with their co-signs and discussion.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Buildings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Holders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ConcernCategories {
    Table,
    Id,
    CommunityId,
    Key,
    NameZh,
    NameEn,
    DefaultPartyKind,
    TimeLimitHours,
    Position,
}

#[derive(DeriveIden)]
enum Concerns {
    Table,
    Id,
    CommunityId,
    CompoundId,
    BuildingId,
    Location,
    CategoryId,
    Text,
    RaisedBy,
    Status,
    AssignedPartyId,
    AssignedKind,
    DueAt,
    CreatedAt,
    UpdatedAt,
    RoutedAt,
    AcknowledgedAt,
    ResolvedAt,
    ConfirmedAt,
    Rating,
    RatedAt,
    AgendaId,
}

#[derive(DeriveIden)]
enum ConcernPhotos {
    Table,
    Id,
    ConcernId,
    FileId,
}

#[derive(DeriveIden)]
enum ConcernEvents {
    Table,
    Id,
    ConcernId,
    Kind,
    ActorId,
    ActorKind,
    Note,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum ConcernEscalations {
    Table,
    Id,
    ConcernId,
    Department,
    Request,
    EscalatedBy,
    EscalatedAt,
    Response,
    RespondedBy,
    RespondedAt,
}

#[derive(DeriveIden)]
enum Agendas {
    Table,
    Id,
    CommunityId,
    CompoundId,
    Title,
    Description,
    CategoryId,
    OpenedBy,
    PartyKind,
    ConcernId,
    Status,
    Decision,
    VoteId,
    QuestionnaireId,
    WithdrawReason,
    StatutoryAt,
    CreatedAt,
    UpdatedAt,
    DecidedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum AgendaCosigns {
    Table,
    Id,
    AgendaId,
    HolderId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgendaComments {
    Table,
    Id,
    AgendaId,
    ParentId,
    AuthorId,
    Body,
    OfficialKind,
    CreatedAt,
    HiddenAt,
    HiddenBy,
    HiddenReason,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>, unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

/// The categories every community starts with: (key, 中文, English, party on duty, hours to settle).
/// New communities get the same list from the application when they are created.
const DEFAULT_CATEGORIES: [(&str, &str, &str, &str, i32); 8] = [
    ("hygiene", "环境卫生", "Hygiene", "property_company", 72),
    ("facilities", "公共设施", "Public facilities", "property_company", 168),
    ("repairs", "维修", "Repairs", "property_company", 72),
    ("safety", "安全隐患", "Safety", "property_company", 24),
    ("pets", "养犬宠物", "Pets", "owners_committee", 168),
    ("parking", "停车", "Parking", "property_company", 168),
    ("noise", "噪音扰民", "Noise", "community_office", 72),
    ("other", "其他", "Other", "community_office", 168),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ConcernCategories::Table)
                .col(big_pk_auto(ConcernCategories::Id))
                .col(big_integer(ConcernCategories::CommunityId))
                .col(string(ConcernCategories::Key))
                .col(string(ConcernCategories::NameZh))
                .col(string(ConcernCategories::NameEn))
                .col(string(ConcernCategories::DefaultPartyKind))
                .col(integer(ConcernCategories::TimeLimitHours))
                .col(integer(ConcernCategories::Position))
                .foreign_key(&mut fk(
                    "fk_concern_categories_community",
                    (ConcernCategories::Table, ConcernCategories::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_concern_categories_community_key",
            ConcernCategories::Table,
            vec![ConcernCategories::CommunityId.into_iden(), ConcernCategories::Key.into_iden()],
            true,
        ))
        .await?;
        // Communities that exist already get the default list now.
        for (i, (key, zh, en, party, hours)) in DEFAULT_CATEGORIES.iter().enumerate() {
            let select = Query::select()
                .column(Communities::Id)
                .expr(Expr::val(*key))
                .expr(Expr::val(*zh))
                .expr(Expr::val(*en))
                .expr(Expr::val(*party))
                .expr(Expr::val(*hours))
                .expr(Expr::val(i as i32 + 1))
                .from(Communities::Table)
                .to_owned();
            let insert = Query::insert()
                .into_table(ConcernCategories::Table)
                .columns([
                    ConcernCategories::CommunityId,
                    ConcernCategories::Key,
                    ConcernCategories::NameZh,
                    ConcernCategories::NameEn,
                    ConcernCategories::DefaultPartyKind,
                    ConcernCategories::TimeLimitHours,
                    ConcernCategories::Position,
                ])
                .select_from(select)
                .map_err(|e| DbErr::Custom(e.to_string()))?
                .to_owned();
            m.exec_stmt(insert).await?;
        }

        m.create_table(
            Table::create()
                .table(Agendas::Table)
                .col(big_pk_auto(Agendas::Id))
                .col(big_integer(Agendas::CommunityId))
                .col(big_integer_null(Agendas::CompoundId))
                .col(string(Agendas::Title))
                .col(text(Agendas::Description))
                .col(big_integer_null(Agendas::CategoryId))
                .col(big_integer(Agendas::OpenedBy))
                .col(string(Agendas::PartyKind))
                .col(big_integer_null(Agendas::ConcernId))
                .col(string(Agendas::Status))
                .col(text_null(Agendas::Decision))
                .col(big_integer_null(Agendas::VoteId))
                // The questionnaire that settled it; questionnaires live in their own module.
                .col(big_integer_null(Agendas::QuestionnaireId))
                .col(text_null(Agendas::WithdrawReason))
                .col(timestamp_with_time_zone_null(Agendas::StatutoryAt))
                .col(timestamp_with_time_zone(Agendas::CreatedAt))
                .col(timestamp_with_time_zone(Agendas::UpdatedAt))
                .col(timestamp_with_time_zone_null(Agendas::DecidedAt))
                .col(timestamp_with_time_zone_null(Agendas::ClosedAt))
                .foreign_key(&mut fk(
                    "fk_agendas_community",
                    (Agendas::Table, Agendas::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agendas_compound",
                    (Agendas::Table, Agendas::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agendas_category",
                    (Agendas::Table, Agendas::CategoryId),
                    (ConcernCategories::Table, ConcernCategories::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agendas_opener",
                    (Agendas::Table, Agendas::OpenedBy),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk("fk_agendas_vote", (Agendas::Table, Agendas::VoteId), (Votes::Table, Votes::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_agendas_compound_status",
            Agendas::Table,
            vec![Agendas::CompoundId.into_iden(), Agendas::Status.into_iden()],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_agendas_community_status",
            Agendas::Table,
            vec![Agendas::CommunityId.into_iden(), Agendas::Status.into_iden()],
            false,
        ))
        .await?;
        m.create_index(index("ix_agendas_category", Agendas::Table, vec![Agendas::CategoryId.into_iden()], false))
            .await?;
        m.create_index(index("ix_agendas_concern", Agendas::Table, vec![Agendas::ConcernId.into_iden()], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Concerns::Table)
                .col(big_pk_auto(Concerns::Id))
                .col(big_integer(Concerns::CommunityId))
                .col(big_integer(Concerns::CompoundId))
                .col(big_integer_null(Concerns::BuildingId))
                .col(string_null(Concerns::Location))
                .col(big_integer(Concerns::CategoryId))
                .col(text(Concerns::Text))
                .col(big_integer(Concerns::RaisedBy))
                .col(string(Concerns::Status))
                .col(big_integer_null(Concerns::AssignedPartyId))
                .col(string_null(Concerns::AssignedKind))
                .col(timestamp_with_time_zone(Concerns::DueAt))
                .col(timestamp_with_time_zone(Concerns::CreatedAt))
                .col(timestamp_with_time_zone(Concerns::UpdatedAt))
                .col(timestamp_with_time_zone_null(Concerns::RoutedAt))
                .col(timestamp_with_time_zone_null(Concerns::AcknowledgedAt))
                .col(timestamp_with_time_zone_null(Concerns::ResolvedAt))
                .col(timestamp_with_time_zone_null(Concerns::ConfirmedAt))
                .col(integer_null(Concerns::Rating))
                .col(timestamp_with_time_zone_null(Concerns::RatedAt))
                .col(big_integer_null(Concerns::AgendaId))
                .foreign_key(&mut fk(
                    "fk_concerns_community",
                    (Concerns::Table, Concerns::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_compound",
                    (Concerns::Table, Concerns::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_building",
                    (Concerns::Table, Concerns::BuildingId),
                    (Buildings::Table, Buildings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_category",
                    (Concerns::Table, Concerns::CategoryId),
                    (ConcernCategories::Table, ConcernCategories::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_raiser",
                    (Concerns::Table, Concerns::RaisedBy),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_party",
                    (Concerns::Table, Concerns::AssignedPartyId),
                    (Parties::Table, Parties::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concerns_agenda",
                    (Concerns::Table, Concerns::AgendaId),
                    (Agendas::Table, Agendas::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_concerns_compound_status",
            Concerns::Table,
            vec![Concerns::CompoundId.into_iden(), Concerns::Status.into_iden()],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_concerns_community_status",
            Concerns::Table,
            vec![Concerns::CommunityId.into_iden(), Concerns::Status.into_iden()],
            false,
        ))
        .await?;
        m.create_index(index("ix_concerns_raiser", Concerns::Table, vec![Concerns::RaisedBy.into_iden()], false))
            .await?;
        m.create_index(index("ix_concerns_category", Concerns::Table, vec![Concerns::CategoryId.into_iden()], false))
            .await?;
        m.create_index(index("ix_concerns_due", Concerns::Table, vec![Concerns::DueAt.into_iden()], false)).await?;

        m.create_table(
            Table::create()
                .table(ConcernPhotos::Table)
                .col(big_pk_auto(ConcernPhotos::Id))
                .col(big_integer(ConcernPhotos::ConcernId))
                .col(big_integer(ConcernPhotos::FileId))
                .foreign_key(&mut fk(
                    "fk_concern_photos_concern",
                    (ConcernPhotos::Table, ConcernPhotos::ConcernId),
                    (Concerns::Table, Concerns::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_concern_photos_file",
                    (ConcernPhotos::Table, ConcernPhotos::FileId),
                    (Files::Table, Files::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ux_concern_photos_concern_file",
            ConcernPhotos::Table,
            vec![ConcernPhotos::ConcernId.into_iden(), ConcernPhotos::FileId.into_iden()],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_concern_photos_file",
            ConcernPhotos::Table,
            vec![ConcernPhotos::FileId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ConcernEvents::Table)
                .col(big_pk_auto(ConcernEvents::Id))
                .col(big_integer(ConcernEvents::ConcernId))
                .col(string(ConcernEvents::Kind))
                .col(big_integer_null(ConcernEvents::ActorId))
                .col(string_null(ConcernEvents::ActorKind))
                .col(text_null(ConcernEvents::Note))
                .col(text_null(ConcernEvents::Detail))
                .col(timestamp_with_time_zone(ConcernEvents::At))
                .foreign_key(&mut fk(
                    "fk_concern_events_concern",
                    (ConcernEvents::Table, ConcernEvents::ConcernId),
                    (Concerns::Table, Concerns::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_concern_events_concern",
            ConcernEvents::Table,
            vec![ConcernEvents::ConcernId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ConcernEscalations::Table)
                .col(big_pk_auto(ConcernEscalations::Id))
                .col(big_integer(ConcernEscalations::ConcernId))
                .col(string(ConcernEscalations::Department))
                .col(text(ConcernEscalations::Request))
                .col(big_integer(ConcernEscalations::EscalatedBy))
                .col(timestamp_with_time_zone(ConcernEscalations::EscalatedAt))
                .col(text_null(ConcernEscalations::Response))
                .col(big_integer_null(ConcernEscalations::RespondedBy))
                .col(timestamp_with_time_zone_null(ConcernEscalations::RespondedAt))
                .foreign_key(&mut fk(
                    "fk_concern_escalations_concern",
                    (ConcernEscalations::Table, ConcernEscalations::ConcernId),
                    (Concerns::Table, Concerns::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_concern_escalations_concern",
            ConcernEscalations::Table,
            vec![ConcernEscalations::ConcernId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AgendaCosigns::Table)
                .col(big_pk_auto(AgendaCosigns::Id))
                .col(big_integer(AgendaCosigns::AgendaId))
                .col(big_integer(AgendaCosigns::HolderId))
                .col(big_integer(AgendaCosigns::UserId))
                .col(timestamp_with_time_zone(AgendaCosigns::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_agenda_cosigns_agenda",
                    (AgendaCosigns::Table, AgendaCosigns::AgendaId),
                    (Agendas::Table, Agendas::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agenda_cosigns_holder",
                    (AgendaCosigns::Table, AgendaCosigns::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agenda_cosigns_user",
                    (AgendaCosigns::Table, AgendaCosigns::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One co-sign per holder, however many accounts the holder has.
        m.create_index(index(
            "ux_agenda_cosigns_agenda_holder",
            AgendaCosigns::Table,
            vec![AgendaCosigns::AgendaId.into_iden(), AgendaCosigns::HolderId.into_iden()],
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_agenda_cosigns_user",
            AgendaCosigns::Table,
            vec![AgendaCosigns::UserId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AgendaComments::Table)
                .col(big_pk_auto(AgendaComments::Id))
                .col(big_integer(AgendaComments::AgendaId))
                .col(big_integer_null(AgendaComments::ParentId))
                .col(big_integer(AgendaComments::AuthorId))
                .col(text(AgendaComments::Body))
                .col(string_null(AgendaComments::OfficialKind))
                .col(timestamp_with_time_zone(AgendaComments::CreatedAt))
                .col(timestamp_with_time_zone_null(AgendaComments::HiddenAt))
                .col(big_integer_null(AgendaComments::HiddenBy))
                .col(text_null(AgendaComments::HiddenReason))
                .foreign_key(&mut fk(
                    "fk_agenda_comments_agenda",
                    (AgendaComments::Table, AgendaComments::AgendaId),
                    (Agendas::Table, Agendas::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agenda_comments_parent",
                    (AgendaComments::Table, AgendaComments::ParentId),
                    (AgendaComments::Table, AgendaComments::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_agenda_comments_author",
                    (AgendaComments::Table, AgendaComments::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_agenda_comments_agenda",
            AgendaComments::Table,
            vec![AgendaComments::AgendaId.into_iden()],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AgendaComments::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(AgendaCosigns::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ConcernEscalations::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ConcernEvents::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ConcernPhotos::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Concerns::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Agendas::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ConcernCategories::Table).to_owned()).await?;
        Ok(())
    }
}
