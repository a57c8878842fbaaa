#include "storage/migrator.h"

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/sqltime.h"
#include "storage/storagelog.h"

#include <QSqlError>
#include <QSqlQuery>

#include <string>

namespace mcpgate::storage {

namespace {

// Serialises migrations between daemons sharing one PostgreSQL database: an arbitrary constant
// ("mcpg" in ASCII) that only mcpgated uses as an advisory lock key.
constexpr qint64 migrationLockKey = 0x6d637067;

std::string describe(const QSqlQuery &query)
{
    return query.lastError().text().trimmed().toStdString();
}

void exec(QSqlQuery &query, const QString &sql)
{
    if (!query.exec(sql))
        throw StorageError("schema query failed: " + describe(query) + " (" + sql.toStdString()
                           + ")");
}

class Transaction final
{
public:
    Transaction(QSqlDatabase &db, Dialect dialect)
        : m_db(db)
    {
        QSqlQuery query(m_db);
        // IMMEDIATE takes SQLite's write lock now, so two migrators cannot both read the old
        // version and then race to write the new one.
        exec(query,
             dialect == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                        : QStringLiteral("BEGIN"));
        if (dialect == Dialect::Postgres) {
            try {
                exec(query,
                     QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(migrationLockKey));
            } catch (const StorageError &) {
                query.exec(QStringLiteral("ROLLBACK"));
                throw;
            }
        }
    }
    ~Transaction()
    {
        if (!m_done) {
            QSqlQuery query(m_db);
            if (!query.exec(QStringLiteral("ROLLBACK")))
                qCWarning(lcStorage).noquote() << "rollback failed:" << query.lastError().text();
        }
    }
    Q_DISABLE_COPY_MOVE(Transaction)

    void commit()
    {
        QSqlQuery query(m_db);
        exec(query, QStringLiteral("COMMIT"));
        m_done = true;
    }

private:
    QSqlDatabase &m_db;
    bool m_done = false;
};

bool hasMigrationTable(QSqlDatabase &db, Dialect dialect)
{
    QSqlQuery query(db);
    exec(query,
         dialect == Dialect::Sqlite
             ? QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                              "AND name = 'schema_migrations'")
             : QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE "
                              "table_schema = current_schema() "
                              "AND table_name = 'schema_migrations'"));
    return query.next() && query.value(0).toInt() > 0;
}

int readVersion(QSqlDatabase &db, Dialect dialect)
{
    if (!hasMigrationTable(db, dialect))
        return 0;
    QSqlQuery query(db);
    exec(query, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    return query.next() ? query.value(0).toInt() : 0;
}

void refuseNewer(int version)
{
    if (version > Migrator::latestVersion())
        throw StorageError("database schema version " + std::to_string(version)
                           + " is newer than this mcpgated supports ("
                           + std::to_string(Migrator::latestVersion())
                           + "); upgrade mcpgated or point it at another database");
}

QSqlDatabase openConnection(Database &db)
{
    QSqlDatabase connection = db.connection();
    if (!connection.isOpen())
        throw StorageError("cannot migrate " + db.displayUrl().toStdString()
                           + ": the database is not reachable ("
                           + connection.lastError().text().toStdString() + ")");
    return connection;
}

} // namespace

int Migrator::latestVersion()
{
    const auto list = migrations(Dialect::Sqlite);
    return list.empty() ? 0 : list.back().version;
}

int Migrator::currentVersion(Database &db)
{
    QSqlDatabase connection = openConnection(db);
    return readVersion(connection, db.dialect());
}

void Migrator::migrate(Database &db)
{
    QSqlDatabase connection = openConnection(db);
    const Dialect dialect = db.dialect();
    {
        Transaction transaction(connection, dialect);
        // Checked first rather than IF NOT EXISTS, which makes PostgreSQL print a notice.
        if (!hasMigrationTable(connection, dialect)) {
            QSqlQuery query(connection);
            exec(query,
                 QStringLiteral("CREATE TABLE schema_migrations ("
                                "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
        }
        transaction.commit();
    }
    const int startVersion = readVersion(connection, dialect);
    refuseNewer(startVersion);

    for (const Migration &migration : migrations(dialect)) {
        if (migration.version <= startVersion)
            continue;
        Transaction transaction(connection, dialect);
        // Another daemon may have migrated while this one waited for the lock.
        const int version = readVersion(connection, dialect);
        refuseNewer(version);
        if (version >= migration.version) {
            transaction.commit();
            continue;
        }
        QSqlQuery query(connection);
        for (const char *statement : migration.statements) {
            if (!query.exec(QString::fromUtf8(statement)))
                throw StorageError("schema migration " + std::to_string(migration.version) + " ("
                                   + migration.description + ") failed: " + describe(query));
        }
        query.prepare(
            QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"));
        query.addBindValue(migration.version);
        query.addBindValue(currentDbTime());
        if (!query.exec())
            throw StorageError("cannot record schema migration " + std::to_string(migration.version)
                               + ": " + describe(query));
        query.finish();
        transaction.commit();
        qCInfo(lcStorage).noquote()
            << QStringLiteral("applied schema migration %1 (%2) to %3")
                   .arg(migration.version)
                   .arg(QString::fromUtf8(migration.description), db.displayUrl());
    }
}

} // namespace mcpgate::storage
