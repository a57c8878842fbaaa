// What a daemon does on its first start against an empty database: create the default tenant,
// issue the initial super-admin API key (shown once, also written 0600 to the data directory),
// and optionally register the bundled demo MCP server.
#pragma once

#include <QString>

namespace mcpgate::auth {
class ApiKeyStore;
class TenantStore;
} // namespace mcpgate::auth
namespace mcpgate::registry {
class ServerRepository;
}

namespace mcpgate::cli {

struct FirstStartResult
{
    bool bootstrapped = false;
    QString adminKey; // set only when bootstrapped
    QString adminKeyFile;
    bool demoRegistered = false;
};

class FirstStart final
{
public:
    FirstStart(auth::TenantStore &tenants, auth::ApiKeyStore &keys,
               registry::ServerRepository &servers);

    // Does nothing when a tenant already exists. Throws storage::StorageError or
    // std::runtime_error (key file not writable).
    FirstStartResult run(const QString &dataDir, bool registerDemo, const QString &demoCommand);

    static constexpr auto defaultTenant = "default";

private:
    auth::TenantStore &m_tenants;
    auth::ApiKeyStore &m_keys;
    registry::ServerRepository &m_servers;
};

} // namespace mcpgate::cli
