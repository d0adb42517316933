//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

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
        opt.max_connections(if in_memory { 1 } else { pool_size(4) }).min_connections(1);
        opt.map_sqlx_sqlite_opts(move |o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            let o = o.foreign_keys(true).busy_timeout(Duration::from_secs(10));
            if in_memory { o } else { o.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Full) }
        });
    } else {
        opt.max_connections(pool_size(20)).acquire_timeout(Duration::from_secs(10));
    }
    let db = Database::connect(opt).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
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
