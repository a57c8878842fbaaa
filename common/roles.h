// The six-tier role hierarchy and the permissions each role holds by default.
// Shared by the daemon (which enforces them) and the clients (which show them).
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace mcpgate {

// Ordered from most to least privileged; a lower value outranks a higher one.
enum class Role
{
    SuperAdmin = 0,
    Admin = 1,
    Operator = 2,
    Developer = 3,
    Viewer = 4,
    Anonymous = 5,
};

QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);
QStringList allRoleNames();

// True when `role` is at least as privileged as `required`.
bool roleAtLeast(Role role, Role required);

} // namespace mcpgate
