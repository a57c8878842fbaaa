// Names of the permissions that routes declare and roles grant. A permission is a dotted
// "area.action" string so that the policy layer can grow without a schema change.
#pragma once

#include "roles.h"

#include <QSet>
#include <QString>

namespace mcpgate::permissions {

inline constexpr auto ServersRead = "servers.read";
inline constexpr auto ServersWrite = "servers.write";
inline constexpr auto ServersDelete = "servers.delete";
inline constexpr auto KeysManage = "keys.manage";
inline constexpr auto TenantsManage = "tenants.manage";
inline constexpr auto SelfRead = "self.read";

// The permissions a role holds unless the policy store says otherwise.
QSet<QString> defaultsFor(Role role);

// Every permission name the product knows, for validation and documentation.
QStringList all();

} // namespace mcpgate::permissions
