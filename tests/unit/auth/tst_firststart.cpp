// First start against an empty database: tenant, initial admin key (0600 file), demo server;
// and nothing at all on later starts.
#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "cli/firststart.h"
#include "registry/serverrepository.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/secretbox.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace mcpgate;

class TestFirstStart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bootstrapsOnceWithDemo();
    void withoutDemo();
};

void TestFirstStart::bootstrapsOnceWithDemo()
{
    QTemporaryDir dir;
    qputenv("MCPGATE_SECRET_KEY", "");
    auto database = storage::Database::open(dir.filePath(QStringLiteral("first.db")));
    storage::Migrator::migrate(*database);
    auto secrets = storage::SecretBox::load(dir.filePath(QStringLiteral("secret.key")));
    auth::TenantStore tenants(*database);
    auth::ApiKeyStore keys(*database);
    registry::ServerRepository servers(*database, *secrets);
    cli::FirstStart firstStart(tenants, keys, servers);

    const auto result = firstStart.run(dir.path(), true, QStringLiteral("/usr/bin/mcpgate-demo-server"));
    QVERIFY(result.bootstrapped);
    QVERIFY(result.demoRegistered);
    QVERIFY(tenants.exists(QStringLiteral("default")));
    const auto record = keys.verify(result.adminKey.toLatin1());
    QVERIFY(record);
    QCOMPARE(record->role, Role::SuperAdmin);
    QFile file(result.adminKeyFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), result.adminKey.toLatin1() + '\n');
    QCOMPARE(QFileInfo(result.adminKeyFile).permissions() & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
             QFileDevice::Permissions());
    const auto demo = servers.findByName(QStringLiteral("default"), QStringLiteral("demo"));
    QVERIFY(demo);
    QCOMPARE(demo->transport.stdio.command, QStringLiteral("/usr/bin/mcpgate-demo-server"));

    const auto again = firstStart.run(dir.path(), true, QStringLiteral("/usr/bin/mcpgate-demo-server"));
    QVERIFY(!again.bootstrapped);
    QVERIFY(again.adminKey.isEmpty());
    QCOMPARE(keys.count(), 1);
}

void TestFirstStart::withoutDemo()
{
    QTemporaryDir dir;
    qputenv("MCPGATE_SECRET_KEY", "");
    auto database = storage::Database::open(dir.filePath(QStringLiteral("first.db")));
    storage::Migrator::migrate(*database);
    auto secrets = storage::SecretBox::load(dir.filePath(QStringLiteral("secret.key")));
    auth::TenantStore tenants(*database);
    auth::ApiKeyStore keys(*database);
    registry::ServerRepository servers(*database, *secrets);
    const auto result = cli::FirstStart(tenants, keys, servers).run(dir.path(), false, QString());
    QVERIFY(result.bootstrapped);
    QVERIFY(!result.demoRegistered);
    QVERIFY(!servers.findByName(QStringLiteral("default"), QStringLiteral("demo")));
}

QTEST_GUILESS_MAIN(TestFirstStart)
#include "tst_firststart.moc"
