#include "keyscommand.h"

#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "config/settings.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QDateTime>
#include <QDir>
#include <QTextStream>

namespace mcpgate::cli {

int createKey(const config::Settings &settings, const KeyRequest &request)
{
    QTextStream err(stderr);
    const auto role = roleFromName(request.role);
    if (!role || *role == Role::Anonymous) {
        err << "mcpgated: --role must be one of "
            << allRoleNames().mid(0, 5).join(QStringLiteral(", ")) << '\n';
        return 2;
    }
    if (!auth::TenantStore::isValidId(request.tenant)) {
        err << "mcpgated: --tenant must be a tenant id like 'default'\n";
        return 2;
    }
    if (request.name.trimmed().isEmpty() || request.name.size() > 200) {
        err << "mcpgated: --name is required (1 to 200 characters)\n";
        return 2;
    }
    QDateTime expires;
    if (!request.expiresInDays.isEmpty()) {
        bool ok = false;
        const int days = request.expiresInDays.toInt(&ok);
        if (!ok || days < 1 || days > 3650) {
            err << "mcpgated: --expires-in-days must be between 1 and 3650\n";
            return 2;
        }
        expires = QDateTime::currentDateTimeUtc().addDays(days);
    }
    try {
        QDir().mkpath(settings.dataDir);
        const auto database = storage::Database::open(settings.database);
        storage::Migrator::migrate(*database);
        auth::TenantStore tenants(*database);
        if (!tenants.exists(request.tenant)) {
            err << "mcpgated: tenant '" << request.tenant << "' does not exist\n";
            return 1;
        }
        auth::ApiKeyStore keys(*database);
        const auth::IssuedApiKey issued = keys.create(request.tenant, request.name.trimmed(), *role,
                                                      QStringLiteral("cli"), expires);
        err << "Created API key '" << issued.record.name << "' (prefix " << issued.record.prefix
            << ", role " << request.role << ", tenant " << request.tenant
            << "). It is shown only now:\n";
        err.flush();
        QTextStream(stdout) << issued.key << '\n';
        return 0;
    } catch (const std::exception &error) {
        err << "mcpgated: " << error.what() << '\n';
        return 1;
    }
}

} // namespace mcpgate::cli
