#include "permissions.h"

namespace mcpgate::permissions {

QSet<QString> defaultsFor(Role role)
{
    QSet<QString> granted;
    const auto grant = [&granted](const char *name) { granted.insert(QString::fromLatin1(name)); };
    switch (role) {
    case Role::SuperAdmin:
        grant(TenantsManage);
        [[fallthrough]];
    case Role::Admin:
        grant(KeysManage);
        grant(ServersDelete);
        [[fallthrough]];
    case Role::Operator:
        grant(ServersWrite);
        [[fallthrough]];
    case Role::Developer:
    case Role::Viewer:
        grant(ServersRead);
        grant(SelfRead);
        break;
    case Role::Anonymous:
        break;
    }
    return granted;
}

QStringList all()
{
    return {QString::fromLatin1(ServersRead),   QString::fromLatin1(ServersWrite),
            QString::fromLatin1(ServersDelete), QString::fromLatin1(KeysManage),
            QString::fromLatin1(TenantsManage), QString::fromLatin1(SelfRead)};
}

} // namespace mcpgate::permissions
