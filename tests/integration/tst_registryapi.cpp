// The server registry REST API of a real mcpgated process: every status code a client can meet.
#include "tests/support/daemonprocess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using mcpgate::test::DaemonProcess;
using mcpgate::test::Reply;

namespace {
const QList<QPair<QByteArray, QByteArray>> kJson {{"Content-Type", "application/json"}};

QByteArray serverJson(const QString &name, const QJsonObject &extra = {})
{
    QJsonObject object {
        {QStringLiteral("name"), name},
        {QStringLiteral("transport"),
         QJsonObject {{QStringLiteral("type"), QStringLiteral("streamable-http")},
                      {QStringLiteral("url"), QStringLiteral("https://mcp.example.test/mcp")}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        object.insert(it.key(), it.value());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QStringList errorFields(const Reply &reply)
{
    QStringList fields;
    for (const QJsonValue &error : reply.json().object().value(QStringLiteral("errors")).toArray())
        fields << error.toObject().value(QStringLiteral("field")).toString();
    return fields;
}
} // namespace

class TestRegistryApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void demoServerIsRegistered();
    void createReturnsLocationAndEtag();
    void credentialIsNeverReturned();
    void validationErrorsNameEveryField_data();
    void validationErrorsNameEveryField();
    void malformedBodies_data();
    void malformedBodies();
    void duplicateNameIs409();
    void unknownIdIs404();
    void patchWithIfMatch();
    void deleteThenGone();
    void listPaginatesAndFilters();
    void listRejectsBadQuery();
    void credentialsAndPermissions();
    void everyResponseHasRequestId();

private:
    QString createServer(const QString &name, const QJsonObject &extra = {});

    std::unique_ptr<DaemonProcess> m_daemon;
};

void TestRegistryApi::initTestCase()
{
    m_daemon = std::make_unique<DaemonProcess>(QStringList {QStringLiteral("--register-demo")});
    QVERIFY2(m_daemon->start(), qPrintable(m_daemon->errorText()));
    QVERIFY(m_daemon->adminKey().startsWith(QLatin1String("mcpg_")));
}

void TestRegistryApi::cleanupTestCase()
{
    QCOMPARE(m_daemon->stop(), 0);
}

QString TestRegistryApi::createServer(const QString &name, const QJsonObject &extra)
{
    const Reply reply = m_daemon->request("POST", QStringLiteral("/api/v1/servers"),
                                          serverJson(name, extra), kJson);
    if (reply.status != 201)
        qWarning() << reply.status << reply.body;
    return reply.json().object().value(QStringLiteral("id")).toString();
}

void TestRegistryApi::demoServerIsRegistered()
{
    const Reply reply = m_daemon->request("GET", QStringLiteral("/api/v1/servers?q=demo"));
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json().object().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject demo = items.first().toObject();
    QCOMPARE(demo.value(QStringLiteral("name")).toString(), QStringLiteral("demo"));
    QCOMPARE(
        demo.value(QStringLiteral("transport")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("stdio"));
    QVERIFY(demo.value(QStringLiteral("transport"))
                .toObject()
                .value(QStringLiteral("command"))
                .toString()
                .endsWith(QLatin1String("mcpgate-demo-server")));
}

void TestRegistryApi::createReturnsLocationAndEtag()
{
    const QByteArray body = serverJson(
        QStringLiteral("created-one"),
        {{QStringLiteral("tags"), QJsonArray {QStringLiteral("prod"), QStringLiteral("eu")}},
         {QStringLiteral("description"), QStringLiteral("first")}});
    const Reply reply = m_daemon->request("POST", QStringLiteral("/api/v1/servers"), body, kJson);
    QCOMPARE(reply.status, 201);
    const QJsonObject server = reply.json().object();
    const QString id = server.value(QStringLiteral("id")).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(reply.header("Location"), "/api/v1/servers/" + id.toLatin1());
    QCOMPARE(reply.header("ETag"), QByteArray("\"1\""));
    QCOMPARE(server.value(QStringLiteral("displayName")).toString(), QStringLiteral("created-one"));
    QCOMPARE(server.value(QStringLiteral("tenant")).toString(), QStringLiteral("default"));
    QCOMPARE(server.value(QStringLiteral("enabled")).toBool(), true);
    QCOMPARE(server.value(QStringLiteral("revision")).toInt(), 1);
    QVERIFY(server.value(QStringLiteral("owner")).toString().startsWith(QLatin1String("key:")));

    const Reply fetched = m_daemon->request("GET", QStringLiteral("/api/v1/servers/") + id);
    QCOMPARE(fetched.status, 200);
    QCOMPARE(fetched.json().object(), server);
    const Reply notModified = m_daemon->request("GET", QStringLiteral("/api/v1/servers/") + id, {},
                                                {{"If-None-Match", "\"1\""}});
    QCOMPARE(notModified.status, 304);
}

void TestRegistryApi::credentialIsNeverReturned()
{
    const QString id = createServer(
        QStringLiteral("with-secret"),
        {{QStringLiteral("credential"),
          QJsonObject {{QStringLiteral("type"), QStringLiteral("header")},
                       {QStringLiteral("name"), QStringLiteral("X-Api-Key")},
                       {QStringLiteral("value"), QStringLiteral("very-secret-value")}}}});
    QVERIFY(!id.isEmpty());
    const Reply reply = m_daemon->request("GET", QStringLiteral("/api/v1/servers/") + id);
    QVERIFY(!reply.body.contains("very-secret-value"));
    const QJsonObject credential
        = reply.json().object().value(QStringLiteral("credential")).toObject();
    QCOMPARE(credential.value(QStringLiteral("type")).toString(), QStringLiteral("header"));
    QCOMPARE(credential.value(QStringLiteral("name")).toString(), QStringLiteral("X-Api-Key"));
    QCOMPARE(credential.value(QStringLiteral("configured")).toBool(), true);
    const Reply list = m_daemon->request("GET", QStringLiteral("/api/v1/servers?limit=200"));
    QVERIFY(!list.body.contains("very-secret-value"));
}

void TestRegistryApi::validationErrorsNameEveryField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("fields");

    const auto stdio = [](const QJsonObject &transport) {
        QJsonObject object = transport;
        object.insert(QStringLiteral("type"), QStringLiteral("stdio"));
        return QJsonDocument(QJsonObject {{QStringLiteral("name"), QStringLiteral("v")},
                                          {QStringLiteral("transport"), object}})
            .toJson(QJsonDocument::Compact);
    };
    QTest::newRow("missing name and transport")
        << QByteArray("{}") << QStringList {QStringLiteral("name"), QStringLiteral("transport")};
    QTest::newRow("bad name") << serverJson(QStringLiteral("Not Valid"))
                              << QStringList {QStringLiteral("name")};
    QTest::newRow("name too long")
        << serverJson(QString(64, u'a')) << QStringList {QStringLiteral("name")};
    QTest::newRow("unknown field")
        << serverJson(QStringLiteral("v"), {{QStringLiteral("colour"), 1}})
        << QStringList {QStringLiteral("colour")};
    QTest::newRow("read-only field")
        << serverJson(QStringLiteral("v"), {{QStringLiteral("revision"), 3}})
        << QStringList {QStringLiteral("revision")};
    QTest::newRow("display name empty")
        << serverJson(QStringLiteral("v"), {{QStringLiteral("displayName"), QString()}})
        << QStringList {QStringLiteral("displayName")};
    QTest::newRow("description too long")
        << serverJson(QStringLiteral("v"), {{QStringLiteral("description"), QString(2001, u'x')}})
        << QStringList {QStringLiteral("description")};
    QTest::newRow("enabled not boolean")
        << serverJson(QStringLiteral("v"), {{QStringLiteral("enabled"), QStringLiteral("yes")}})
        << QStringList {QStringLiteral("enabled")};
    QTest::newRow("bad and duplicate tags") << serverJson(
        QStringLiteral("v"),
        {{QStringLiteral("tags"),
          QJsonArray {QStringLiteral("ok"), QStringLiteral("Bad Tag"), QStringLiteral("ok")}}})
                                            << QStringList {QStringLiteral("tags[1]"),
                                                            QStringLiteral("tags[2]")};
    QTest::newRow("unknown transport")
        << QByteArray(R"({"name":"v","transport":{"type":"carrier-pigeon"}})")
        << QStringList {QStringLiteral("transport.type")};
    QTest::newRow("stdio without command")
        << stdio({}) << QStringList {QStringLiteral("transport.command")};
    QTest::newRow("stdio bad env and args") << stdio(
        {{QStringLiteral("command"), QStringLiteral("x")},
         {QStringLiteral("args"), QJsonArray {1}},
         {QStringLiteral("env"), QJsonObject {{QStringLiteral("1BAD"), QStringLiteral("v")}}},
         {QStringLiteral("cwd"), QStringLiteral("relative/dir")}})
                                            << QStringList {QStringLiteral("transport.args[0]"),
                                                            QStringLiteral("transport.env.1BAD"),
                                                            QStringLiteral("transport.cwd")};
    QTest::newRow("http bad url") << QByteArray(
        R"({"name":"v","transport":{"type":"sse","url":"ftp://host/x"}})")
                                  << QStringList {QStringLiteral("transport.url")};
    QTest::newRow("http forbidden header") << QByteArray(
        R"({"name":"v","transport":{"type":"sse","url":"https://h/x","headers":{"Authorization":"Bearer x"}}})")
                                           << QStringList {QStringLiteral(
                                                  "transport.headers.Authorization")};
    QTest::newRow("bearer without token")
        << serverJson(QStringLiteral("v"),
                      {{QStringLiteral("credential"),
                        QJsonObject {{QStringLiteral("type"), QStringLiteral("bearer")}}}})
        << QStringList {QStringLiteral("credential.token")};
}

void TestRegistryApi::validationErrorsNameEveryField()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, fields);
    const Reply reply = m_daemon->request("POST", QStringLiteral("/api/v1/servers"), body, kJson);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
    QCOMPARE(reply.json().object().value(QStringLiteral("type")).toString(),
             QStringLiteral("https://mcpgate.dev/problems/validation-failed"));
    const QStringList reported = errorFields(reply);
    for (const QString &field : fields)
        QVERIFY2(reported.contains(field),
                 qPrintable(QStringLiteral("%1 not in %2").arg(field, reported.join(u','))));
}

void TestRegistryApi::malformedBodies_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("not json") << QByteArray("application/json") << QByteArray("{name:") << 400;
    QTest::newRow("array") << QByteArray("application/json") << QByteArray("[]") << 400;
    QTest::newRow("raw control character")
        << QByteArray("application/json") << QByteArray("{\"name\":\"a\x01\"}") << 400;
    QTest::newRow("duplicate key")
        << QByteArray("application/json") << QByteArray(R"({"name":"a","name":"b"})") << 400;
    QTest::newRow("wrong media type")
        << QByteArray("text/plain") << serverJson(QStringLiteral("v")) << 415;
    QTest::newRow("json with charset") << QByteArray("application/json; charset=utf-8")
                                       << serverJson(QStringLiteral("charset-ok")) << 201;
}

void TestRegistryApi::malformedBodies()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const Reply reply = m_daemon->request("POST", QStringLiteral("/api/v1/servers"), body,
                                          {{"Content-Type", contentType}});
    QCOMPARE(reply.status, status);
}

void TestRegistryApi::duplicateNameIs409()
{
    QVERIFY(!createServer(QStringLiteral("dup")).isEmpty());
    const Reply reply = m_daemon->request("POST", QStringLiteral("/api/v1/servers"),
                                          serverJson(QStringLiteral("dup")), kJson);
    QCOMPARE(reply.status, 409);
    QVERIFY(reply.json()
                .object()
                .value(QStringLiteral("detail"))
                .toString()
                .contains(QLatin1String("dup")));
}

void TestRegistryApi::unknownIdIs404()
{
    for (const QByteArray &method : {QByteArray("GET"), QByteArray("DELETE")}) {
        const Reply reply = m_daemon->request(
            method, QStringLiteral("/api/v1/servers/00000000-0000-0000-0000-000000000000"));
        QCOMPARE(reply.status, 404);
    }
    const Reply patch
        = m_daemon->request("PATCH", QStringLiteral("/api/v1/servers/nope"), "{}", kJson);
    QCOMPARE(patch.status, 404);
}

void TestRegistryApi::patchWithIfMatch()
{
    const QString id = createServer(QStringLiteral("patched"));
    const QString path = QStringLiteral("/api/v1/servers/") + id;
    const QList<QPair<QByteArray, QByteArray>> mergePatch {
        {"Content-Type", "application/merge-patch+json"}, {"If-Match", "\"1\""}};
    Reply reply = m_daemon->request("PATCH", path, R"({"description":"second","enabled":false})",
                                    mergePatch);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("ETag"), QByteArray("\"2\""));
    QCOMPARE(reply.json().object().value(QStringLiteral("description")).toString(),
             QStringLiteral("second"));
    QCOMPARE(reply.json().object().value(QStringLiteral("enabled")).toBool(), false);

    // The same If-Match again is now stale.
    reply = m_daemon->request("PATCH", path, R"({"description":"third"})", mergePatch);
    QCOMPARE(reply.status, 412);
    QCOMPARE(m_daemon->request("GET", path)
                 .json()
                 .object()
                 .value(QStringLiteral("description"))
                 .toString(),
             QStringLiteral("second"));

    // Without If-Match the write is unconditional; invalid patches are 400.
    reply = m_daemon->request("PATCH", path, R"({"name":"Bad Name"})", kJson);
    QCOMPARE(reply.status, 400);
    QCOMPARE(errorFields(reply), QStringList {QStringLiteral("name")});
    reply = m_daemon->request("PATCH", path, R"({"name":"dup"})", kJson);
    QCOMPARE(reply.status, 409);
    reply = m_daemon->request("PATCH", path, R"({"name":"renamed"})", kJson);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object().value(QStringLiteral("revision")).toInt(), 3);
}

void TestRegistryApi::deleteThenGone()
{
    const QString id = createServer(QStringLiteral("short-lived"));
    const QString path = QStringLiteral("/api/v1/servers/") + id;
    QCOMPARE(m_daemon->request("DELETE", path, {}, {{"If-Match", "\"7\""}}).status, 412);
    QCOMPARE(m_daemon->request("DELETE", path).status, 204);
    QCOMPARE(m_daemon->request("GET", path).status, 404);
    QCOMPARE(m_daemon->request("DELETE", path).status, 404);
}

void TestRegistryApi::listPaginatesAndFilters()
{
    for (int i = 0; i < 7; ++i)
        QVERIFY(!createServer(QStringLiteral("page-%1").arg(i),
                              {{QStringLiteral("tags"), QJsonArray {QStringLiteral("paged")}}})
                     .isEmpty());
    QStringList seen;
    QString cursor;
    int pages = 0;
    do {
        QString path = QStringLiteral("/api/v1/servers?tag=paged&limit=3&sort=-name");
        if (!cursor.isEmpty())
            path += QStringLiteral("&cursor=")
                + QString::fromLatin1(QUrl::toPercentEncoding(cursor));
        const Reply reply = m_daemon->request("GET", path);
        QCOMPARE(reply.status, 200);
        const QJsonObject page = reply.json().object();
        for (const QJsonValue &item : page.value(QStringLiteral("items")).toArray())
            seen << item.toObject().value(QStringLiteral("name")).toString();
        cursor = page.value(QStringLiteral("nextCursor")).toString();
        ++pages;
    } while (!cursor.isEmpty() && pages < 10);
    QCOMPARE(pages, 3);
    QCOMPARE(
        seen,
        (QStringList {QStringLiteral("page-6"), QStringLiteral("page-5"), QStringLiteral("page-4"),
                      QStringLiteral("page-3"), QStringLiteral("page-2"), QStringLiteral("page-1"),
                      QStringLiteral("page-0")}));

    const Reply stdioOnly
        = m_daemon->request("GET", QStringLiteral("/api/v1/servers?transport=stdio"));
    const QJsonArray stdioItems
        = stdioOnly.json().object().value(QStringLiteral("items")).toArray();
    QCOMPARE(stdioItems.size(), 1);
    QCOMPARE(stdioItems.first().toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("demo"));
    const Reply disabled
        = m_daemon->request("GET", QStringLiteral("/api/v1/servers?enabled=false"));
    for (const QJsonValue &item : disabled.json().object().value(QStringLiteral("items")).toArray())
        QCOMPARE(item.toObject().value(QStringLiteral("enabled")).toBool(), false);
}

void TestRegistryApi::listRejectsBadQuery()
{
    for (const QString &query :
         {QStringLiteral("limit=0"), QStringLiteral("limit=201"), QStringLiteral("sort=colour"),
          QStringLiteral("transport=pigeon"), QStringLiteral("enabled=maybe"),
          QStringLiteral("cursor=garbage")}) {
        const Reply reply = m_daemon->request("GET", QStringLiteral("/api/v1/servers?") + query);
        QVERIFY2(reply.status == 400, qPrintable(query));
        QCOMPARE(errorFields(reply).size(), 1);
    }
}

void TestRegistryApi::credentialsAndPermissions()
{
    QCOMPARE(m_daemon->request("GET", QStringLiteral("/api/v1/servers"), {}, {}, QString()).status,
             401);
    const Reply bad = m_daemon->request(
        "GET", QStringLiteral("/api/v1/servers"), {}, {},
        QStringLiteral("mcpg_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    QCOMPARE(bad.status, 401);
    QCOMPARE(bad.header("WWW-Authenticate"), QByteArray("Bearer realm=\"mcpgate\""));

    // A viewer key issued by the CLI against the same database reads but cannot write.
    QProcess cli;
    cli.start(DaemonProcess::binary(),
              {QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--role"),
               QStringLiteral("viewer"), QStringLiteral("--tenant"), QStringLiteral("default"),
               QStringLiteral("--name"), QStringLiteral("ci viewer"), QStringLiteral("--data-dir"),
               m_daemon->dataDir()});
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 0);
    const QString viewerKey = QString::fromLatin1(cli.readAllStandardOutput()).trimmed();
    QVERIFY(viewerKey.startsWith(QLatin1String("mcpg_")));
    QCOMPARE(m_daemon->request("GET", QStringLiteral("/api/v1/servers"), {}, {}, viewerKey).status,
             200);
    const Reply me = m_daemon->request("GET", QStringLiteral("/api/v1/me"), {}, {}, viewerKey);
    QCOMPARE(me.json().object().value(QStringLiteral("role")).toString(), QStringLiteral("viewer"));
    const Reply denied = m_daemon->request("POST", QStringLiteral("/api/v1/servers"),
                                           serverJson(QStringLiteral("nope")), kJson, viewerKey);
    QCOMPARE(denied.status, 403);
    QVERIFY(denied.json()
                .object()
                .value(QStringLiteral("detail"))
                .toString()
                .contains(QLatin1String("servers.write")));
}

void TestRegistryApi::everyResponseHasRequestId()
{
    for (const QString &path : {QStringLiteral("/healthz"), QStringLiteral("/readyz"),
                                QStringLiteral("/api/openapi.json"), QStringLiteral("/nope"),
                                QStringLiteral("/api/v1/servers")}) {
        const Reply reply = m_daemon->request("GET", path, {}, {}, QString());
        QVERIFY2(!reply.header("X-Request-Id").isEmpty(), qPrintable(path));
    }
    QCOMPARE(m_daemon->request("GET", QStringLiteral("/readyz"))
                 .json()
                 .object()
                 .value(QStringLiteral("status"))
                 .toString(),
             QStringLiteral("ready"));
    QCOMPARE(m_daemon->request("DELETE", QStringLiteral("/healthz")).status, 405);
    const Reply document
        = m_daemon->request("GET", QStringLiteral("/api/openapi.json"), {}, {}, QString());
    QCOMPARE(document.status, 200);
    QVERIFY(document.json()
                .object()
                .value(QStringLiteral("openapi"))
                .toString()
                .startsWith(QLatin1String("3.1")));
}

QTEST_GUILESS_MAIN(TestRegistryApi)
#include "tst_registryapi.moc"
