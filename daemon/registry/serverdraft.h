// A server registration as validated client input, ready to be stored by ServerRepository:
// everything a client may set, nothing the gateway assigns (id, tenant, owner, times, revision).
#pragma once

#include "registry/servercredential.h"
#include "registry/servertransport.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace mcpgate::registry {

struct ServerDraft
{
    QString name;
    QString displayName;
    QString description;
    ServerTransport transport;
    // Unset only for an update that did not mention "credential": the stored credential,
    // secret included, stays as it is.
    std::optional<ServerCredential> credential;
    QStringList tags;
    bool enabled = true;
};

} // namespace mcpgate::registry
