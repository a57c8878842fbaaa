#include "apikeyauthenticator.h"

#include "apikeystore.h"
#include "common/permissions.h"
#include "http/apierror.h"
#include "http/httprequest.h"

namespace mcpgate::auth {

namespace {
constexpr int kMaxCachedKeys = 10000;
}

ApiKeyAuthenticator::ApiKeyAuthenticator(ApiKeyStore &store, int cacheTtlMs)
    : m_store(store)
    , m_cacheTtlMs(cacheTtlMs)
{ }

Principal ApiKeyAuthenticator::authenticate(const http::HttpRequest &request)
{
    const QByteArray header = request.headers.value("Authorization");
    if (header.isEmpty())
        throw http::ApiError::unauthorized(
            QStringLiteral("Send an API key as 'Authorization: Bearer <key>'."));
    const qsizetype space = header.indexOf(' ');
    if (space < 0 || header.left(space).compare("Bearer", Qt::CaseInsensitive) != 0)
        throw http::ApiError::unauthorized(
            QStringLiteral("Only the Bearer authorization scheme is accepted."));
    const QByteArray token = header.mid(space + 1).trimmed();

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray hash = ApiKeyStore::hashOf(token);
    const auto cached = m_cache.constFind(hash);
    if (cached != m_cache.cend() && cached->expiresAtMs > now)
        return cached->principal;

    const auto record = m_store.verify(token);
    if (!record) {
        m_cache.remove(hash);
        throw http::ApiError::unauthorized(
            QStringLiteral("The API key is unknown, revoked or expired."));
    }

    Principal principal;
    principal.subject = QStringLiteral("key:") + record->prefix;
    principal.displayName = record->name;
    principal.tenant = record->tenant;
    principal.role = record->role;
    principal.authMethod = QStringLiteral("api-key");
    principal.permissions = permissions::defaultsFor(record->role);

    if (m_cache.size() >= kMaxCachedKeys)
        m_cache.clear();
    qint64 expires = now + m_cacheTtlMs;
    if (record->expiresAt.isValid())
        expires = std::min(expires, record->expiresAt.toMSecsSinceEpoch());
    m_cache.insert(hash, CachedPrincipal {principal, expires});
    return principal;
}

} // namespace mcpgate::auth
