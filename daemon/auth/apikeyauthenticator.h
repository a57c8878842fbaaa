// Authenticates requests that carry "Authorization: Bearer <API key>". Verified keys are cached
// briefly so the hot path does not query the database on every call.
#pragma once

#include "http/dispatcher.h"

#include <QDateTime>
#include <QHash>

namespace mcpgate::auth {

class ApiKeyStore;

class ApiKeyAuthenticator final : public http::RequestAuthenticator
{
public:
    // A revoked key stops working within `cacheTtlMs`.
    explicit ApiKeyAuthenticator(ApiKeyStore &store, int cacheTtlMs = 10000);

    Principal authenticate(const http::HttpRequest &request) override;
    void clearCache() { m_cache.clear(); }

private:
    struct CachedPrincipal
    {
        Principal principal;
        qint64 expiresAtMs = 0;
    };

    ApiKeyStore &m_store;
    int m_cacheTtlMs;
    QHash<QByteArray, CachedPrincipal> m_cache; // keyed by the key's hash
};

} // namespace mcpgate::auth
