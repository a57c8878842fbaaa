#include "postgresserver.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sqltime.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using mcpgate::storage::Database;
using mcpgate::storage::Dialect;
using mcpgate::storage::Migrator;
using mcpgate::storage::StorageError;
using mcpgate::tests::PostgresServer;

// Every test runs on SQLite and on a real PostgreSQL 15.
class TestMigrator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void freshDatabase_data() { engines(); }
    void freshDatabase();
    void rerunIsHarmless_data() { engines(); }
    void rerunIsHarmless();
    void constraintsHold_data() { engines(); }
    void constraintsHold();
    void refusesNewerSchema_data() { engines(); }
    void refusesNewerSchema();
    void failedMigrationRollsBack_data() { engines(); }
    void failedMigrationRollsBack();
    void concurrentMigrators_data() { engines(); }
    void concurrentMigrators();

private:
    void engines();
    // A fresh, empty database of the current row's engine; nullptr after QSKIP.
    std::unique_ptr<Database> openFresh(QString *url = nullptr);
    static bool exec(Database &db, const QString &sql, QString *error = nullptr);
    static QStringList column(Database &db, const QString &sql);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PostgresServer> m_postgres;
    QString m_postgresError;
    int m_databases = 0;
};

void TestMigrator::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    if (PostgresServer::isInstalled()) {
        m_postgres = std::make_unique<PostgresServer>();
        QVERIFY2(m_postgres->start(), qPrintable(m_postgres->errorString()));
    }
}

void TestMigrator::cleanupTestCase()
{
    m_postgres.reset();
}

void TestMigrator::engines()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

std::unique_ptr<Database> TestMigrator::openFresh(QString *url)
{
    QFETCH(bool, postgres);
    const QString name = QStringLiteral("db%1").arg(++m_databases);
    QString target;
    if (postgres) {
        if (!m_postgres)
            return nullptr;
        if (!m_postgres->createDatabase(name))
            qFatal("createdb failed: %s", qPrintable(m_postgres->errorString()));
        target = m_postgres->url(name);
    } else {
        target = QStringLiteral("sqlite:") + m_dir->filePath(name + QStringLiteral(".db"));
    }
    if (url)
        *url = target;
    return Database::open(target);
}

#define FRESH_DATABASE(db, ...)                                                                    \
    auto db = openFresh(__VA_ARGS__);                                                              \
    if (!db)                                                                                       \
        QSKIP("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)");

bool TestMigrator::exec(Database &db, const QString &sql, QString *error)
{
    QSqlQuery query(db.connection());
    const bool ok = query.exec(sql);
    if (error)
        *error = query.lastError().text();
    return ok;
}

QStringList TestMigrator::column(Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    if (!query.exec(sql))
        return {QStringLiteral("error: ") + query.lastError().text()};
    QStringList values;
    while (query.next())
        values.append(query.value(0).toString());
    return values;
}

void TestMigrator::freshDatabase()
{
    FRESH_DATABASE(db)
    QCOMPARE(Migrator::currentVersion(*db), 0);
    QVERIFY(Migrator::latestVersion() >= 1);
    Migrator::migrate(*db);
    QCOMPARE(Migrator::currentVersion(*db), Migrator::latestVersion());

    const QStringList tables = db->connection().tables();
    for (const char *table : {"schema_migrations", "tenants", "api_keys", "servers", "server_tags"})
        QVERIFY2(tables.contains(QLatin1String(table)), table);

    const QStringList indexes = db->dialect() == Dialect::Sqlite
        ? column(*db, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'index'"))
        : column(*db,
                 QStringLiteral("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"));
    for (const char *index :
         {"servers_tenant_created", "servers_tenant_updated", "server_tags_tag"})
        QVERIFY2(indexes.contains(QLatin1String(index)),
                 qPrintable(indexes.join(QLatin1Char(' '))));

    const QStringList applied
        = column(*db, QStringLiteral("SELECT applied_at FROM schema_migrations ORDER BY version"));
    QCOMPARE(applied.size(), Migrator::latestVersion());
    QVERIFY2(mcpgate::storage::fromDbTime(applied.first()).isValid(), qPrintable(applied.first()));
}

void TestMigrator::rerunIsHarmless()
{
    FRESH_DATABASE(db)
    Migrator::migrate(*db);
    QVERIFY(exec(*db,
                 QStringLiteral("INSERT INTO tenants (id, display_name, created_at) VALUES "
                                "('default', 'Default', '2026-01-01T00:00:00.000Z')")));
    Migrator::migrate(*db);
    Migrator::migrate(*db);
    QCOMPARE(column(*db, QStringLiteral("SELECT COUNT(*) FROM schema_migrations")),
             QStringList {QString::number(Migrator::latestVersion())});
    QCOMPARE(column(*db, QStringLiteral("SELECT id FROM tenants")),
             QStringList {QStringLiteral("default")});
}

void TestMigrator::constraintsHold()
{
    FRESH_DATABASE(db)
    Migrator::migrate(*db);
    const QString t = QStringLiteral("'2026-11-29T08:00:00.000Z'");
    const QString enabled
        = db->dialect() == Dialect::Sqlite ? QStringLiteral("1") : QStringLiteral("TRUE");
    const auto insertServer = [&](const QString &id, const QString &tenant, const QString &name) {
        QString error;
        const bool ok = exec(
            *db,
            QStringLiteral("INSERT INTO servers (id, tenant_id, name, display_name, transport, "
                           "transport_config, enabled, owner, created_at, updated_at) VALUES "
                           "('%1', '%2', '%3', 'Display', 'stdio', '{}', %4, 'alice', %5, %5)")
                .arg(id, tenant, name, enabled, t),
            &error);
        return ok;
    };
    QVERIFY(
        exec(*db, QStringLiteral("INSERT INTO tenants VALUES ('default', 'Default', %1)").arg(t)));

    QVERIFY2(!insertServer(QStringLiteral("s0"), QStringLiteral("nobody"), QStringLiteral("x")),
             "foreign key to tenants not enforced");
    QVERIFY(
        insertServer(QStringLiteral("s1"), QStringLiteral("default"), QStringLiteral("github")));
    QVERIFY2(
        !insertServer(QStringLiteral("s2"), QStringLiteral("default"), QStringLiteral("github")),
        "UNIQUE(tenant_id, name) not enforced");

    QCOMPARE(column(*db,
                    QStringLiteral("SELECT description || '|' || credential_type || '|' || "
                                   "CAST(revision AS TEXT) FROM servers WHERE id = 's1'")),
             QStringList {QStringLiteral("|none|1")});

    QVERIFY(exec(*db, QStringLiteral("INSERT INTO server_tags VALUES ('s1', 'git')")));
    QVERIFY(!exec(*db, QStringLiteral("INSERT INTO server_tags VALUES ('s1', 'git')")));
    QVERIFY(!exec(*db, QStringLiteral("INSERT INTO server_tags VALUES ('missing', 'git')")));
    QVERIFY(exec(*db, QStringLiteral("DELETE FROM servers WHERE id = 's1'")));
    QCOMPARE(column(*db, QStringLiteral("SELECT COUNT(*) FROM server_tags")),
             QStringList {QStringLiteral("0")});

    const QString key
        = QStringLiteral("INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash, role, "
                         "created_at, created_by) VALUES ('%1', 'default', 'ci', 'mcpg_abc', "
                         "'h', 'viewer', %2, 'alice')");
    QVERIFY(exec(*db, key.arg(QStringLiteral("k1"), t)));
    QVERIFY2(!exec(*db, key.arg(QStringLiteral("k2"), t)), "api_keys.prefix not unique");

    // Binary secrets round-trip unchanged.
    QSqlQuery blob(db->connection());
    QVERIFY(blob.prepare(
        QStringLiteral("INSERT INTO servers (id, tenant_id, name, display_name, transport, "
                       "transport_config, credential_secret, enabled, owner, created_at, "
                       "updated_at) VALUES ('s3', 'default', 'b', 'B', 'http', '{}', ?, ?, "
                       "'alice', ?, ?)")));
    const QByteArray secret("\x00\x01\xfe\xff secret", 11);
    blob.addBindValue(secret);
    blob.addBindValue(false);
    blob.addBindValue(mcpgate::storage::currentDbTime());
    blob.addBindValue(mcpgate::storage::currentDbTime());
    QVERIFY2(blob.exec(), qPrintable(blob.lastError().text()));
    QSqlQuery read(db->connection());
    QVERIFY(read.exec(
        QStringLiteral("SELECT credential_secret, enabled FROM servers WHERE id = 's3'")));
    QVERIFY(read.next());
    QCOMPARE(read.value(0).toByteArray(), secret);
    QCOMPARE(read.value(1).toBool(), false);
}

void TestMigrator::refusesNewerSchema()
{
    FRESH_DATABASE(db)
    Migrator::migrate(*db);
    QVERIFY(exec(
        *db,
        QStringLiteral("INSERT INTO schema_migrations VALUES (7, '2030-01-01T00:00:00.000Z')")));
    QCOMPARE(Migrator::currentVersion(*db), 7);
    try {
        Migrator::migrate(*db);
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        QCOMPARE(QString::fromStdString(error.what()),
                 QStringLiteral("database schema version 7 is newer than this mcpgated supports "
                                "(%1); upgrade mcpgated or point it at another database")
                     .arg(Migrator::latestVersion()));
    }
}

void TestMigrator::failedMigrationRollsBack()
{
    FRESH_DATABASE(db)
    // A table in the way makes migration 1 fail part-way through.
    QVERIFY(exec(*db, QStringLiteral("CREATE TABLE servers (x INTEGER)")));
    try {
        Migrator::migrate(*db);
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        QVERIFY2(
            QString::fromStdString(error.what()).startsWith(QLatin1String("schema migration 1 (")),
            error.what());
    }
    QCOMPARE(Migrator::currentVersion(*db), 0);
    const QStringList tables = db->connection().tables();
    QVERIFY2(!tables.contains(QLatin1String("tenants")), qPrintable(tables.join(QLatin1Char(' '))));
    QVERIFY(!tables.contains(QLatin1String("api_keys")));
    // The connection is usable again: no transaction was left open.
    QVERIFY(exec(*db, QStringLiteral("DROP TABLE servers")));
    Migrator::migrate(*db);
    QCOMPARE(Migrator::currentVersion(*db), Migrator::latestVersion());
}

void TestMigrator::concurrentMigrators()
{
    QString url;
    FRESH_DATABASE(first, &url)
    auto second = Database::open(url);
    QString errors[2];
    const auto run = [](Database *db, QString *error) {
        return QThread::create([db, error] {
            try {
                Migrator::migrate(*db);
            } catch (const StorageError &e) {
                *error = QString::fromStdString(e.what());
            }
        });
    };
    std::unique_ptr<QThread> a(run(first.get(), &errors[0]));
    std::unique_ptr<QThread> b(run(second.get(), &errors[1]));
    a->start();
    b->start();
    QVERIFY(a->wait(30000));
    QVERIFY(b->wait(30000));
    QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
    QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
    QCOMPARE(column(*first, QStringLiteral("SELECT COUNT(*) FROM schema_migrations")),
             QStringList {QString::number(Migrator::latestVersion())});
}

QTEST_GUILESS_MAIN(TestMigrator)
#include "tst_migrator.moc"
