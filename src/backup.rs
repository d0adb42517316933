//! `sanfang backup` and `sanfang restore` for the embedded SQLite database.
//!
//! A backup is taken with `VACUUM INTO`: a consistent copy of a live database, while the server
//! keeps serving. A restore checks the copy first — SQLite's integrity check, the audit chain and
//! every ballot against it — and only then puts it in place. PostgreSQL has its own tools
//! (`pg_dump` / `pg_restore`, see the README).
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::{audit, votes};

/// The file a `sqlite:` URL names, or `None` for in-memory SQLite and for PostgreSQL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(PathBuf::from(path))
}

fn sql_string(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

/// Write a consistent copy of the live database to `dest` (which must not exist yet).
pub async fn backup(db: &DatabaseConnection, dest: &Path) -> anyhow::Result<()> {
    ensure!(
        db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite,
        "backup is for the SQLite database; for PostgreSQL use pg_dump (see the README)"
    );
    ensure!(!dest.exists(), "{} already exists; choose a new file", dest.display());
    db.execute_unprepared(&format!("VACUUM INTO {}", sql_string(dest))).await.context("writing the backup")?;
    Ok(())
}

/// Check a database: SQLite's integrity check, the audit chain, every ballot against it.
pub async fn check(db: &DatabaseConnection) -> anyhow::Result<String> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "PRAGMA integrity_check"))
        .await?
        .context("no answer from the integrity check")?;
    let integrity: String = row.try_get_by_index(0)?;
    ensure!(integrity == "ok", "the SQLite integrity check failed: {integrity}");
    let events = match audit::verify(db).await? {
        audit::VerifyReport::Ok { events, .. } => events,
        audit::VerifyReport::Broken { seq, reason, .. } => bail!("the audit chain is broken at event #{seq}: {reason}"),
    };
    if let Some((id, reason)) = votes::verify_ballots(db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        bail!("ballot {id} was altered: {reason}");
    }
    Ok(format!("integrity ok, {events} audit events, every ballot matches the chain"))
}

/// Replace the database at `url` with the backup `src`, after checking the backup. The server
/// must be stopped.
pub async fn restore(url: &str, src: &Path) -> anyhow::Result<String> {
    let Some(target) = sqlite_path(url) else {
        bail!("restore is for a SQLite file; for PostgreSQL use pg_restore (see the README)");
    };
    ensure!(src.is_file(), "{} is not a file", src.display());
    let staging = target.with_extension("restoring");
    let _ = std::fs::remove_file(&staging);
    std::fs::copy(src, &staging).with_context(|| format!("copying {}", src.display()))?;
    let checked = async {
        let db = crate::db::connect(&format!("sqlite://{}?mode=rw", staging.display())).await?;
        let report = check(&db).await;
        // Fold the WAL back into the file before it is moved.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        db.close().await?;
        report
    }
    .await;
    let report = match checked {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            for ext in ["restoring-wal", "restoring-shm"] {
                let _ = std::fs::remove_file(target.with_extension(ext));
            }
            return Err(e.context(format!("{} was not restored", src.display())));
        }
    };
    for ext in ["restoring-wal", "restoring-shm"] {
        let _ = std::fs::remove_file(target.with_extension(ext));
    }
    // The old database's log must not be replayed onto the restored file.
    for suffix in ["-wal", "-shm"] {
        let mut p = target.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(&staging, &target).with_context(|| format!("moving the backup to {}", target.display()))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite://sanfang.db?mode=rwc"), Some(PathBuf::from("sanfang.db")));
        assert_eq!(sqlite_path("sqlite:///var/lib/s.db"), Some(PathBuf::from("/var/lib/s.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }
}
