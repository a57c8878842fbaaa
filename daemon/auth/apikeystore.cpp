#include "apikeystore.h"

#include "storage/database.h"
#include "storage/sqltime.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace mcpgate::auth {

namespace {
constexpr int kPrefixBytes = 6; // 12 hex characters
constexpr int kSecretBytes = 32; // 43 base64url characters

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        throw storage::StorageError("the system random generator failed");
    return bytes;
}

[[noreturn]] void fail(const QSqlQuery &query, const char *what)
{
    throw storage::StorageError(std::string(what) + ": " + query.lastError().text().toStdString());
}
} // namespace

ApiKeyStore::ApiKeyStore(storage::Database &database)
    : m_database(database)
{ }

bool ApiKeyStore::looksLikeKey(const QByteArray &presented)
{
    if (presented.size() != 5 + 2 * kPrefixBytes + 1 + 43 || !presented.startsWith("mcpg_")
        || presented.at(5 + 2 * kPrefixBytes) != '_')
        return false;
    for (qsizetype i = 5; i < 5 + 2 * kPrefixBytes; ++i) {
        const char c = presented.at(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    for (qsizetype i = 6 + 2 * kPrefixBytes; i < presented.size(); ++i) {
        const char c = presented.at(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'
              || c == '_'))
            return false;
    }
    return true;
}

QByteArray ApiKeyStore::hashOf(const QByteArray &key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
}

IssuedApiKey ApiKeyStore::create(const QString &tenant, const QString &name, Role role,
                                 const QString &createdBy, const QDateTime &expiresAt)
{
    IssuedApiKey issued;
    ApiKeyRecord &record = issued.record;
    record.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record.tenant = tenant;
    record.name = name;
    record.prefix = QString::fromLatin1(randomBytes(kPrefixBytes).toHex());
    record.role = role;
    record.createdBy = createdBy;
    record.createdAt = QDateTime::currentDateTimeUtc();
    record.expiresAt = expiresAt;
    const QByteArray secret
        = randomBytes(kSecretBytes)
              .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QByteArray key = "mcpg_" + record.prefix.toLatin1() + '_' + secret;
    issued.key = QString::fromLatin1(key);

    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral(
        "INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash, role, created_at, "
        "created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(record.id);
    query.addBindValue(tenant);
    query.addBindValue(name);
    query.addBindValue(record.prefix);
    query.addBindValue(QString::fromLatin1(hashOf(key)));
    query.addBindValue(roleName(role));
    query.addBindValue(storage::toDbTime(record.createdAt));
    query.addBindValue(createdBy);
    query.addBindValue(storage::toDbTimeOrNull(expiresAt));
    if (!query.exec())
        fail(query, "could not store the API key");
    return issued;
}

std::optional<ApiKeyRecord> ApiKeyStore::verify(const QByteArray &presented)
{
    if (!looksLikeKey(presented))
        return std::nullopt;
    const QString prefix = QString::fromLatin1(presented.mid(5, 2 * kPrefixBytes));
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral(
        "SELECT id, tenant_id, name, secret_hash, role, created_by, created_at, expires_at, "
        "revoked_at FROM api_keys WHERE prefix = ?"));
    query.addBindValue(prefix);
    if (!query.exec())
        fail(query, "could not look up the API key");
    if (!query.next())
        return std::nullopt;

    const QByteArray stored = query.value(3).toString().toLatin1();
    const QByteArray computed = hashOf(presented);
    if (stored.size() != computed.size()
        || CRYPTO_memcmp(stored.constData(), computed.constData(), stored.size()) != 0)
        return std::nullopt;

    ApiKeyRecord record;
    record.id = query.value(0).toString();
    record.tenant = query.value(1).toString();
    record.name = query.value(2).toString();
    record.prefix = prefix;
    const auto role = roleFromName(query.value(4).toString());
    if (!role)
        return std::nullopt;
    record.role = *role;
    record.createdBy = query.value(5).toString();
    record.createdAt = storage::fromDbTime(query.value(6).toString());
    record.expiresAt = storage::fromDbTime(query.value(7).toString());
    record.revokedAt = storage::fromDbTime(query.value(8).toString());
    if (record.revokedAt.isValid())
        return std::nullopt;
    if (record.expiresAt.isValid() && record.expiresAt <= QDateTime::currentDateTimeUtc())
        return std::nullopt;
    return record;
}

bool ApiKeyStore::revoke(const QString &tenant, const QString &id)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND tenant_id = "
                                 "? AND revoked_at IS NULL"));
    query.addBindValue(storage::currentDbTime());
    query.addBindValue(id);
    query.addBindValue(tenant);
    if (!query.exec())
        fail(query, "could not revoke the API key");
    return query.numRowsAffected() > 0;
}

int ApiKeyStore::count()
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM api_keys")) || !query.next())
        fail(query, "could not count API keys");
    return query.value(0).toInt();
}

} // namespace mcpgate::auth
