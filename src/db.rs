//! Connecting to SQLite or PostgreSQL, bringing the schema up to date, and the write kernel
//! every area uses: one write transaction at a time, and the compare-and-set status
//! [`Transition`].
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    FromQueryResult, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Statement, UpdateMany, Value,
    sea_query::{Expr, IntoCondition},
};

use crate::{
    error::{AppError, AppResult},
    text::PageWindow,
};

/// Connect to `url` and run pending migrations.
///
/// SQLite files run in WAL mode with `synchronous=FULL` (an acknowledged write survives power
/// loss) and foreign keys on; `sqlite::memory:` keeps one connection, since each would be its own
/// database.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // A file on this machine does not drop connections: no ping before each use, which would
        // cost every query a second hand-off to the connection's thread.
        opt.max_connections(if in_memory { 1 } else { pool_size(4) }).min_connections(1).test_before_acquire(false);
        opt.map_sqlx_sqlite_opts(move |o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            let o = o.foreign_keys(true).busy_timeout(Duration::from_secs(10));
            if in_memory {
                o
            } else {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
            }
        });
    } else {
        // A connection that has sat idle may have been dropped by the server or a firewall: only
        // such a one is pinged before use, not every connection every time.
        opt.max_connections(pool_size(20))
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    let db = Database::connect(opt).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// The WAL length (in 4 KiB pages) at which a committing connection copies it back into the
/// database itself. The server does that every second in the background ([`checkpoint`]), so a
/// commit — a ballot writer's batch, say — rarely has to; a command-line run without the server
/// still keeps its WAL below this.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 8_000;

/// Copy what the WAL holds back into a SQLite database, without waiting for (or holding up) any
/// reader or writer; nothing on PostgreSQL.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await?;
    }
    Ok(())
}

/// Connections in the pool: `SANFANG_DB_CONNECTIONS`, or `default`.
fn pool_size(default: u32) -> u32 {
    std::env::var("SANFANG_DB_CONNECTIONS").ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(default)
}

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://sanfang.db?mode=rwc";

/// Begin a transaction that writes.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken up front, so a transaction that
/// reads before it writes waits its turn instead of failing with a stale snapshot.
///
/// On PostgreSQL it takes the audit chain's head row first. Nearly every write appends to the
/// chain, so they queue there anyway; taking it first gives every transaction the same lock order
/// (head, then rows), so a vote closing and a batch of ballots can never deadlock.
pub async fn write_txn(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, DatabaseBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait};
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("UPDATE audit_head SET seq = seq WHERE id = 1").await?;
    }
    Ok(txn)
}

/// Run `statements` in order. On SQLite they go to the database in one multi-statement query,
/// one hand-off to its connection thread instead of one each; PostgreSQL takes bound values in
/// one statement at a time, so there they run one by one.
pub async fn execute_all(db: &impl ConnectionTrait, statements: Vec<Statement>) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        for s in statements {
            db.execute_raw(s).await?;
        }
        return Ok(());
    }
    let mut sql = String::new();
    let mut values = Vec::new();
    for s in statements {
        if !sql.is_empty() {
            sql.push_str(";\n");
        }
        sql.push_str(&s.sql);
        values.extend(s.values.map(|v| v.0).unwrap_or_default());
    }
    if !sql.is_empty() {
        db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await?;
    }
    Ok(())
}

/// A compare-and-set update of one row's status: it moves the row `id` from one of the statuses
/// `from` to `to` (and sets the columns given with [`Transition::set`]) only while the row is
/// still in one of them, so that of two people acting at once exactly one wins.
#[must_use = "a transition does nothing until it is applied"]
pub struct Transition<E: EntityTrait> {
    update: UpdateMany<E>,
}

impl<E: EntityTrait> Transition<E> {
    /// The move of row `id` (column `id_col`) from `from` to `to` in column `status`.
    pub fn of<V: Into<Value>>(
        id_col: E::Column,
        id: i64,
        status: E::Column,
        from: impl IntoIterator<Item = V>,
        to: impl Into<Value>,
    ) -> Self {
        let from: Vec<Value> = from.into_iter().map(Into::into).collect();
        let update =
            E::update_many().col_expr(status, Expr::value(to)).filter(id_col.eq(id)).filter(status.is_in(from));
        Transition { update }
    }

    /// Set `col` to `value` in the same update.
    pub fn set(mut self, col: E::Column, value: impl Into<Value>) -> Self {
        self.update = self.update.col_expr(col, Expr::value(value));
        self
    }

    /// Guard the move with one more condition on the row.
    pub fn when(mut self, condition: impl IntoCondition) -> Self {
        self.update = self.update.filter(condition);
        self
    }

    /// Apply the move; when the row had already left `from` (someone else acted first), answer
    /// `lost` and change nothing.
    pub async fn apply(self, db: &impl ConnectionTrait, lost: impl FnOnce() -> AppError) -> AppResult<()> {
        claim(db, self.update, lost).await
    }
}

/// Run a guarded update that must touch exactly one row, or answer `lost`.
pub async fn claim<E: EntityTrait>(
    db: &impl ConnectionTrait,
    update: UpdateMany<E>,
    lost: impl FnOnce() -> AppError,
) -> AppResult<()> {
    if update.exec(db).await?.rows_affected == 1 { Ok(()) } else { Err(lost()) }
}

/// One page of `find` ordered by `sort` (a column and a direction), ties broken by `id` the same
/// way so that pages never overlap, with the number of rows in all.
pub async fn sorted_page<E>(
    db: &impl ConnectionTrait,
    find: Select<E>,
    (column, order): (E::Column, Order),
    id: E::Column,
    window: PageWindow,
) -> AppResult<(Vec<E::Model>, u64)>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
{
    let total = find.clone().count(db).await?;
    let rows = find
        .order_by(column, order.clone())
        .order_by(id, order)
        .offset(window.offset)
        .limit(window.per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}
