// ServerRepository on a real database, migrated by the real Migrator: SQLite by default, and
// PostgreSQL when MCPGATE_TEST_DATABASE=postgres (a throwaway cluster; skipped when PostgreSQL
// is not installed).
#include "postgresserver.h"
#include "registry/registryerror.h"
#include "registry/serverdraft.h"
#include "registry/serverquery.h"
#include "registry/serverrepository.h"
#include "registry/servervalidator.h"
#include "registry/validationerror.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/secretbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <memory>

using namespace mcpgate::registry;
using mcpgate::storage::Database;
using mcpgate::storage::Migrator;
using mcpgate::storage::SecretBox;
using mcpgate::storage::SecretBoxError;
using mcpgate::tests::PostgresServer;

using Kind = RegistryError::Kind;

namespace {

const QString tenant = QStringLiteral("default");
const QString otherTenant = QStringLiteral("acme");
const QString owner = QStringLiteral("key:ab12cd34");

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// A validated draft: `json` merged over a minimal stdio server called `name`.
ServerDraft draft(const QString &name, const QByteArray &json = "{}")
{
    QJsonObject input = object(json);
    input.insert(QLatin1String("name"), name);
    if (!input.contains(QLatin1String("transport")))
        input.insert(QLatin1String("transport"),
                     object(R"({"type": "stdio", "command": "/bin/x"})"));
    return ServerValidator::validateCreate(input);
}

// The RegistryError kind thrown by `body`, or std::nullopt.
template<typename Body> std::optional<Kind> registryError(Body body)
{
    try {
        body();
    } catch (const RegistryError &error) {
        return error.kind();
    }
    return std::nullopt;
}

template<typename Body> QStringList validationFields(Body body)
{
    try {
        body();
    } catch (const ValidationError &error) {
        QStringList fields;
        for (const QJsonValue &entry : error.fieldErrors())
            fields.append(entry.toObject().value(QLatin1String("field")).toString());
        return fields;
    }
    return {};
}

QStringList names(const QList<ServerRecord> &records)
{
    QStringList result;
    for (const ServerRecord &record : records)
        result.append(record.name);
    return result;
}

} // namespace

class TestServerRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void createsAndReads();
    void findsByName();
    void keepsTenantsApart();
    void refusesDuplicateNames();
    void detectsDuplicateNamesUnderConcurrency();
    void mapsTheUniqueConstraintWhenTheCheckIsRaced();
    void updatesFieldsAndTags();
    void updateKeepsReplacesOrClearsTheCredential();
    void refusesStaleRevisions();
    void reportsMissingServers();
    void removesServerAndTags();
    void sealsCredentialsInTheDatabase();
    void paginatesEverySortOrder_data();
    void paginatesEverySortOrder();
    void paginationSurvivesInsertsBeforeTheCursor();
    void filters_data();
    void filters();
    void filtersWithPagination();
    void refusesForeignCursors();

private:
    QSqlQuery sql(const QString &statement, const QVariantList &binds = {});
    ServerRecord createAt(const QString &name, const QString &createdAt, const QString &updatedAt);
    void createFilterFixture();
    void addTenants();

    bool m_postgres = false;
    std::unique_ptr<PostgresServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SecretBox> m_box;
    std::unique_ptr<ServerRepository> m_repo;
};

QSqlQuery TestServerRepository::sql(const QString &statement, const QVariantList &binds)
{
    QSqlQuery query(m_db->connection());
    if (!query.prepare(statement))
        qFatal("cannot prepare %s: %s", qPrintable(statement),
               qPrintable(query.lastError().text()));
    for (const QVariant &value : binds)
        query.addBindValue(value);
    if (!query.exec())
        qFatal("cannot run %s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
    return query;
}

void TestServerRepository::initTestCase()
{
    // Every SQLite test migrates a fresh database; the migrator's messages are noise here.
    QLoggingCategory::setFilterRules(QStringLiteral("mcpgate.storage.info=false"));
    m_postgres = qEnvironmentVariable("MCPGATE_TEST_DATABASE") == QLatin1String("postgres");
    if (!m_postgres)
        return;
    if (!PostgresServer::isInstalled())
        QSKIP("PostgreSQL 15 is not installed");
    m_server = std::make_unique<PostgresServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    // One database for all tests (creating one per test costs seconds each); init() empties it.
    QVERIFY2(m_server->createDatabase(QStringLiteral("registry")),
             qPrintable(m_server->errorString()));
    m_db = Database::open(m_server->url(QStringLiteral("registry")));
    Migrator::migrate(*m_db);
    addTenants();
}

void TestServerRepository::init()
{
    if (m_postgres) {
        sql(QStringLiteral("DELETE FROM server_tags"));
        sql(QStringLiteral("DELETE FROM servers"));
    } else {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_db = Database::open(QStringLiteral("sqlite:")
                              + m_dir->filePath(QStringLiteral("mcpgate.db")));
        Migrator::migrate(*m_db);
        addTenants();
    }
    m_box = std::make_unique<SecretBox>(QByteArray(SecretBox::keySize, 's'));
    m_repo = std::make_unique<ServerRepository>(*m_db, *m_box);
}

void TestServerRepository::cleanup()
{
    m_repo.reset();
    m_box.reset();
    if (!m_postgres) {
        m_db.reset();
        m_dir.reset();
    }
}

void TestServerRepository::cleanupTestCase()
{
    m_db.reset();
    m_server.reset();
}

void TestServerRepository::addTenants()
{
    for (const QString &id : {tenant, otherTenant})
        sql(QStringLiteral("INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)"),
            {id, id, QStringLiteral("2026-01-01T00:00:00.000Z")});
}

ServerRecord TestServerRepository::createAt(const QString &name, const QString &createdAt,
                                            const QString &updatedAt)
{
    ServerRecord record = m_repo->create(tenant, owner, draft(name));
    sql(QStringLiteral("UPDATE servers SET created_at = ?, updated_at = ? WHERE id = ?"),
        {createdAt, updatedAt, record.id});
    return *m_repo->get(tenant, record.id);
}

void TestServerRepository::createsAndReads()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const ServerRecord created = m_repo->create(tenant, owner, draft(QStringLiteral("github"), R"({
        "displayName": "GitHub", "description": "Issues",
        "transport": {"type": "stdio", "command": "/usr/bin/gh", "args": ["mcp"], "env": {"K": "V"}, "cwd": "/tmp"},
        "credential": {"type": "bearer", "token": "ghp_secret"},
        "tags": ["zeta", "alpha"], "enabled": false})"));
    QVERIFY(!QUuid::fromString(created.id).isNull());
    QCOMPARE(created.tenantId, tenant);
    QCOMPARE(created.name, QStringLiteral("github"));
    QCOMPARE(created.displayName, QStringLiteral("GitHub"));
    QCOMPARE(created.description, QStringLiteral("Issues"));
    QCOMPARE(created.transport.type, TransportType::Stdio);
    QCOMPARE(created.transport.stdio.command, QStringLiteral("/usr/bin/gh"));
    QCOMPARE(created.transport.stdio.args, QStringList {QStringLiteral("mcp")});
    QCOMPARE(created.transport.stdio.env.value(QStringLiteral("K")), QStringLiteral("V"));
    QCOMPARE(created.transport.stdio.cwd, QStringLiteral("/tmp"));
    QCOMPARE(created.credentialType, CredentialType::Bearer);
    QVERIFY(created.credentialConfigured);
    QCOMPARE(created.tags, (QStringList {QStringLiteral("alpha"), QStringLiteral("zeta")}));
    QCOMPARE(created.enabled, false);
    QCOMPARE(created.owner, owner);
    QCOMPARE(created.revision, 1);
    QVERIFY(created.createdAt.isValid());
    QVERIFY(created.createdAt >= before);
    QVERIFY(created.createdAt <= QDateTime::currentDateTimeUtc());
    QCOMPARE(created.updatedAt, created.createdAt);
    QCOMPARE(created.etag(), QByteArray("\"1\""));

    const auto fetched = m_repo->get(tenant, created.id);
    QVERIFY(fetched);
    QCOMPARE(fetched->toJson(), created.toJson());
    QVERIFY(!QJsonDocument(created.toJson()).toJson().contains("ghp_secret"));
    QCOMPARE(m_repo->credentialSecret(tenant, created.id), QStringLiteral("ghp_secret"));

    const ServerRecord http = m_repo->create(tenant, owner, draft(QStringLiteral("web"), R"({
        "transport": {"type": "streamable-http", "url": "https://mcp.example.com/mcp", "headers": {"X-Foo": "bar"}},
        "credential": {"type": "header", "name": "X-Api-Key", "value": "k-1"}})"));
    QCOMPARE(http.transport.type, TransportType::StreamableHttp);
    QCOMPARE(http.transport.http.url, QUrl(QStringLiteral("https://mcp.example.com/mcp")));
    QCOMPARE(http.transport.http.headers.value(QStringLiteral("X-Foo")), QStringLiteral("bar"));
    QCOMPARE(http.credentialType, CredentialType::Header);
    QCOMPARE(http.credentialHeader, QStringLiteral("X-Api-Key"));
    QCOMPARE(http.enabled, true);
    QVERIFY(http.tags.isEmpty());
    QCOMPARE(m_repo->credentialSecret(tenant, http.id), QStringLiteral("k-1"));

    const ServerRecord plain = m_repo->create(tenant, owner, draft(QStringLiteral("plain")));
    QCOMPARE(plain.credentialType, CredentialType::None);
    QVERIFY(!plain.credentialConfigured);
    QCOMPARE(m_repo->credentialSecret(tenant, plain.id), QString());
    QVERIFY(plain.id != created.id && plain.id != http.id);

    // A draft built in code, with null strings, stores empty text in the NOT NULL columns.
    ServerDraft bare;
    bare.name = QStringLiteral("bare");
    bare.transport.stdio.command = QStringLiteral("/bin/x");
    const ServerRecord stored = m_repo->create(tenant, owner, bare);
    QVERIFY(!stored.description.isNull());
    QCOMPARE(stored.description, QString());
    QCOMPARE(m_repo->update(tenant, stored.id, bare).revision, 2);
}

void TestServerRepository::findsByName()
{
    const ServerRecord created = m_repo->create(tenant, owner, draft(QStringLiteral("github")));
    const auto found = m_repo->findByName(tenant, QStringLiteral("github"));
    QVERIFY(found);
    QCOMPARE(found->id, created.id);
    QVERIFY(!m_repo->findByName(tenant, QStringLiteral("gitlab")));
    QVERIFY(!m_repo->findByName(tenant, QStringLiteral("GITHUB")));
}

void TestServerRepository::keepsTenantsApart()
{
    const ServerRecord mine = m_repo->create(
        tenant, owner,
        draft(QStringLiteral("github"), R"({"credential": {"type": "bearer", "token": "t"}})"));
    // The same name is free in another tenant.
    const ServerRecord theirs = m_repo->create(otherTenant, owner, draft(QStringLiteral("github")));
    QCOMPARE(theirs.tenantId, otherTenant);

    QVERIFY(!m_repo->get(otherTenant, mine.id));
    QCOMPARE(m_repo->findByName(otherTenant, QStringLiteral("github"))->id, theirs.id);
    QCOMPARE(
        registryError([&] { m_repo->update(otherTenant, mine.id, draft(QStringLiteral("x"))); }),
        Kind::NotFound);
    QCOMPARE(registryError([&] { m_repo->credentialSecret(otherTenant, mine.id); }),
             Kind::NotFound);
    QVERIFY(!m_repo->remove(otherTenant, mine.id));
    QVERIFY(m_repo->get(tenant, mine.id)); // untouched

    const ServerPage page = m_repo->list(otherTenant, ServerQuery {});
    QCOMPARE(page.items.size(), 1);
    QCOMPARE(page.items.constFirst().id, theirs.id);
    QVERIFY(m_repo->list(QStringLiteral("nobody"), ServerQuery {}).items.isEmpty());
}

void TestServerRepository::refusesDuplicateNames()
{
    const ServerRecord first = m_repo->create(tenant, owner, draft(QStringLiteral("github")));
    QCOMPARE(registryError([&] { m_repo->create(tenant, owner, draft(QStringLiteral("github"))); }),
             Kind::NameConflict);
    const ServerRecord second = m_repo->create(tenant, owner, draft(QStringLiteral("gitlab")));
    QCOMPARE(
        registryError([&] { m_repo->update(tenant, second.id, draft(QStringLiteral("github"))); }),
        Kind::NameConflict);
    // The failed rename changed nothing.
    QCOMPARE(m_repo->get(tenant, second.id)->revision, 1);
    QCOMPARE(m_repo->get(tenant, second.id)->name, QStringLiteral("gitlab"));
    // Keeping one's own name is no conflict.
    QCOMPARE(m_repo->update(tenant, first.id, draft(QStringLiteral("github"))).revision, 2);
    // A removed server's name is free again.
    QVERIFY(m_repo->remove(tenant, first.id));
    QCOMPARE(m_repo->create(tenant, owner, draft(QStringLiteral("github"))).name,
             QStringLiteral("github"));
    try {
        m_repo->create(tenant, owner, draft(QStringLiteral("gitlab")));
        QFAIL("no conflict");
    } catch (const RegistryError &error) {
        QVERIFY(error.message().contains(QLatin1String("gitlab")));
    }
}

void TestServerRepository::detectsDuplicateNamesUnderConcurrency()
{
    constexpr int threadCount = 6;
    std::atomic<int> created = 0;
    std::atomic<int> conflicts = 0;
    std::atomic<int> otherErrors = 0;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < threadCount; ++i) {
        threads.emplace_back(QThread::create([&] {
            try {
                m_repo->create(tenant, owner, draft(QStringLiteral("contested")));
                ++created;
            } catch (const RegistryError &error) {
                if (error.kind() == Kind::NameConflict)
                    ++conflicts;
                else
                    ++otherErrors;
            } catch (const std::exception &error) {
                qWarning("unexpected: %s", error.what());
                ++otherErrors;
            }
            m_db->releaseThreadConnection();
        }));
    }
    for (auto &thread : threads)
        thread->start();
    for (auto &thread : threads)
        QVERIFY(thread->wait(60000));
    QCOMPARE(otherErrors.load(), 0);
    QCOMPARE(created.load(), 1);
    QCOMPARE(conflicts.load(), threadCount - 1);
    QSqlQuery count = sql(QStringLiteral("SELECT COUNT(*) FROM servers WHERE name = 'contested'"));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 1);
}

void TestServerRepository::mapsTheUniqueConstraintWhenTheCheckIsRaced()
{
    if (!m_postgres)
        QSKIP("SQLite's write lock serializes the name check and the insert: no race to test");
    // Another daemon's transaction has inserted the name but not committed: the repository's
    // check cannot see it, its insert waits on the unique index, then fails when that commits.
    const auto racer = Database::open(m_server->url(QStringLiteral("registry")));
    QSqlQuery other(racer->connection());
    QVERIFY(other.exec(QStringLiteral("BEGIN")));
    QVERIFY2(other.exec(QStringLiteral(
                 "INSERT INTO servers (id, tenant_id, name, display_name, transport, "
                 "transport_config, enabled, owner, created_at, updated_at) VALUES ('raced-1', "
                 "'default', 'raced', 'raced', 'stdio', '{}', TRUE, 'x', "
                 "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")),
             qPrintable(other.lastError().text()));

    std::optional<Kind> result;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        result
            = registryError([&] { m_repo->create(tenant, owner, draft(QStringLiteral("raced"))); });
        m_db->releaseThreadConnection();
    }));
    thread->start();
    bool blocked = false;
    for (int i = 0; i < 200 && !blocked; ++i) {
        QSqlQuery waiting
            = sql(QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                                 "datname = 'registry' AND wait_event_type = 'Lock'"));
        blocked = waiting.next() && waiting.value(0).toInt() > 0;
        if (!blocked)
            QThread::msleep(50);
    }
    QVERIFY2(blocked, "the repository's insert never waited for the other transaction");
    QVERIFY(other.exec(QStringLiteral("COMMIT")));
    QVERIFY(thread->wait(30000));
    QCOMPARE(result, Kind::NameConflict);
    QCOMPARE(m_repo->findByName(tenant, QStringLiteral("raced"))->id, QStringLiteral("raced-1"));
}

void TestServerRepository::updatesFieldsAndTags()
{
    const ServerRecord created
        = m_repo->create(tenant, owner, draft(QStringLiteral("github"), R"({"tags": ["a", "b"]})"));
    QTest::qWait(5); // a later updated_at
    const ServerRecord updated
        = m_repo->update(tenant, created.id, draft(QStringLiteral("github-ent"), R"({
        "displayName": "GitHub Enterprise", "description": "new",
        "transport": {"type": "sse", "url": "http://127.0.0.1:9/sse"},
        "tags": ["c", "b"], "enabled": false})"));
    QCOMPARE(updated.id, created.id);
    QCOMPARE(updated.name, QStringLiteral("github-ent"));
    QCOMPARE(updated.displayName, QStringLiteral("GitHub Enterprise"));
    QCOMPARE(updated.description, QStringLiteral("new"));
    QCOMPARE(updated.transport.type, TransportType::Sse);
    QCOMPARE(updated.transport.http.url, QUrl(QStringLiteral("http://127.0.0.1:9/sse")));
    QCOMPARE(updated.tags, (QStringList {QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(updated.enabled, false);
    QCOMPARE(updated.revision, 2);
    QCOMPARE(updated.createdAt, created.createdAt);
    QVERIFY(updated.updatedAt > created.updatedAt);
    QCOMPARE(updated.owner, owner);
    QSqlQuery count
        = sql(QStringLiteral("SELECT COUNT(*) FROM server_tags WHERE server_id = ?"), {created.id});
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 2);
    QCOMPARE(m_repo->update(tenant, created.id, draft(QStringLiteral("github-ent"))).revision, 3);
    QVERIFY(m_repo->get(tenant, created.id)->tags.isEmpty());
}

void TestServerRepository::updateKeepsReplacesOrClearsTheCredential()
{
    const ServerRecord created = m_repo->create(tenant, owner, draft(QStringLiteral("web"), R"({
        "transport": {"type": "streamable-http", "url": "https://x.example/mcp"},
        "credential": {"type": "header", "name": "X-Api-Key", "value": "first"}})"));

    // Through the validator, as the REST layer does it: a patch without "credential".
    ServerDraft keep = ServerValidator::validatePatch(created, object(R"({"description": "d"})"));
    QVERIFY(!keep.credential);
    ServerRecord updated = m_repo->update(tenant, created.id, keep);
    QCOMPARE(updated.credentialType, CredentialType::Header);
    QCOMPARE(updated.credentialHeader, QStringLiteral("X-Api-Key"));
    QVERIFY(updated.credentialConfigured);
    QCOMPARE(m_repo->credentialSecret(tenant, created.id), QStringLiteral("first"));

    updated = m_repo->update(
        tenant, created.id,
        ServerValidator::validatePatch(
            updated, object(R"({"credential": {"type": "bearer", "token": "second"}})")));
    QCOMPARE(updated.credentialType, CredentialType::Bearer);
    QCOMPARE(updated.credentialHeader, QString());
    QCOMPARE(m_repo->credentialSecret(tenant, created.id), QStringLiteral("second"));

    updated = m_repo->update(
        tenant, created.id,
        ServerValidator::validatePatch(updated, object(R"({"credential": null})")));
    QCOMPARE(updated.credentialType, CredentialType::None);
    QVERIFY(!updated.credentialConfigured);
    QCOMPARE(m_repo->credentialSecret(tenant, created.id), QString());
    QSqlQuery raw = sql(
        QStringLiteral("SELECT credential_secret, credential_header FROM servers WHERE id = ?"),
        {created.id});
    QVERIFY(raw.next());
    QVERIFY(raw.value(0).isNull());
    QVERIFY(raw.value(1).isNull());
}

void TestServerRepository::refusesStaleRevisions()
{
    const ServerRecord created = m_repo->create(tenant, owner, draft(QStringLiteral("github")));
    QCOMPARE(m_repo->update(tenant, created.id, draft(QStringLiteral("github")), 1).revision, 2);
    QCOMPARE(registryError(
                 [&] { m_repo->update(tenant, created.id, draft(QStringLiteral("renamed")), 1); }),
             Kind::StaleRevision);
    QCOMPARE(registryError(
                 [&] { m_repo->update(tenant, created.id, draft(QStringLiteral("renamed")), 3); }),
             Kind::StaleRevision);
    QCOMPARE(m_repo->get(tenant, created.id)->name, QStringLiteral("github"));
    QCOMPARE(m_repo->update(tenant, created.id, draft(QStringLiteral("renamed")), 2).revision, 3);
    // Without an expected revision the last writer wins.
    QCOMPARE(m_repo->update(tenant, created.id, draft(QStringLiteral("renamed"))).revision, 4);

    QCOMPARE(registryError([&] { m_repo->remove(tenant, created.id, 3); }), Kind::StaleRevision);
    QVERIFY(m_repo->get(tenant, created.id));
    QVERIFY(m_repo->remove(tenant, created.id, 4));
    QVERIFY(!m_repo->get(tenant, created.id));
}

void TestServerRepository::reportsMissingServers()
{
    const QString missing = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(!m_repo->get(tenant, missing));
    QVERIFY(!m_repo->get(tenant, QStringLiteral("' OR 1=1 --")));
    QCOMPARE(registryError([&] { m_repo->update(tenant, missing, draft(QStringLiteral("a"))); }),
             Kind::NotFound);
    QCOMPARE(registryError([&] { m_repo->update(tenant, missing, draft(QStringLiteral("a")), 1); }),
             Kind::NotFound);
    QCOMPARE(registryError([&] { m_repo->credentialSecret(tenant, missing); }), Kind::NotFound);
    QVERIFY(!m_repo->remove(tenant, missing));
    QVERIFY(!m_repo->remove(tenant, missing, 1));
}

void TestServerRepository::removesServerAndTags()
{
    const ServerRecord gone
        = m_repo->create(tenant, owner, draft(QStringLiteral("gone"), R"({"tags": ["a", "b"]})"));
    const ServerRecord kept
        = m_repo->create(tenant, owner, draft(QStringLiteral("kept"), R"({"tags": ["a"]})"));
    QVERIFY(m_repo->remove(tenant, gone.id));
    QVERIFY(!m_repo->remove(tenant, gone.id));
    QVERIFY(!m_repo->get(tenant, gone.id));
    QSqlQuery tags = sql(QStringLiteral("SELECT server_id FROM server_tags"));
    QStringList owners;
    while (tags.next())
        owners.append(tags.value(0).toString());
    QCOMPARE(owners, QStringList {kept.id});
}

void TestServerRepository::sealsCredentialsInTheDatabase()
{
    const QString token = QStringLiteral("ghp_VerySecretToken123");
    const ServerRecord server = m_repo->create(
        tenant, owner,
        draft(QStringLiteral("github"),
              R"({"credential": {"type": "bearer", "token": "ghp_VerySecretToken123"}})"));
    const ServerRecord other
        = m_repo->create(tenant, owner,
                         draft(QStringLiteral("other"),
                               R"({"credential": {"type": "bearer", "token": "other-token"}})"));

    QSqlQuery raw
        = sql(QStringLiteral("SELECT credential_secret, credential_type FROM servers WHERE id = ?"),
              {server.id});
    QVERIFY(raw.next());
    const QByteArray sealed = raw.value(0).toByteArray();
    QCOMPARE(raw.value(1).toString(), QStringLiteral("bearer"));
    QCOMPARE(sealed.size(), 1 + 12 + token.size() + 16);
    QCOMPARE(sealed.at(0), char(0x01));
    QVERIFY(!sealed.contains(token.toUtf8()));
    QVERIFY(!sealed.contains("VerySecret"));
    QCOMPARE(m_box->open(sealed, server.id.toUtf8()), token.toUtf8());
    QCOMPARE(m_repo->credentialSecret(tenant, server.id), token);

    // Nothing else in the row holds it either.
    QSqlQuery row = sql(QStringLiteral("SELECT * FROM servers WHERE id = ?"), {server.id});
    QVERIFY(row.next());
    for (int i = 0; i < row.record().count(); ++i)
        QVERIFY(!row.value(i).toByteArray().contains("VerySecret"));

    // A sealed secret copied to another row does not open there.
    QSqlQuery copy(m_db->connection());
    QVERIFY(copy.prepare(QStringLiteral("UPDATE servers SET credential_secret = ? WHERE id = ?")));
    copy.addBindValue(sealed);
    copy.addBindValue(other.id);
    QVERIFY2(copy.exec(), qPrintable(copy.lastError().text()));
    QVERIFY_THROWS_EXCEPTION(SecretBoxError, m_repo->credentialSecret(tenant, other.id));

    // Nor under another key.
    SecretBox otherKey(QByteArray(SecretBox::keySize, 't'));
    ServerRepository wrongKey(*m_db, otherKey);
    QVERIFY_THROWS_EXCEPTION(SecretBoxError, wrongKey.credentialSecret(tenant, server.id));
}

void TestServerRepository::paginatesEverySortOrder_data()
{
    QTest::addColumn<QString>("sort");
    QTest::addColumn<int>("limit");
    for (const char *sort :
         {"name", "-name", "createdAt", "-createdAt", "updatedAt", "-updatedAt"}) {
        for (const int limit : {1, 2, 3, 4, 9, 10, 200})
            QTest::addRow("%s, limit %d", sort, limit) << QString::fromLatin1(sort) << limit;
    }
}

void TestServerRepository::paginatesEverySortOrder()
{
    QFETCH(QString, sort);
    QFETCH(int, limit);
    // Nine servers; creation and update times tie in groups, differently for each column.
    const QString t1 = QStringLiteral("2026-01-01T00:00:00.000Z");
    const QString t2 = QStringLiteral("2026-01-02T00:00:00.000Z");
    const QString t3 = QStringLiteral("2026-01-03T00:00:00.000Z");
    struct Row
    {
        QString name;
        QString createdAt;
        QString updatedAt;
        QString id;
    };
    QList<Row> rows = {
        {QStringLiteral("m-1"), t2, t3, {}}, {QStringLiteral("a-1"), t1, t3, {}},
        {QStringLiteral("z-9"), t2, t1, {}}, {QStringLiteral("b"), t1, t2, {}},
        {QStringLiteral("b-0"), t3, t2, {}}, {QStringLiteral("0"), t2, t3, {}},
        {QStringLiteral("m"), t3, t3, {}},   {QStringLiteral("a"), t1, t1, {}},
        {QStringLiteral("y"), t3, t2, {}},
    };
    for (Row &row : rows)
        row.id = createAt(row.name, row.createdAt, row.updatedAt).id;
    // Servers of another tenant never show up.
    m_repo->create(otherTenant, owner, draft(QStringLiteral("a-1")));

    const bool descending = sort.startsWith(QLatin1Char('-'));
    const QString key = descending ? sort.mid(1) : sort;
    const auto value = [&](const Row &row) {
        return key == QLatin1String("name")     ? row.name
            : key == QLatin1String("createdAt") ? row.createdAt
                                                : row.updatedAt;
    };
    std::sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
        const auto left = std::make_pair(value(a), a.id);
        const auto right = std::make_pair(value(b), b.id);
        return descending ? right < left : left < right;
    });
    QStringList expected;
    for (const Row &row : rows)
        expected.append(row.id);

    QStringList seen;
    QString cursor;
    int pages = 0;
    do {
        QUrlQuery url;
        url.addQueryItem(QStringLiteral("sort"), sort);
        url.addQueryItem(QStringLiteral("limit"), QString::number(limit));
        if (!cursor.isEmpty())
            url.addQueryItem(QStringLiteral("cursor"), cursor);
        const ServerPage page = m_repo->list(tenant, ServerQuery::fromUrlQuery(url));
        QVERIFY(page.items.size() <= limit);
        QVERIFY(!page.items.isEmpty());
        for (const ServerRecord &record : page.items)
            seen.append(record.id);
        cursor = page.nextCursor;
        QVERIFY(++pages <= 20);
    } while (!cursor.isEmpty());
    QCOMPARE(seen, expected);
    QCOMPARE(pages, (int(rows.size()) + limit - 1) / limit);
}

void TestServerRepository::paginationSurvivesInsertsBeforeTheCursor()
{
    for (const char *name : {"b", "d", "f", "h"})
        m_repo->create(tenant, owner, draft(QString::fromLatin1(name)));
    ServerQuery query;
    query.limit = 2;
    const ServerPage first = m_repo->list(tenant, query);
    QCOMPARE(names(first.items), (QStringList {QStringLiteral("b"), QStringLiteral("d")}));
    // Servers added before the cursor position neither repeat nor shift the next page.
    m_repo->create(tenant, owner, draft(QStringLiteral("a")));
    m_repo->create(tenant, owner, draft(QStringLiteral("c")));
    m_repo->create(tenant, owner, draft(QStringLiteral("e")));
    query.cursor = first.nextCursor;
    const ServerPage second = m_repo->list(tenant, query);
    QCOMPARE(names(second.items), (QStringList {QStringLiteral("e"), QStringLiteral("f")}));
    query.cursor = second.nextCursor;
    const ServerPage third = m_repo->list(tenant, query);
    QCOMPARE(names(third.items), QStringList {QStringLiteral("h")});
    QVERIFY(third.nextCursor.isEmpty());
}

void TestServerRepository::createFilterFixture()
{
    m_repo->create(
        tenant, owner,
        draft(
            QStringLiteral("alpha"),
            R"({"displayName": "Alpha Tools", "description": "Reads 100% of files", "tags": ["prod", "eu"]})"));
    m_repo->create(
        tenant, owner,
        draft(
            QStringLiteral("beta"),
            R"({"displayName": "Beta", "description": "under_score name", "tags": ["prod"], "enabled": false,
        "transport": {"type": "streamable-http", "url": "https://beta.example/mcp"}})"));
    m_repo->create(tenant, owner,
                   draft(QStringLiteral("gamma"),
                         R"({"displayName": "GAMMA Ray", "description": "x!y", "tags": ["dev"],
        "transport": {"type": "sse", "url": "https://gamma.example/sse"}})"));
    m_repo->create(tenant, owner,
                   draft(QStringLiteral("delta"),
                         R"({"displayName": "Delta", "description": "plain", "enabled": false})"));
    m_repo->create(
        tenant, owner,
        draft(QStringLiteral("prod-x"), R"({"displayName": "Something", "tags": ["eu"]})"));
    // Another tenant's twin of every filter match.
    m_repo->create(otherTenant, owner,
                   draft(QStringLiteral("alpha"),
                         R"({"displayName": "Alpha Tools", "tags": ["prod", "eu", "dev"]})"));
}

void TestServerRepository::filters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    const auto row = [](const char *query, const QStringList &expected) {
        QTest::newRow(*query ? query : "no filter") << QString::fromUtf8(query) << expected;
    };
    const QString alpha = QStringLiteral("alpha"), beta = QStringLiteral("beta"),
                  gamma = QStringLiteral("gamma"), delta = QStringLiteral("delta"),
                  prodX = QStringLiteral("prod-x");
    row("", {alpha, beta, delta, gamma, prodX});
    row("tag=prod", {alpha, beta});
    row("tag=eu", {alpha, prodX});
    row("tag=dev", {gamma});
    row("tag=pro", {});
    row("tag=none", {});
    row("transport=stdio", {alpha, delta, prodX});
    row("transport=streamable-http", {beta});
    row("transport=sse", {gamma});
    row("enabled=true", {alpha, gamma, prodX});
    row("enabled=false", {beta, delta});
    row("q=alp", {alpha});
    row("q=ALPHA", {alpha});
    row("q=ray", {gamma});
    row("q=tools", {alpha});
    row("q=FILES", {alpha});
    row("q=100%25", {alpha});
    row("q=%25", {alpha});
    row("q=_", {beta});
    // "a_p" and "%" would match "Alpha" and everything as LIKE wildcards.
    row("q=a_p", {});
    row("q=!", {gamma});
    row("q=x!y", {gamma});
    row("q=!y", {gamma});
    row("q=prod", {prodX});
    row("q=a", {alpha, beta, delta, gamma});
    row("q=zzz", {});
    row("tag=prod&enabled=true", {alpha});
    row("transport=stdio&q=a", {alpha, delta});
    row("tag=eu&transport=stdio&enabled=true", {alpha, prodX});
    row("tag=eu&transport=sse", {});
    row("q=a&sort=-name", {gamma, delta, beta, alpha});
}

void TestServerRepository::filters()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    createFilterFixture();
    const ServerPage page = m_repo->list(tenant, ServerQuery::fromUrlQuery(QUrlQuery(query)));
    QCOMPARE(names(page.items), expected);
    QVERIFY(page.nextCursor.isEmpty());
}

void TestServerRepository::filtersWithPagination()
{
    createFilterFixture();
    ServerQuery query = ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("tag=eu&limit=1")));
    ServerPage page = m_repo->list(tenant, query);
    QCOMPARE(names(page.items), QStringList {QStringLiteral("alpha")});
    QVERIFY(!page.nextCursor.isEmpty());
    query.cursor = page.nextCursor;
    page = m_repo->list(tenant, query);
    QCOMPARE(names(page.items), QStringList {QStringLiteral("prod-x")});
    QVERIFY(page.nextCursor.isEmpty());
}

void TestServerRepository::refusesForeignCursors()
{
    for (const char *name : {"a", "b", "c"})
        m_repo->create(tenant, owner, draft(QString::fromLatin1(name)));
    ServerQuery query;
    query.limit = 1;
    const QString cursor = m_repo->list(tenant, query).nextCursor;
    QVERIFY(!cursor.isEmpty());

    ServerQuery other;
    other.sort = ServerSortKey::CreatedAt;
    other.cursor = cursor;
    QCOMPARE(validationFields([&] { m_repo->list(tenant, other); }),
             QStringList {QStringLiteral("cursor")});
    other.sort = ServerSortKey::Name;
    other.descending = true;
    QCOMPARE(validationFields([&] { m_repo->list(tenant, other); }),
             QStringList {QStringLiteral("cursor")});
    other.descending = false;
    other.cursor = QStringLiteral("garbage");
    QCOMPARE(validationFields([&] { m_repo->list(tenant, other); }),
             QStringList {QStringLiteral("cursor")});
    other.cursor = cursor;
    QCOMPARE(names(m_repo->list(tenant, other).items),
             (QStringList {QStringLiteral("b"), QStringLiteral("c")}));
}

QTEST_GUILESS_MAIN(TestServerRepository)
#include "tst_serverrepository.moc"
