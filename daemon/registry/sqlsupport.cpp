#include "registry/sqlsupport.h"

#include "storage/database.h"

#include <QSqlError>
#include <QSqlQuery>

namespace mcpgate::registry::sql {

using storage::StorageError;

namespace {

void run(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        throw StorageError("transaction failed (" + statement.toStdString()
                           + "): " + describe(query));
}

} // namespace

std::string describe(const QSqlQuery &query)
{
    const QString text = query.lastError().text().trimmed();
    return text.isEmpty() ? std::string("unknown database error") : text.toStdString();
}

QSqlQuery prepare(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.prepare(statement))
        throw StorageError("cannot prepare query: " + describe(query));
    return query;
}

void exec(QSqlQuery &query)
{
    if (!query.exec())
        throw StorageError("query failed: " + describe(query));
}

bool isUniqueViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // PostgreSQL: SQLSTATE unique_violation. SQLite: SQLITE_CONSTRAINT_UNIQUE or
    // SQLITE_CONSTRAINT_PRIMARYKEY, or the primary code SQLITE_CONSTRAINT (shared with foreign
    // key and NOT NULL failures) when the driver does not report extended codes.
    if (code == QLatin1String("23505") || code == QLatin1String("2067")
        || code == QLatin1String("1555"))
        return true;
    return code == QLatin1String("19")
        && error.databaseText().contains(QLatin1String("UNIQUE"), Qt::CaseInsensitive);
}

QVariant boolValue(storage::Dialect dialect, bool value)
{
    if (dialect == storage::Dialect::Sqlite)
        return value ? 1 : 0;
    return value;
}

QVariant notNullText(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

QVariant nullBytes()
{
    return QVariant(QMetaType::fromType<QByteArray>());
}

WriteTransaction::WriteTransaction(const QSqlDatabase &db, storage::Dialect dialect)
    : m_db(db)
{
    run(m_db,
        dialect == storage::Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE")
                                            : QStringLiteral("BEGIN"));
}

WriteTransaction::~WriteTransaction()
{
    if (!m_done)
        rollback();
}

void WriteTransaction::commit()
{
    try {
        run(m_db, QStringLiteral("COMMIT"));
    } catch (const StorageError &) {
        rollback();
        throw;
    }
    m_done = true;
}

void WriteTransaction::rollback()
{
    m_done = true;
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("ROLLBACK"));
}

} // namespace mcpgate::registry::sql
