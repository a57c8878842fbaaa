// API keys: issued once, stored as hashes, refused when malformed, unknown, revoked or expired.
#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace mcpgate;

class TestApiKeyStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void issuedKeyVerifies();
    void onlyTheHashIsStored();
    void malformedKeysAreRefused_data();
    void malformedKeysAreRefused();
    void wrongSecretWithKnownPrefixIsRefused();
    void revokedKeyIsRefused();
    void expiredKeyIsRefused();
    void unknownTenantIsAnError();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::Database> m_database;
    std::unique_ptr<auth::ApiKeyStore> m_keys;
};

void TestApiKeyStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_database = storage::Database::open(m_dir->filePath(QStringLiteral("keys.db")));
    storage::Migrator::migrate(*m_database);
    auth::TenantStore(*m_database).ensure(QStringLiteral("acme"), QStringLiteral("Acme"));
    m_keys = std::make_unique<auth::ApiKeyStore>(*m_database);
}

void TestApiKeyStore::cleanup()
{
    m_keys.reset();
    m_database.reset();
    m_dir.reset();
}

void TestApiKeyStore::issuedKeyVerifies()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("ci"), Role::Operator,
                                       QStringLiteral("test"));
    QVERIFY(auth::ApiKeyStore::looksLikeKey(issued.key.toLatin1()));
    QVERIFY(issued.key.contains(issued.record.prefix));
    const auto verified = m_keys->verify(issued.key.toLatin1());
    QVERIFY(verified);
    QCOMPARE(verified->id, issued.record.id);
    QCOMPARE(verified->tenant, QStringLiteral("acme"));
    QCOMPARE(verified->role, Role::Operator);
    QCOMPARE(verified->name, QStringLiteral("ci"));
    QCOMPARE(m_keys->count(), 1);

    const auto other = m_keys->create(QStringLiteral("acme"), QStringLiteral("ci"), Role::Operator,
                                      QStringLiteral("test"));
    QVERIFY(other.key != issued.key);
    QVERIFY(other.record.prefix != issued.record.prefix);
}

void TestApiKeyStore::onlyTheHashIsStored()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("ci"), Role::Viewer,
                                       QStringLiteral("test"));
    const QByteArray secret = issued.key.toLatin1().mid(18);
    QSqlQuery query(m_database->connection());
    QVERIFY(query.exec(QStringLiteral("SELECT * FROM api_keys")));
    QVERIFY(query.next());
    for (int column = 0; column < query.record().count(); ++column)
        QVERIFY(!query.value(column).toString().toLatin1().contains(secret));
    QCOMPARE(query.value(QStringLiteral("secret_hash")).toString().toLatin1(),
             auth::ApiKeyStore::hashOf(issued.key.toLatin1()));
}

void TestApiKeyStore::malformedKeysAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("no prefix marker") << QByteArray("abcdef");
    QTest::newRow("short secret") << QByteArray("mcpg_0123456789ab_short");
    QTest::newRow("upper-case prefix") << QByteArray("mcpg_0123456789AB_") + QByteArray(43, 'a');
    QTest::newRow("bad secret character")
        << QByteArray("mcpg_0123456789ab_") + QByteArray(42, 'a') + '!';
    QTest::newRow("sql in prefix") << QByteArray("mcpg_' OR 1=1 --_") + QByteArray(43, 'a');
}

void TestApiKeyStore::malformedKeysAreRefused()
{
    QFETCH(QByteArray, token);
    QVERIFY(!auth::ApiKeyStore::looksLikeKey(token));
    QVERIFY(!m_keys->verify(token));
}

void TestApiKeyStore::wrongSecretWithKnownPrefixIsRefused()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("ci"), Role::Admin,
                                       QStringLiteral("test"));
    QByteArray forged = issued.key.toLatin1();
    forged[forged.size() - 1] = forged.at(forged.size() - 1) == 'A' ? 'B' : 'A';
    QVERIFY(auth::ApiKeyStore::looksLikeKey(forged));
    QVERIFY(!m_keys->verify(forged));
}

void TestApiKeyStore::revokedKeyIsRefused()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("ci"), Role::Admin,
                                       QStringLiteral("test"));
    QVERIFY(!m_keys->revoke(QStringLiteral("other-tenant"), issued.record.id));
    QVERIFY(m_keys->verify(issued.key.toLatin1()));
    QVERIFY(m_keys->revoke(QStringLiteral("acme"), issued.record.id));
    QVERIFY(!m_keys->verify(issued.key.toLatin1()));
    QVERIFY(!m_keys->revoke(QStringLiteral("acme"), issued.record.id));
}

void TestApiKeyStore::expiredKeyIsRefused()
{
    const auto past
        = m_keys->create(QStringLiteral("acme"), QStringLiteral("old"), Role::Viewer,
                         QStringLiteral("test"), QDateTime::currentDateTimeUtc().addSecs(-1));
    QVERIFY(!m_keys->verify(past.key.toLatin1()));
    const auto future
        = m_keys->create(QStringLiteral("acme"), QStringLiteral("new"), Role::Viewer,
                         QStringLiteral("test"), QDateTime::currentDateTimeUtc().addDays(1));
    QVERIFY(m_keys->verify(future.key.toLatin1()));
}

void TestApiKeyStore::unknownTenantIsAnError()
{
    QVERIFY_THROWS_EXCEPTION(storage::StorageError,
                             m_keys->create(QStringLiteral("nobody"), QStringLiteral("x"),
                                            Role::Viewer, QStringLiteral("test")));
}

QTEST_GUILESS_MAIN(TestApiKeyStore)
#include "tst_apikeystore.moc"
