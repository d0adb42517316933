//! What a meeting records and what it sets going: the parties' positions and members' votes on
//! its items, the action items (督办) with their progress and photos, and each person's secret
//! calendar feed.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

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
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MeetingItems {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MeetingPositions {
    Table,
    Id,
    ItemId,
    PartyId,
    UserId,
    Position,
}

#[derive(DeriveIden)]
enum MeetingTasks {
    Table,
    Id,
    MeetingId,
    ItemId,
    CommunityId,
    CompoundId,
    Title,
    PartyId,
    AssigneeId,
    DueOn,
    Status,
    CreatedBy,
    CreatedAt,
    ReportedAt,
    ConfirmedAt,
    ConfirmedBy,
    RemindedOn,
}

#[derive(DeriveIden)]
enum MeetingTaskUpdates {
    Table,
    Id,
    TaskId,
    AuthorId,
    Body,
    MarksDone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MeetingTaskPhotos {
    Table,
    Id,
    TaskId,
    FileId,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    UserId,
    TokenHash,
    CreatedAt,
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
                .table(MeetingPositions::Table)
                .col(big_pk_auto(MeetingPositions::Id))
                .col(big_integer(MeetingPositions::ItemId))
                // A party's position in a consultation, or a member's vote in a committee meeting.
                .col(big_integer_null(MeetingPositions::PartyId))
                .col(big_integer_null(MeetingPositions::UserId))
                .col(string(MeetingPositions::Position))
                .foreign_key(&mut fk(
                    "fk_meeting_positions_item",
                    (MeetingPositions::Table, MeetingPositions::ItemId),
                    (MeetingItems::Table, MeetingItems::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_positions_party",
                    (MeetingPositions::Table, MeetingPositions::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_positions_user",
                    (MeetingPositions::Table, MeetingPositions::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meeting_positions_item", MeetingPositions::Table, &["item_id"], false).await?;

        m.create_table(
            Table::create()
                .table(MeetingTasks::Table)
                .col(big_pk_auto(MeetingTasks::Id))
                .col(big_integer(MeetingTasks::MeetingId))
                .col(big_integer(MeetingTasks::ItemId))
                .col(big_integer(MeetingTasks::CommunityId))
                // The compound whose files hold the task's photos.
                .col(big_integer(MeetingTasks::CompoundId))
                .col(string(MeetingTasks::Title))
                // The party responsible, and the person who answers for it.
                .col(big_integer(MeetingTasks::PartyId))
                .col(big_integer_null(MeetingTasks::AssigneeId))
                .col(date(MeetingTasks::DueOn))
                .col(string(MeetingTasks::Status))
                .col(big_integer(MeetingTasks::CreatedBy))
                .col(timestamp_with_time_zone(MeetingTasks::CreatedAt))
                .col(timestamp_with_time_zone_null(MeetingTasks::ReportedAt))
                .col(timestamp_with_time_zone_null(MeetingTasks::ConfirmedAt))
                .col(big_integer_null(MeetingTasks::ConfirmedBy))
                // The day the responsible party was last reminded of an overdue task.
                .col(date_null(MeetingTasks::RemindedOn))
                .foreign_key(&mut fk(
                    "fk_meeting_tasks_meeting",
                    (MeetingTasks::Table, MeetingTasks::MeetingId),
                    (Meetings::Table, Meetings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_tasks_item",
                    (MeetingTasks::Table, MeetingTasks::ItemId),
                    (MeetingItems::Table, MeetingItems::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_tasks_community",
                    (MeetingTasks::Table, MeetingTasks::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_tasks_party",
                    (MeetingTasks::Table, MeetingTasks::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_tasks_assignee",
                    (MeetingTasks::Table, MeetingTasks::AssigneeId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_meeting_tasks_community_status",
            MeetingTasks::Table,
            &["community_id", "status", "due_on"],
            false,
        )
        .await?;
        index(m, "ix_meeting_tasks_meeting", MeetingTasks::Table, &["meeting_id"], false).await?;
        index(m, "ix_meeting_tasks_party", MeetingTasks::Table, &["party_id", "status"], false).await?;

        m.create_table(
            Table::create()
                .table(MeetingTaskUpdates::Table)
                .col(big_pk_auto(MeetingTaskUpdates::Id))
                .col(big_integer(MeetingTaskUpdates::TaskId))
                .col(big_integer(MeetingTaskUpdates::AuthorId))
                .col(text(MeetingTaskUpdates::Body))
                .col(boolean(MeetingTaskUpdates::MarksDone))
                .col(timestamp_with_time_zone(MeetingTaskUpdates::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_meeting_task_updates_task",
                    (MeetingTaskUpdates::Table, MeetingTaskUpdates::TaskId),
                    (MeetingTasks::Table, MeetingTasks::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_task_updates_author",
                    (MeetingTaskUpdates::Table, MeetingTaskUpdates::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meeting_task_updates_task", MeetingTaskUpdates::Table, &["task_id"], false).await?;

        m.create_table(
            Table::create()
                .table(MeetingTaskPhotos::Table)
                .col(big_pk_auto(MeetingTaskPhotos::Id))
                .col(big_integer(MeetingTaskPhotos::TaskId))
                .col(big_integer(MeetingTaskPhotos::FileId))
                .foreign_key(&mut fk(
                    "fk_meeting_task_photos_task",
                    (MeetingTaskPhotos::Table, MeetingTaskPhotos::TaskId),
                    (MeetingTasks::Table, MeetingTasks::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_meeting_task_photos_file",
                    (MeetingTaskPhotos::Table, MeetingTaskPhotos::FileId),
                    (Files::Table, Files::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_meeting_task_photos_task", MeetingTaskPhotos::Table, &["task_id"], false).await?;

        m.create_table(
            Table::create()
                .table(CalendarFeeds::Table)
                .col(big_integer(CalendarFeeds::UserId).primary_key())
                // SHA-256 of the secret in the feed's address; the secret itself is shown once.
                .col(string(CalendarFeeds::TokenHash))
                .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_calendar_feeds_user",
                    (CalendarFeeds::Table, CalendarFeeds::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_calendar_feeds_token", CalendarFeeds::Table, &["token_hash"], true).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CalendarFeeds::Table.into_iden(),
            MeetingTaskPhotos::Table.into_iden(),
            MeetingTaskUpdates::Table.into_iden(),
            MeetingTasks::Table.into_iden(),
            MeetingPositions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
