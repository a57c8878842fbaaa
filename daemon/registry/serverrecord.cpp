#include "registry/serverrecord.h"

#include "storage/sqltime.h"

#include <QJsonArray>

namespace mcpgate::registry {

QJsonObject ServerRecord::toJson() const
{
    QJsonObject credential {{QLatin1String("type"), credentialTypeName(credentialType)}};
    if (credentialType == CredentialType::Header)
        credential.insert(QLatin1String("name"), credentialHeader);
    if (credentialType != CredentialType::None)
        credential.insert(QLatin1String("configured"), credentialConfigured);

    return QJsonObject {
        {QLatin1String("id"), id},
        {QLatin1String("name"), name},
        {QLatin1String("displayName"), displayName},
        {QLatin1String("description"), description},
        {QLatin1String("transport"), transport.toJson()},
        {QLatin1String("credential"), credential},
        {QLatin1String("tags"), QJsonArray::fromStringList(tags)},
        {QLatin1String("enabled"), enabled},
        {QLatin1String("tenant"), tenantId},
        {QLatin1String("owner"), owner},
        {QLatin1String("createdAt"), storage::toDbTime(createdAt)},
        {QLatin1String("updatedAt"), storage::toDbTime(updatedAt)},
        {QLatin1String("revision"), revision},
    };
}

QJsonObject ServerRecord::toInputJson() const
{
    return QJsonObject {
        {QLatin1String("name"), name},
        {QLatin1String("displayName"), displayName},
        {QLatin1String("description"), description},
        {QLatin1String("transport"), transport.toInputJson()},
        {QLatin1String("tags"), QJsonArray::fromStringList(tags)},
        {QLatin1String("enabled"), enabled},
    };
}

QByteArray ServerRecord::etag() const
{
    return '"' + QByteArray::number(revision) + '"';
}

} // namespace mcpgate::registry
