#include "registry/servercredential.h"

namespace mcpgate::registry {

QString credentialTypeName(CredentialType type)
{
    switch (type) {
    case CredentialType::None:
        return QStringLiteral("none");
    case CredentialType::Bearer:
        return QStringLiteral("bearer");
    case CredentialType::Header:
        return QStringLiteral("header");
    }
    return {};
}

std::optional<CredentialType> parseCredentialType(const QString &name)
{
    for (const auto type : {CredentialType::None, CredentialType::Bearer, CredentialType::Header}) {
        if (name == credentialTypeName(type))
            return type;
    }
    return std::nullopt;
}

} // namespace mcpgate::registry
