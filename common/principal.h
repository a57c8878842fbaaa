// Who is calling: the authenticated identity a request acts as, with its tenant and role.
#pragma once

#include "roles.h"

#include <QJsonObject>
#include <QSet>
#include <QString>

namespace mcpgate {

struct Principal
{
    QString subject; // stable id: "key:<prefix>" for API keys, issuer+sub for OIDC later
    QString displayName; // what an operator recognises: key name, user name, e-mail
    QString tenant; // tenant name the principal belongs to
    Role role = Role::Anonymous;
    QString authMethod; // "api-key", "oidc", "anonymous"
    QSet<QString> permissions;

    bool isAuthenticated() const
    {
        return authMethod != QLatin1String("anonymous") && !subject.isEmpty();
    }
    bool can(const QString &permission) const { return permissions.contains(permission); }
    QJsonObject toJson() const;
};

} // namespace mcpgate
