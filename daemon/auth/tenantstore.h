// Tenants: the isolation boundary every server, key and audit record belongs to. This store
// only creates and checks them; their administration arrives with the policy area.
#pragma once

#include <QString>

namespace mcpgate::storage {
class Database;
}

namespace mcpgate::auth {

class TenantStore final
{
public:
    explicit TenantStore(storage::Database &database);

    bool exists(const QString &id);
    // Creates the tenant unless it exists; returns true when it was created.
    bool ensure(const QString &id, const QString &displayName);
    int count();

    // Tenant ids are slugs, like server names.
    static bool isValidId(const QString &id);

private:
    storage::Database &m_database;
};

} // namespace mcpgate::auth
