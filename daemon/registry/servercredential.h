// The credential the gateway presents to an upstream server: none, a bearer token, or a secret
// value in a named header. The secret itself never leaves the daemon through the API.
#pragma once

#include <QString>

#include <optional>

namespace mcpgate::registry {

enum class CredentialType
{
    None,
    Bearer,
    Header
};

// "none", "bearer", "header".
QString credentialTypeName(CredentialType type);
std::optional<CredentialType> parseCredentialType(const QString &name);

// A credential as given in create or update input, secret included.
struct ServerCredential
{
    CredentialType type = CredentialType::None;
    QString headerName; // Header only
    QString secret; // the bearer token or the header value; empty for None
};

} // namespace mcpgate::registry
