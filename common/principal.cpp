#include "principal.h"

#include <QJsonArray>

#include <algorithm>

namespace mcpgate {

QJsonObject Principal::toJson() const
{
    QStringList sorted(permissions.cbegin(), permissions.cend());
    std::sort(sorted.begin(), sorted.end());
    return QJsonObject {
        {QStringLiteral("subject"), subject},
        {QStringLiteral("displayName"), displayName},
        {QStringLiteral("tenant"), tenant},
        {QStringLiteral("role"), roleName(role)},
        {QStringLiteral("authMethod"), authMethod},
        {QStringLiteral("permissions"), QJsonArray::fromStringList(sorted)},
    };
}

} // namespace mcpgate
