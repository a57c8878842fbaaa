// API keys: issued once in clear text, stored only as a SHA-256 hash under a visible prefix,
// verified by prefix lookup and a constant-time hash comparison.
#pragma once

#include "common/roles.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace mcpgate::storage {
class Database;
}

namespace mcpgate::auth {

struct ApiKeyRecord
{
    QString id;
    QString tenant;
    QString name;
    QString prefix; // shown in listings and logs; identifies the key without revealing it
    Role role = Role::Viewer;
    QString createdBy;
    QDateTime createdAt;
    QDateTime expiresAt; // invalid = never
    QDateTime revokedAt; // invalid = active
};

struct IssuedApiKey
{
    ApiKeyRecord record;
    QString key; // "mcpg_<prefix>_<secret>": shown once, never stored
};

class ApiKeyStore final
{
public:
    explicit ApiKeyStore(storage::Database &database);

    // Throws storage::StorageError when the tenant does not exist or the write fails.
    IssuedApiKey create(const QString &tenant, const QString &name, Role role,
                        const QString &createdBy, const QDateTime &expiresAt = {});
    // The key's record when `presented` is a well-formed, known, unrevoked, unexpired key.
    std::optional<ApiKeyRecord> verify(const QByteArray &presented);
    bool revoke(const QString &tenant, const QString &id);
    int count();

    // "mcpg_<12 hex>_<43 base64url>"; anything else is refused before a database lookup.
    static bool looksLikeKey(const QByteArray &presented);
    static QByteArray hashOf(const QByteArray &key);

private:
    storage::Database &m_database;
};

} // namespace mcpgate::auth
