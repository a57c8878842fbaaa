// Bearer API key authentication: the principal it yields, the 401s it throws, and its cache.
#include "auth/apikeyauthenticator.h"
#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "common/permissions.h"
#include "http/apierror.h"
#include "http/httprequest.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mcpgate;

namespace {
http::HttpRequest withAuthorization(const QByteArray &value)
{
    http::HttpRequest request;
    if (!value.isNull())
        request.headers.add("Authorization", value);
    return request;
}
} // namespace

class TestApiKeyAuthenticator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void validKeyYieldsPrincipal();
    void refusals_data();
    void refusals();
    void revocationTakesEffectAfterTheCache();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<storage::Database> m_database;
    std::unique_ptr<auth::ApiKeyStore> m_keys;
};

void TestApiKeyAuthenticator::initTestCase()
{
    m_database = storage::Database::open(m_dir.filePath(QStringLiteral("auth.db")));
    storage::Migrator::migrate(*m_database);
    auth::TenantStore(*m_database).ensure(QStringLiteral("acme"), QStringLiteral("Acme"));
    m_keys = std::make_unique<auth::ApiKeyStore>(*m_database);
}

void TestApiKeyAuthenticator::validKeyYieldsPrincipal()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("deploy"),
                                       Role::Developer, QStringLiteral("test"));
    auth::ApiKeyAuthenticator authenticator(*m_keys);
    for (const QByteArray &scheme : {QByteArray("Bearer "), QByteArray("bearer ")}) {
        const Principal principal
            = authenticator.authenticate(withAuthorization(scheme + issued.key.toLatin1()));
        QCOMPARE(principal.subject, QStringLiteral("key:") + issued.record.prefix);
        QCOMPARE(principal.displayName, QStringLiteral("deploy"));
        QCOMPARE(principal.tenant, QStringLiteral("acme"));
        QCOMPARE(principal.role, Role::Developer);
        QCOMPARE(principal.authMethod, QStringLiteral("api-key"));
        QVERIFY(principal.isAuthenticated());
        QCOMPARE(principal.permissions, permissions::defaultsFor(Role::Developer));
    }
}

void TestApiKeyAuthenticator::refusals_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("basic scheme") << QByteArray("Basic dXNlcjpwYXNz");
    QTest::newRow("no token") << QByteArray("Bearer");
    QTest::newRow("unknown key") << QByteArray("Bearer mcpg_0123456789ab_") + QByteArray(43, 'a');
    QTest::newRow("garbage") << QByteArray("Bearer \x01\x02");
}

void TestApiKeyAuthenticator::refusals()
{
    QFETCH(QByteArray, authorization);
    auth::ApiKeyAuthenticator authenticator(*m_keys);
    try {
        authenticator.authenticate(
            withAuthorization(authorization.isEmpty() ? QByteArray() : authorization));
        QFAIL("a request without a valid key was authenticated");
    } catch (const http::ApiError &error) {
        QCOMPARE(error.status(), 401);
        QCOMPARE(error.headers().value("WWW-Authenticate"), QByteArray("Bearer realm=\"mcpgate\""));
    }
}

void TestApiKeyAuthenticator::revocationTakesEffectAfterTheCache()
{
    const auto issued = m_keys->create(QStringLiteral("acme"), QStringLiteral("short"),
                                       Role::Viewer, QStringLiteral("test"));
    auth::ApiKeyAuthenticator authenticator(*m_keys, 200);
    const auto request = withAuthorization("Bearer " + issued.key.toLatin1());
    authenticator.authenticate(request);
    QVERIFY(m_keys->revoke(QStringLiteral("acme"), issued.record.id));
    authenticator.authenticate(request); // still cached
    QTest::qWait(250);
    QVERIFY_THROWS_EXCEPTION(http::ApiError, authenticator.authenticate(request));
}

QTEST_GUILESS_MAIN(TestApiKeyAuthenticator)
#include "tst_apikeyauthenticator.moc"
