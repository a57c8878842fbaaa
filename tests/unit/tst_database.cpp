#include "postgresserver.h"
#include "storage/database.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using mcpgate::storage::Database;
using mcpgate::storage::Dialect;
using mcpgate::storage::StorageError;
using mcpgate::tests::PostgresServer;

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanupTestCase();

    void sqliteCreatesFileAndParentDirectories();
    void sqliteConnectionSettings();
    void sqliteUrlForms_data();
    void sqliteUrlForms();
    void badUrls_data();
    void badUrls();
    void unusableSqliteFiles();
    void oneConnectionPerThread();
    void threadConnectionsEndWithTheirThread();
    void destructorRemovesConnection();
    void busyTimeoutWaitsForWriter();

    void postgresConnects();
    void postgresWrongPasswordIsMasked();
    void postgresReconnectsAfterServerKill();
    void postgresIdleConnectionIsChecked();

private:
    static QString queryText(QSqlDatabase db, const QString &sql);
    PostgresServer *postgres();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PostgresServer> m_postgres;
};

QString TestDatabase::queryText(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return QStringLiteral("error: ") + query.lastError().text();
    return query.value(0).toString();
}

PostgresServer *TestDatabase::postgres()
{
    if (!PostgresServer::isInstalled())
        return nullptr;
    if (!m_postgres) {
        m_postgres = std::make_unique<PostgresServer>();
        if (!m_postgres->start())
            qFatal("cannot start PostgreSQL: %s", qPrintable(m_postgres->errorString()));
    }
    return m_postgres.get();
}

void TestDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDatabase::cleanupTestCase()
{
    m_postgres.reset();
}

void TestDatabase::sqliteCreatesFileAndParentDirectories()
{
    const QString path = m_dir->filePath(QStringLiteral("a/b/gate.db"));
    auto db = Database::open(QStringLiteral("sqlite:") + path);
    QCOMPARE(db->dialect(), Dialect::Sqlite);
    QVERIFY(QFile::exists(path));
    QVERIFY(db->isReachable());
    QCOMPARE(db->displayUrl(), QStringLiteral("sqlite:") + path);
}

void TestDatabase::sqliteConnectionSettings()
{
    auto db = Database::open(m_dir->filePath(QStringLiteral("gate.db")));
    const QSqlDatabase connection = db->connection();
    QVERIFY(connection.isOpen());
    QCOMPARE(queryText(connection, QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    QCOMPARE(queryText(connection, QStringLiteral("PRAGMA foreign_keys")), QStringLiteral("1"));
    QCOMPARE(queryText(connection, QStringLiteral("PRAGMA synchronous")), QStringLiteral("1"));
    QCOMPARE(queryText(connection, QStringLiteral("PRAGMA busy_timeout")), QStringLiteral("5000"));
}

void TestDatabase::sqliteUrlForms_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("plain path") << QString();
    QTest::newRow("sqlite:") << QStringLiteral("sqlite:");
    QTest::newRow("sqlite://") << QStringLiteral("sqlite://");
}

void TestDatabase::sqliteUrlForms()
{
    QFETCH(QString, prefix);
    const QString path = m_dir->filePath(QStringLiteral("forms.db"));
    auto db = Database::open(prefix + path);
    QCOMPARE(db->displayUrl(), QStringLiteral("sqlite:") + path);
    QVERIFY(QFile::exists(path));

    // Relative paths are taken from the working directory.
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir->path()));
    auto relative = Database::open(prefix.isEmpty() ? QStringLiteral("rel/x.db")
                                                    : QStringLiteral("sqlite:rel/x.db"));
    QDir::setCurrent(previous);
    QCOMPARE(relative->displayUrl(),
             QStringLiteral("sqlite:") + m_dir->filePath(QStringLiteral("rel/x.db")));
}

void TestDatabase::badUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QStringLiteral("  ") << QStringLiteral("no database URL given");
    QTest::newRow("scheme") << QStringLiteral("mysql://u:p@h/db")
                            << QStringLiteral("unsupported database URL scheme \"mysql\"");
    QTest::newRow("sqlite empty") << QStringLiteral("sqlite:")
                                  << QStringLiteral("the path is empty");
    QTest::newRow("sqlite host") << QStringLiteral("sqlite://host/x.db")
                                 << QStringLiteral("use sqlite:/absolute/path.db");
    QTest::newRow("memory") << QStringLiteral("sqlite::memory:")
                            << QStringLiteral("in-memory SQLite databases are not supported");
    QTest::newRow("pg port") << QStringLiteral("postgresql://u:hunter2@127.0.0.1:99999/db")
                             << QStringLiteral("invalid PostgreSQL URL postgresql://(invalid URL): "
                                               "Invalid port or port number out of range");
    QTest::newRow("pg path") << QStringLiteral("postgres://u@127.0.0.1/a/b")
                             << QStringLiteral("the path must be a single database name");
    QTest::newRow("pg option") << QStringLiteral("postgresql://u@127.0.0.1/db?sslmode=a%20b")
                               << QStringLiteral("bad connection option \"sslmode\"");
    QTest::newRow("pg option name") << QStringLiteral("postgresql://u@127.0.0.1/db?x%3Dy=1")
                                    << QStringLiteral("bad connection option");
    // Nothing listens on port 1 of the loopback interface.
    QTest::newRow("pg refused") << QStringLiteral("postgresql://u:hunter2@127.0.0.1:1/db")
                                << QStringLiteral("cannot connect to PostgreSQL database "
                                                  "postgresql://u:***@127.0.0.1:1/db");
}

void TestDatabase::badUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, message);
    try {
        Database::open(url);
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        const QString what = QString::fromStdString(error.what());
        QVERIFY2(what.contains(message), qPrintable(what));
        QVERIFY2(!what.contains(QLatin1String("hunter2")), qPrintable(what));
    }
}

void TestDatabase::unusableSqliteFiles()
{
    const QString garbage = m_dir->filePath(QStringLiteral("garbage.db"));
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    QVERIFY_THROWS_EXCEPTION(StorageError, Database::open(garbage));
    try {
        Database::open(garbage);
    } catch (const StorageError &error) {
        const QString what = QString::fromStdString(error.what());
        QVERIFY2(what.startsWith(QStringLiteral("cannot use SQLite database ") + garbage),
                 qPrintable(what));
        QVERIFY2(what.contains(QLatin1String("not a database")), qPrintable(what));
    }

    // The parent "directory" is a regular file.
    try {
        Database::open(garbage + QStringLiteral("/inner/x.db"));
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        QVERIFY2(QString::fromStdString(error.what())
                     .startsWith(QLatin1String("cannot create directory")),
                 error.what());
    }

    // A directory where the file should be.
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("dir.db")));
    try {
        Database::open(m_dir->filePath(QStringLiteral("dir.db")));
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        QVERIFY2(QString::fromStdString(error.what())
                     .startsWith(QLatin1String("cannot open SQLite database")),
                 error.what());
    }
    QVERIFY(QSqlDatabase::connectionNames().isEmpty());
}

void TestDatabase::oneConnectionPerThread()
{
    auto db = Database::open(m_dir->filePath(QStringLiteral("threads.db")));
    const QString mainName = db->connection().connectionName();
    QCOMPARE(db->connection().connectionName(), mainName);
    QSqlQuery create(db->connection());
    QVERIFY(create.exec(QStringLiteral("CREATE TABLE t (v INTEGER)")));

    QString workerName;
    bool workerInserted = false;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        workerName = db->connection().connectionName();
        QSqlQuery insert(db->connection());
        workerInserted = insert.exec(QStringLiteral("INSERT INTO t VALUES (42)"));
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY(workerInserted);
    QVERIFY(!workerName.isEmpty());
    QVERIFY(workerName != mainName);
    QCOMPARE(queryText(db->connection(), QStringLiteral("SELECT v FROM t")), QStringLiteral("42"));
}

void TestDatabase::threadConnectionsEndWithTheirThread()
{
    auto db = Database::open(m_dir->filePath(QStringLiteral("ending.db")));
    QString workerName;
    std::unique_ptr<QThread> thread(
        QThread::create([&] { workerName = db->connection().connectionName(); }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY(!workerName.isEmpty());
    // Removed as the thread exits, which can be a moment after wait() returns.
    QTRY_VERIFY(!QSqlDatabase::contains(workerName));

    // A pool thread that stays alive releases its connection explicitly.
    QString releasedName;
    bool goneAfterRelease = false;
    std::unique_ptr<QThread> pooled(QThread::create([&] {
        releasedName = db->connection().connectionName();
        db->releaseThreadConnection();
        goneAfterRelease = !QSqlDatabase::contains(releasedName);
        // Used again, the thread gets a fresh connection.
        QSqlQuery query(db->connection());
        goneAfterRelease = goneAfterRelease && query.exec(QStringLiteral("SELECT 1"));
    }));
    pooled->start();
    QVERIFY(pooled->wait(10000));
    QVERIFY(goneAfterRelease);
}

void TestDatabase::destructorRemovesConnection()
{
    auto db = Database::open(m_dir->filePath(QStringLiteral("gone.db")));
    const QString name = db->connection().connectionName();
    QVERIFY(QSqlDatabase::contains(name));
    db.reset();
    QVERIFY(!QSqlDatabase::contains(name));

    // A Database opened later never sees the old connection, even at the same address.
    auto again = Database::open(m_dir->filePath(QStringLiteral("gone2.db")));
    QVERIFY(again->connection().connectionName() != name);
}

void TestDatabase::busyTimeoutWaitsForWriter()
{
    auto db = Database::open(m_dir->filePath(QStringLiteral("busy.db")));
    QSqlQuery setup(db->connection());
    QVERIFY(setup.exec(QStringLiteral("CREATE TABLE t (v INTEGER)")));

    std::atomic<bool> locked = false;
    std::unique_ptr<QThread> writer(QThread::create([&] {
        QSqlQuery query(db->connection());
        query.exec(QStringLiteral("BEGIN IMMEDIATE"));
        query.exec(QStringLiteral("INSERT INTO t VALUES (1)"));
        locked = true;
        QThread::msleep(500);
        query.exec(QStringLiteral("COMMIT"));
    }));
    writer->start();
    QTRY_VERIFY(locked);
    // Without a busy timeout this fails at once with "database is locked".
    QSqlQuery insert(db->connection());
    QVERIFY2(insert.exec(QStringLiteral("INSERT INTO t VALUES (2)")),
             qPrintable(insert.lastError().text()));
    QVERIFY(writer->wait(10000));
    QCOMPARE(queryText(db->connection(), QStringLiteral("SELECT COUNT(*) FROM t")),
             QStringLiteral("2"));
}

void TestDatabase::postgresConnects()
{
    PostgresServer *server = postgres();
    if (!server)
        QSKIP("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)");
    QVERIFY2(server->createDatabase(QStringLiteral("connects")), qPrintable(server->errorString()));
    auto db = Database::open(server->url(QStringLiteral("connects"))
                             + QStringLiteral("?sslmode=disable&application_name=tst"));
    QCOMPARE(db->dialect(), Dialect::Postgres);
    QVERIFY(db->isReachable());
    QCOMPARE(
        db->displayUrl(),
        QStringLiteral(
            "postgresql://mcpgate:***@127.0.0.1:%1/connects?sslmode=disable&application_name=tst")
            .arg(server->port()));
    QCOMPARE(queryText(db->connection(), QStringLiteral("SELECT current_database()")),
             QStringLiteral("connects"));
    QCOMPARE(
        queryText(db->connection(), QStringLiteral("SELECT current_setting('application_name')")),
        QStringLiteral("tst"));

    // "postgres://" is accepted too, and a worker thread gets its own session.
    auto shortScheme = Database::open(
        server->url(QStringLiteral("connects"))
            .replace(QLatin1String("postgresql://"), QLatin1String("postgres://")));
    const QString mainPid
        = queryText(shortScheme->connection(), QStringLiteral("SELECT pg_backend_pid()"));
    QString workerPid;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        workerPid = queryText(shortScheme->connection(), QStringLiteral("SELECT pg_backend_pid()"));
    }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY(!workerPid.startsWith(QLatin1String("error")));
    QVERIFY(workerPid != mainPid);
}

void TestDatabase::postgresWrongPasswordIsMasked()
{
    PostgresServer *server = postgres();
    if (!server)
        QSKIP("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)");
    const QString url = QStringLiteral("postgresql://mcpgate:wrong-hunter2@127.0.0.1:%1/postgres")
                            .arg(server->port());
    try {
        Database::open(url);
        QFAIL("no StorageError");
    } catch (const StorageError &error) {
        const QString what = QString::fromStdString(error.what());
        QVERIFY2(what.contains(QLatin1String("password authentication failed")), qPrintable(what));
        QVERIFY2(what.contains(QLatin1String("mcpgate:***@")), qPrintable(what));
        QVERIFY2(!what.contains(QLatin1String("hunter2")), qPrintable(what));
    }
}

void TestDatabase::postgresReconnectsAfterServerKill()
{
    PostgresServer *server = postgres();
    if (!server)
        QSKIP("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)");
    auto db = Database::open(server->url());
    const QString pid = queryText(db->connection(), QStringLiteral("SELECT pg_backend_pid()"));
    QVERIFY(!pid.startsWith(QLatin1String("error")));
    // The server ends this session, as a restart or an idle-session timeout would.
    QVERIFY2(server->runClient(QStringLiteral("psql"),
                               {QStringLiteral("-c"),
                                QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)}),
             qPrintable(server->errorString()));
    QVERIFY(db->isReachable());
    QVERIFY(queryText(db->connection(), QStringLiteral("SELECT pg_backend_pid()")) != pid);
}

void TestDatabase::postgresIdleConnectionIsChecked()
{
    PostgresServer *server = postgres();
    if (!server)
        QSKIP("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)");
    auto db = Database::open(server->url());
    const auto terminateSession = [&] {
        const QString pid = queryText(db->connection(), QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(!pid.startsWith(QLatin1String("error")));
        QVERIFY2(server->runClient(QStringLiteral("psql"),
                                   {QStringLiteral("-c"),
                                    QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid)}),
                 qPrintable(server->errorString()));
    };

    // Without the check, the dropped session is handed out and the query fails.
    db->setIdleCheckInterval(-1);
    terminateSession();
    QVERIFY(
        queryText(db->connection(), QStringLiteral("SELECT 1")).startsWith(QLatin1String("error")));
    QVERIFY(db->isReachable());

    // With it, a connection idle for longer than the interval is tested and reopened.
    db->setIdleCheckInterval(0);
    terminateSession();
    QTest::qWait(5);
    QCOMPARE(queryText(db->connection(), QStringLiteral("SELECT 1")), QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
