// A stored server registration as the registry hands it out, and its REST API JSON form. It
// carries whether a credential secret is configured, never the secret itself.
#pragma once

#include "registry/servercredential.h"
#include "registry/servertransport.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace mcpgate::registry {

struct ServerRecord
{
    QString id;
    QString tenantId;
    QString name;
    QString displayName;
    QString description;
    ServerTransport transport;
    CredentialType credentialType = CredentialType::None;
    QString credentialHeader; // Header credentials only
    bool credentialConfigured = false; // a sealed secret is stored
    QStringList tags; // sorted
    bool enabled = true;
    QString owner;
    QDateTime createdAt;
    QDateTime updatedAt;
    qint64 revision = 0;

    // The API response form: {"id", "name", "displayName", "description", "transport",
    // "credential", "tags", "enabled", "tenant", "owner", "createdAt", "updatedAt", "revision"}.
    QJsonObject toJson() const;
    // The create-input form without "credential" (whose secret the record does not hold): the
    // document a PATCH merge patch is applied to.
    QJsonObject toInputJson() const;
    // The strong entity tag "\"<revision>\"" for ETag / If-Match.
    QByteArray etag() const;
};

} // namespace mcpgate::registry
