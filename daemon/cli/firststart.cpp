#include "firststart.h"

#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "registry/serverdraft.h"
#include "registry/serverrepository.h"
#include "registry/servervalidator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <stdexcept>

namespace mcpgate::cli {

FirstStart::FirstStart(auth::TenantStore &tenants, auth::ApiKeyStore &keys,
                       registry::ServerRepository &servers)
    : m_tenants(tenants)
    , m_keys(keys)
    , m_servers(servers)
{ }

namespace {
void writePrivateFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    // Permissions are set before the secret is written, so it is never readable by others.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(content) != content.size()) {
        throw std::runtime_error("cannot write " + path.toStdString() + ": "
                                 + file.errorString().toStdString());
    }
}
} // namespace

FirstStartResult FirstStart::run(const QString &dataDir, bool registerDemo,
                                 const QString &demoCommand)
{
    FirstStartResult result;
    if (m_tenants.count() > 0)
        return result;

    const QString tenant = QString::fromLatin1(defaultTenant);
    m_tenants.ensure(tenant, QStringLiteral("Default tenant"));
    const auth::IssuedApiKey issued = m_keys.create(tenant, QStringLiteral("initial-admin"),
                                                    Role::SuperAdmin, QStringLiteral("bootstrap"));
    result.bootstrapped = true;
    result.adminKey = issued.key;
    result.adminKeyFile = QDir(dataDir).filePath(QStringLiteral("initial-admin-key"));
    writePrivateFile(result.adminKeyFile, issued.key.toLatin1() + '\n');

    if (registerDemo) {
        const QJsonObject demo {
            {QStringLiteral("name"), QStringLiteral("demo")},
            {QStringLiteral("displayName"), QStringLiteral("Demo server")},
            {QStringLiteral("description"),
             QStringLiteral("The MCP server bundled with MCPGate: echo, add, slow, fail and big "
                            "tools, one resource "
                            "and one prompt.")},
            {QStringLiteral("transport"),
             QJsonObject {{QStringLiteral("type"), QStringLiteral("stdio")},
                          {QStringLiteral("command"), demoCommand}}},
            {QStringLiteral("tags"), QJsonArray {QStringLiteral("demo")}},
        };
        const registry::ServerDraft draft = registry::ServerValidator::validateCreate(demo);
        m_servers.create(tenant, QStringLiteral("bootstrap"), draft);
        result.demoRegistered = true;
    }
    return result;
}

} // namespace mcpgate::cli
