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

namespace {
// A migrated database with the stores first start works on.
struct Fixture
{
    Fixture()
    {
        qputenv("MCPGATE_SECRET_KEY", "");
        database = storage::Database::open(dir.filePath(QStringLiteral("first.db")));
        storage::Migrator::migrate(*database);
        secrets = storage::SecretBox::load(dir.filePath(QStringLiteral("secret.key")));
        tenants = std::make_unique<auth::TenantStore>(*database);
        keys = std::make_unique<auth::ApiKeyStore>(*database);
        servers = std::make_unique<registry::ServerRepository>(*database, *secrets);
    }
    cli::FirstStart firstStart() { return cli::FirstStart(*tenants, *keys, *servers); }

    QTemporaryDir dir;
    std::unique_ptr<storage::Database> database;
    std::unique_ptr<storage::SecretBox> secrets;
    std::unique_ptr<auth::TenantStore> tenants;
    std::unique_ptr<auth::ApiKeyStore> keys;
    std::unique_ptr<registry::ServerRepository> servers;
};
} // namespace

class TestFirstStart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bootstrapsOnceWithDemo();
    void withoutDemo();
};

void TestFirstStart::bootstrapsOnceWithDemo()
{
    Fixture f;
    auth::TenantStore &tenants = *f.tenants;
    auth::ApiKeyStore &keys = *f.keys;
    registry::ServerRepository &servers = *f.servers;
    cli::FirstStart firstStart = f.firstStart();

    const auto result
        = firstStart.run(f.dir.path(), true, QStringLiteral("/usr/bin/mcpgate-demo-server"));
    QVERIFY(result.bootstrapped);
    QVERIFY(result.demoRegistered);
    QVERIFY(tenants.exists(QStringLiteral("default")));
    const auto record = keys.verify(result.adminKey.toLatin1());
    QVERIFY(record);
    QCOMPARE(record->role, Role::SuperAdmin);
    QFile file(result.adminKeyFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), result.adminKey.toLatin1() + '\n');
    QCOMPARE(QFileInfo(result.adminKeyFile).permissions()
                 & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
             QFileDevice::Permissions());
    const auto demo = servers.findByName(QStringLiteral("default"), QStringLiteral("demo"));
    QVERIFY(demo);
    QCOMPARE(demo->transport.stdio.command, QStringLiteral("/usr/bin/mcpgate-demo-server"));

    const auto again
        = firstStart.run(f.dir.path(), true, QStringLiteral("/usr/bin/mcpgate-demo-server"));
    QVERIFY(!again.bootstrapped);
    QVERIFY(again.adminKey.isEmpty());
    QCOMPARE(keys.count(), 1);
}

void TestFirstStart::withoutDemo()
{
    Fixture f;
    const auto result = f.firstStart().run(f.dir.path(), false, QString());
    QVERIFY(result.bootstrapped);
    QVERIFY(!result.demoRegistered);
    QVERIFY(!f.servers->findByName(QStringLiteral("default"), QStringLiteral("demo")));
}

QTEST_GUILESS_MAIN(TestFirstStart)
#include "tst_firststart.moc"
