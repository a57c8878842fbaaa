#include "tenantstore.h"

#include "storage/database.h"
#include "storage/sqltime.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace mcpgate::auth {

TenantStore::TenantStore(storage::Database &database)
    : m_database(database)
{ }

bool TenantStore::isValidId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    return pattern.match(id).hasMatch();
}

bool TenantStore::exists(const QString &id)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT 1 FROM tenants WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        throw storage::StorageError("could not look up tenant: "
                                    + query.lastError().text().toStdString());
    return query.next();
}

bool TenantStore::ensure(const QString &id, const QString &displayName)
{
    if (exists(id))
        return false;
    QSqlQuery query(m_database.connection());
    query.prepare(
        QStringLiteral("INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)"));
    query.addBindValue(id);
    query.addBindValue(displayName);
    query.addBindValue(storage::currentDbTime());
    if (!query.exec())
        throw storage::StorageError("could not create tenant: "
                                    + query.lastError().text().toStdString());
    return true;
}

int TenantStore::count()
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM tenants")) || !query.next())
        throw storage::StorageError("could not count tenants: "
                                    + query.lastError().text().toStdString());
    return query.value(0).toInt();
}

} // namespace mcpgate::auth
