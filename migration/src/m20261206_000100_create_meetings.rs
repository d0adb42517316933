//! Meetings (会议): the meeting, the compounds taking part, its items, and the invitations with
//! their answers and sign-ins.
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
enum Meetings {
    Table,
    Id,
    CommunityId,
    CompoundId,
    Kind,
    Title,
    Description,
    Status,
    StartsAt,
    DurationMinutes,
    Place,
    OnlineLink,
    ChairId,
    RecorderId,
    ConvenedBy,
    ConveningParty,
    CancelReason,
    PreviousMeetingId,
    CurrentItemId,
    CreatedAt,
    UpdatedAt,
    OpenedAt,
    ClosedAt,
    SignInSheetFileId,
}

#[derive(DeriveIden)]
enum MeetingCompounds {
    Table,
    MeetingId,
    CompoundId,
}

#[derive(DeriveIden)]
enum MeetingItems {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    Description,
    SourceKind,
    SourceId,
    PresenterId,
    Minutes,
    Status,
    Notes,
    Outcome,
    OutcomeText,
    HandsFor,
    HandsAgainst,
    HandsAbstaining,
    CarriedFrom,
    OpenedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum MeetingInvitations {
    Table,
    Id,
    MeetingId,
    UserId,
    PartyId,
    Capacity,
    Answer,
    DeputyUserId,
    DeputyName,
    AnsweredAt,
    SignedInAt,
    SignInMethod,
    SignedInBy,
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
                .table(Meetings::Table)
                .col(big_pk_auto(Meetings::Id))
                .col(big_integer(Meetings::CommunityId))
                // The compound it is held for; none for a meeting of several compounds or the
                // whole community (those taking part are in meeting_compounds).
                .col(big_integer_null(Meetings::CompoundId))
                .col(string(Meetings::Kind))
                .col(string(Meetings::Title))
                .col(text(Meetings::Description))
                .col(string(Meetings::Status))
                .col(timestamp_with_time_zone(Meetings::StartsAt))
                .col(integer(Meetings::DurationMinutes))
                .col(string_null(Meetings::Place))
                .col(string_null(Meetings::OnlineLink))
                .col(big_integer(Meetings::ChairId))
                .col(big_integer(Meetings::RecorderId))
                .col(big_integer(Meetings::ConvenedBy))
                .col(string(Meetings::ConveningParty))
                .col(text_null(Meetings::CancelReason))
                .col(big_integer_null(Meetings::PreviousMeetingId))
                .col(big_integer_null(Meetings::CurrentItemId))
                .col(timestamp_with_time_zone(Meetings::CreatedAt))
                .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                .col(timestamp_with_time_zone_null(Meetings::OpenedAt))
                .col(timestamp_with_time_zone_null(Meetings::ClosedAt))
                // The photo of the paper sign-in sheet, where one was used.
                .col(big_integer_null(Meetings::SignInSheetFileId))
                .foreign_key(&mut fk(
                    "fk_meetings_community",
                    (Meetings::Table, Meetings::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meetings_compound",
                    (Meetings::Table, Meetings::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meetings_chair",
                    (Meetings::Table, Meetings::ChairId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meetings_recorder",
                    (Meetings::Table, Meetings::RecorderId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meetings_convener",
                    (Meetings::Table, Meetings::ConvenedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meetings_community_starts", Meetings::Table, &["community_id", "starts_at"], false).await?;
        index(m, "ix_meetings_kind_previous", Meetings::Table, &["kind", "previous_meeting_id"], false).await?;

        m.create_table(
            Table::create()
                .table(MeetingCompounds::Table)
                .col(big_integer(MeetingCompounds::MeetingId))
                .col(big_integer(MeetingCompounds::CompoundId))
                .primary_key(Index::create().col(MeetingCompounds::MeetingId).col(MeetingCompounds::CompoundId))
                .foreign_key(&mut fk(
                    "fk_meeting_compounds_meeting",
                    (MeetingCompounds::Table, MeetingCompounds::MeetingId),
                    (Meetings::Table, Meetings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_compounds_compound",
                    (MeetingCompounds::Table, MeetingCompounds::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meeting_compounds_compound", MeetingCompounds::Table, &["compound_id", "meeting_id"], false)
            .await?;

        m.create_table(
            Table::create()
                .table(MeetingItems::Table)
                .col(big_pk_auto(MeetingItems::Id))
                .col(big_integer(MeetingItems::MeetingId))
                .col(integer(MeetingItems::Position))
                .col(string(MeetingItems::Title))
                .col(text(MeetingItems::Description))
                // What the item is drawn from (agenda, concern, questionnaire, vote), if anything;
                // those tables live in other migrations, so no key.
                .col(string_null(MeetingItems::SourceKind))
                .col(big_integer_null(MeetingItems::SourceId))
                .col(big_integer_null(MeetingItems::PresenterId))
                .col(integer(MeetingItems::Minutes))
                .col(string(MeetingItems::Status))
                .col(text(MeetingItems::Notes))
                .col(string_null(MeetingItems::Outcome))
                .col(text_null(MeetingItems::OutcomeText))
                // A show of hands, where one was counted.
                .col(integer_null(MeetingItems::HandsFor))
                .col(integer_null(MeetingItems::HandsAgainst))
                .col(integer_null(MeetingItems::HandsAbstaining))
                // The unresolved item of an earlier meeting of the same body that this one takes up.
                .col(big_integer_null(MeetingItems::CarriedFrom))
                .col(timestamp_with_time_zone_null(MeetingItems::OpenedAt))
                .col(timestamp_with_time_zone_null(MeetingItems::ClosedAt))
                .foreign_key(&mut fk(
                    "fk_meeting_items_meeting",
                    (MeetingItems::Table, MeetingItems::MeetingId),
                    (Meetings::Table, Meetings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_items_presenter",
                    (MeetingItems::Table, MeetingItems::PresenterId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meeting_items_meeting", MeetingItems::Table, &["meeting_id", "position"], false).await?;
        index(m, "ix_meeting_items_source", MeetingItems::Table, &["source_kind", "source_id"], false).await?;

        m.create_table(
            Table::create()
                .table(MeetingInvitations::Table)
                .col(big_pk_auto(MeetingInvitations::Id))
                .col(big_integer(MeetingInvitations::MeetingId))
                .col(big_integer(MeetingInvitations::UserId))
                // The party the invitee speaks for, if any.
                .col(big_integer_null(MeetingInvitations::PartyId))
                .col(string(MeetingInvitations::Capacity))
                .col(string(MeetingInvitations::Answer))
                .col(big_integer_null(MeetingInvitations::DeputyUserId))
                .col(string_null(MeetingInvitations::DeputyName))
                .col(timestamp_with_time_zone_null(MeetingInvitations::AnsweredAt))
                .col(timestamp_with_time_zone_null(MeetingInvitations::SignedInAt))
                .col(string_null(MeetingInvitations::SignInMethod))
                .col(big_integer_null(MeetingInvitations::SignedInBy))
                .foreign_key(&mut fk(
                    "fk_meeting_invitations_meeting",
                    (MeetingInvitations::Table, MeetingInvitations::MeetingId),
                    (Meetings::Table, Meetings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_invitations_user",
                    (MeetingInvitations::Table, MeetingInvitations::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_invitations_party",
                    (MeetingInvitations::Table, MeetingInvitations::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_meeting_invitations_user", MeetingInvitations::Table, &["meeting_id", "user_id"], true).await?;
        index(m, "ix_meeting_invitations_user", MeetingInvitations::Table, &["user_id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            MeetingInvitations::Table.into_iden(),
            MeetingItems::Table.into_iden(),
            MeetingCompounds::Table.into_iden(),
            Meetings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
