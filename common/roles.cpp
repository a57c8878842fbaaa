#include "roles.h"

#include <array>

namespace mcpgate {

namespace {
struct RoleEntry
{
    Role role;
    QLatin1StringView name;
};

constexpr std::array<RoleEntry, 6> kRoles {{
    {Role::SuperAdmin, QLatin1StringView("super_admin")},
    {Role::Admin, QLatin1StringView("admin")},
    {Role::Operator, QLatin1StringView("operator")},
    {Role::Developer, QLatin1StringView("developer")},
    {Role::Viewer, QLatin1StringView("viewer")},
    {Role::Anonymous, QLatin1StringView("anonymous")},
}};
} // namespace

QString roleName(Role role)
{
    for (const auto &entry : kRoles) {
        if (entry.role == role)
            return entry.name.toString();
    }
    return {};
}

std::optional<Role> roleFromName(const QString &name)
{
    for (const auto &entry : kRoles) {
        if (name == entry.name)
            return entry.role;
    }
    return std::nullopt;
}

QStringList allRoleNames()
{
    QStringList names;
    for (const auto &entry : kRoles)
        names << entry.name.toString();
    return names;
}

bool roleAtLeast(Role role, Role required)
{
    return static_cast<int>(role) <= static_cast<int>(required);
}

} // namespace mcpgate
