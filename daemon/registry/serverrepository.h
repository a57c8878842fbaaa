// Stores server registrations per tenant in the database, with their tags and their upstream
// credential sealed by the SecretBox; lists them with filters and keyset pagination.
#pragma once

#include "registry/serverrecord.h"

#include <QList>
#include <QString>

#include <optional>

namespace mcpgate::storage {
class Database;
class SecretBox;
} // namespace mcpgate::storage

namespace mcpgate::registry {

struct ServerDraft;
struct ServerQuery;

struct ServerPage
{
    QList<ServerRecord> items;
    QString nextCursor; // empty on the last page
};

// Every method is scoped by tenant: a server of another tenant is reported as not found. Each
// call uses the calling thread's database connection. Failures: RegistryError (NotFound,
// NameConflict, StaleRevision), ValidationError (bad cursor), storage::StorageError (database),
// storage::SecretBoxError (sealing, or a stored secret that does not open).
class ServerRepository final
{
public:
    ServerRepository(storage::Database &database, storage::SecretBox &secrets);

    // Stores a new server (new UUID, revision 1, both times now). A draft without credential
    // stores none. Throws RegistryError NameConflict when the tenant has a server of that name.
    ServerRecord create(const QString &tenantId, const QString &owner, const ServerDraft &draft);
    std::optional<ServerRecord> get(const QString &tenantId, const QString &id) const;
    std::optional<ServerRecord> findByName(const QString &tenantId, const QString &name) const;
    ServerPage list(const QString &tenantId, const ServerQuery &query) const;
    // Replaces the server's fields and tags with `draft` (keeping the stored credential when
    // draft.credential is unset), increments the revision and sets updatedAt. Throws
    // RegistryError NotFound, NameConflict, or StaleRevision when `expectedRevision` is given
    // and is not the stored one (or another update won a race).
    ServerRecord update(const QString &tenantId, const QString &id, const ServerDraft &draft,
                        std::optional<qint64> expectedRevision = std::nullopt);
    // False when there is no such server. Throws RegistryError StaleRevision when
    // `expectedRevision` is given and is not the stored one.
    bool remove(const QString &tenantId, const QString &id,
                std::optional<qint64> expectedRevision = std::nullopt);
    // The decrypted bearer token or header value; empty for a server without credential.
    // Throws RegistryError NotFound.
    QString credentialSecret(const QString &tenantId, const QString &id) const;

private:
    std::optional<ServerRecord> fetchOne(const QString &tenantId, const QString &column,
                                         const QString &value) const;

    storage::Database &m_database;
    storage::SecretBox &m_secrets;
};

} // namespace mcpgate::registry
