// mcpgated as an operator meets it: --version, first start, a bad config file, a database from
// a newer release, issuing keys, and a clean stop on SIGTERM.
#include "tests/support/daemonprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using mcpgate::test::DaemonProcess;

namespace {
struct Outcome
{
    int exitCode = -1;
    QString out;
    QString err;
};

Outcome runDaemon(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(QLatin1String("MCPGATE_")))
            environment.remove(name);
    }
    process.setProcessEnvironment(environment);
    process.start(DaemonProcess::binary(), arguments);
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}
} // namespace

class TestDaemonCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionAndUsage();
    void firstStartPrintsKeyOnce();
    void badConfigFileNamesFileAndLine();
    void newerSchemaIsRefused();
    void keysCreateChecksItsArguments();
    void sigtermStopsCleanly();
    void servesTlsWhenConfigured();
};

void TestDaemonCli::versionAndUsage()
{
    const Outcome version = runDaemon({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith(QLatin1String("mcpgated ")));
    const Outcome unknown = runDaemon({QStringLiteral("frobnicate")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains(QLatin1String("unknown command 'frobnicate'")));
    const Outcome badFlag = runDaemon({QStringLiteral("serve"), QStringLiteral("--no-such-flag")});
    QCOMPARE(badFlag.exitCode, 2);
}

void TestDaemonCli::firstStartPrintsKeyOnce()
{
    DaemonProcess daemon;
    QVERIFY2(daemon.start(), qPrintable(daemon.errorText()));
    QVERIFY(!daemon.adminKey().isEmpty());
    const QString keyFile = QDir(daemon.dataDir()).filePath(QStringLiteral("initial-admin-key"));
    QFile file(keyFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromLatin1(file.readAll()).trimmed(), daemon.adminKey());
    QCOMPARE(QFileInfo(keyFile).permissions()
                 & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFileDevice::Permissions());
    QCOMPARE(daemon.stop(), 0);

    // A second start on the same data directory issues nothing new.
    QProcess second;
    second.start(DaemonProcess::binary(),
                 {QStringLiteral("serve"), QStringLiteral("--listen"),
                  QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), daemon.dataDir()});
    QVERIFY(QTest::qWaitFor(
        [&] {
            second.waitForReadyRead(50);
            return second.canReadLine();
        },
        20000));
    const QString output = QString::fromUtf8(second.readAllStandardOutput());
    QVERIFY(output.startsWith(QLatin1String("listening on http://127.0.0.1:")));
    QVERIFY(!output.contains(QLatin1String("mcpg_")));
    second.terminate();
    QVERIFY(second.waitForFinished(15000));
    QCOMPARE(second.exitCode(), 0);
}

void TestDaemonCli::badConfigFileNamesFileAndLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mcpgated.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# test\n[server]\nlisten = \"127.0.0.1:0\"\nmax_body_bytes = \"lots\"\n");
    file.close();
    const Outcome outcome = runDaemon({QStringLiteral("serve"), QStringLiteral("--config"), path,
                                       QStringLiteral("--data-dir"), dir.path()});
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(path + QStringLiteral(":4:")), qPrintable(outcome.err));
    QVERIFY(outcome.err.contains(QLatin1String("max_body_bytes")));

    const Outcome missing = runDaemon({QStringLiteral("serve"), QStringLiteral("--config"),
                                       dir.filePath(QStringLiteral("absent.conf"))});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains(QLatin1String("absent.conf")));
}

void TestDaemonCli::newerSchemaIsRefused()
{
    QTemporaryDir dir;
    {
        DaemonProcess daemon;
        QVERIFY(daemon.start());
        QCOMPARE(daemon.stop(), 0);
        QVERIFY(QDir(daemon.dataDir()).exists(QStringLiteral("mcpgate.db")));
        QVERIFY(QFile::copy(QDir(daemon.dataDir()).filePath(QStringLiteral("mcpgate.db")),
                            dir.filePath(QStringLiteral("mcpgate.db"))));
    }
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
        db.setDatabaseName(dir.filePath(QStringLiteral("mcpgate.db")));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("INSERT INTO schema_migrations (version, applied_at) "
                                          "VALUES (999, '2030-01-01T00:00:00.000Z')")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bump"));
    const Outcome outcome
        = runDaemon({QStringLiteral("serve"), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.path()});
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(outcome.err.contains(QLatin1String("999")), qPrintable(outcome.err));
    QVERIFY(outcome.err.contains(QLatin1String("newer")));
}

void TestDaemonCli::keysCreateChecksItsArguments()
{
    DaemonProcess daemon;
    QVERIFY(daemon.start());
    QCOMPARE(daemon.stop(), 0);
    const QStringList base {QStringLiteral("keys"), QStringLiteral("create"),
                            QStringLiteral("--data-dir"), daemon.dataDir()};
    Outcome outcome = runDaemon(base
                                + QStringList {QStringLiteral("--role"), QStringLiteral("emperor"),
                                               QStringLiteral("--name"), QStringLiteral("x")});
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY(outcome.err.contains(QLatin1String("--role")));
    outcome = runDaemon(base + QStringList {QStringLiteral("--role"), QStringLiteral("admin")});
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY(outcome.err.contains(QLatin1String("--name")));
    outcome = runDaemon(base
                        + QStringList {QStringLiteral("--role"), QStringLiteral("admin"),
                                       QStringLiteral("--name"), QStringLiteral("x"),
                                       QStringLiteral("--tenant"), QStringLiteral("elsewhere")});
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY(outcome.err.contains(QLatin1String("'elsewhere' does not exist")));
    outcome = runDaemon(base
                        + QStringList {QStringLiteral("--role"), QStringLiteral("operator"),
                                       QStringLiteral("--name"), QStringLiteral("deploy bot")});
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY(outcome.out.trimmed().startsWith(QLatin1String("mcpg_")));
    QCOMPARE(outcome.out.trimmed().count(u'\n'), 0);
}

void TestDaemonCli::sigtermStopsCleanly()
{
    DaemonProcess daemon;
    QVERIFY(daemon.start());
    QCOMPARE(daemon.request("GET", QStringLiteral("/healthz")).status, 200);
    QCOMPARE(daemon.stop(5000), 0);
}

void TestDaemonCli::servesTlsWhenConfigured()
{
    QTemporaryDir dir;
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                   QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);

    DaemonProcess daemon({QStringLiteral("--set"), QStringLiteral("server.tls_certificate=") + cert,
                          QStringLiteral("--set"),
                          QStringLiteral("server.tls_private_key=") + key});
    QVERIFY2(daemon.start(), qPrintable(daemon.errorText()));
    QCOMPARE(daemon.baseUrl().scheme(), QStringLiteral("https"));
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-sk"), daemon.baseUrl().toString() + QStringLiteral("/healthz")});
    QVERIFY(curl.waitForFinished(20000));
    QVERIFY2(curl.readAllStandardOutput().contains("\"status\":\"ok\""),
             qPrintable(QString::fromUtf8(curl.readAllStandardError())));
    QCOMPARE(daemon.stop(), 0);

    const Outcome missingKey
        = runDaemon({QStringLiteral("serve"), QStringLiteral("--data-dir"), dir.path(),
                     QStringLiteral("--set"), QStringLiteral("server.tls_certificate=") + cert});
    QCOMPARE(missingKey.exitCode, 2);
    QVERIFY(missingKey.err.contains(QLatin1String("tls")));
}

QTEST_GUILESS_MAIN(TestDaemonCli)
#include "tst_daemoncli.moc"
