// ServerRecord and ServerTransport: the REST API JSON form, the merge patch base, the stored
// transport form and the entity tag.
#include "registry/servercredential.h"
#include "registry/serverrecord.h"
#include "registry/servertransport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace mcpgate::registry;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

ServerRecord stdioRecord()
{
    ServerRecord record;
    record.id = QStringLiteral("11111111-2222-4333-8444-555555555555");
    record.tenantId = QStringLiteral("default");
    record.name = QStringLiteral("github");
    record.displayName = QStringLiteral("GitHub");
    record.transport.type = TransportType::Stdio;
    record.transport.stdio.command = QStringLiteral("/usr/bin/x");
    record.transport.stdio.args = {QStringLiteral("a")};
    record.transport.stdio.env = {{QStringLiteral("K"), QStringLiteral("V")}};
    record.transport.stdio.cwd = QStringLiteral("/tmp");
    record.credentialType = CredentialType::Bearer;
    record.credentialConfigured = true;
    record.tags = {QStringLiteral("a")};
    record.enabled = true;
    record.owner = QStringLiteral("key:ab12cd34");
    record.createdAt = QDateTime(QDate(2026, 11, 29), QTime(8, 0), Qt::UTC);
    record.updatedAt = QDateTime(QDate(2026, 11, 29), QTime(9, 30, 15, 250), Qt::UTC);
    record.revision = 3;
    return record;
}

} // namespace

class TestServerRecord : public QObject
{
    Q_OBJECT

private slots:
    void stdioJson();
    void httpJsonWithHeaderCredential();
    void noCredentialJson();
    void inputJsonIsTheMergePatchBase();
    void storedTransportRoundTrips_data();
    void storedTransportRoundTrips();
    void typeNamesRoundTrip();
    void etagIsTheQuotedRevision();
};

void TestServerRecord::stdioJson()
{
    const QJsonObject expected = object(R"({
        "id": "11111111-2222-4333-8444-555555555555", "name": "github", "displayName": "GitHub",
        "description": "",
        "transport": {"type": "stdio", "command": "/usr/bin/x", "args": ["a"], "env": {"K": "V"}, "cwd": "/tmp"},
        "credential": {"type": "bearer", "configured": true},
        "tags": ["a"], "enabled": true, "tenant": "default", "owner": "key:ab12cd34",
        "createdAt": "2026-11-29T08:00:00.000Z", "updatedAt": "2026-11-29T09:30:15.250Z",
        "revision": 3})");
    QCOMPARE(stdioRecord().toJson(), expected);

    ServerRecord bare = stdioRecord();
    bare.transport.stdio = StdioTransport {QStringLiteral("/bin/y"), {}, {}, {}};
    // Empty lists stay in the response (a stable shape); an unset cwd does not.
    const QJsonObject bareTransport
        = object(R"({"type": "stdio", "command": "/bin/y", "args": [], "env": {}})");
    QCOMPARE(bare.toJson().value(QLatin1String("transport")).toObject(), bareTransport);
}

void TestServerRecord::httpJsonWithHeaderCredential()
{
    ServerRecord record = stdioRecord();
    record.transport = ServerTransport {};
    record.transport.type = TransportType::StreamableHttp;
    record.transport.http.url = QUrl(QStringLiteral("https://mcp.example.com/mcp"));
    record.transport.http.headers = {{QStringLiteral("X-Foo"), QStringLiteral("bar")}};
    record.credentialType = CredentialType::Header;
    record.credentialHeader = QStringLiteral("X-Api-Key");
    const QJsonObject json = record.toJson();
    const QJsonObject httpTransport = object(
        R"({"type": "streamable-http", "url": "https://mcp.example.com/mcp", "headers": {"X-Foo": "bar"}})");
    QCOMPARE(json.value(QLatin1String("transport")).toObject(), httpTransport);
    const QJsonObject headerCredential
        = object(R"({"type": "header", "name": "X-Api-Key", "configured": true})");
    QCOMPARE(json.value(QLatin1String("credential")).toObject(), headerCredential);

    record.transport.type = TransportType::Sse;
    record.transport.http.headers.clear();
    const QJsonObject sseTransport
        = object(R"({"type": "sse", "url": "https://mcp.example.com/mcp", "headers": {}})");
    QCOMPARE(record.toJson().value(QLatin1String("transport")).toObject(), sseTransport);
}

void TestServerRecord::noCredentialJson()
{
    ServerRecord record = stdioRecord();
    record.credentialType = CredentialType::None;
    record.credentialConfigured = false;
    const QJsonObject noneCredential = object(R"({"type": "none"})");
    QCOMPARE(record.toJson().value(QLatin1String("credential")).toObject(), noneCredential);
}

void TestServerRecord::inputJsonIsTheMergePatchBase()
{
    ServerRecord record = stdioRecord();
    record.description = QStringLiteral("d");
    const QJsonObject input = object(R"({
        "name": "github", "displayName": "GitHub", "description": "d",
        "transport": {"type": "stdio", "command": "/usr/bin/x", "args": ["a"], "env": {"K": "V"}, "cwd": "/tmp"},
        "tags": ["a"], "enabled": true})");
    QCOMPARE(record.toInputJson(), input);
    record.transport.stdio = StdioTransport {QStringLiteral("/bin/y"), {}, {}, {}};
    const QJsonObject bareInput = object(R"({"type": "stdio", "command": "/bin/y"})");
    QCOMPARE(record.toInputJson().value(QLatin1String("transport")).toObject(), bareInput);
}

void TestServerRecord::storedTransportRoundTrips_data()
{
    QTest::addColumn<QByteArray>("api");
    QTest::newRow("stdio") << QByteArray(
        R"({"type": "stdio", "command": "/usr/bin/x", "args": ["a", ""], "env": {"K": "V", "E": ""}, "cwd": "/srv"})");
    QTest::newRow("stdio bare") << QByteArray(
        R"({"type": "stdio", "command": "x", "args": [], "env": {}})");
    QTest::newRow("streamable-http") << QByteArray(
        R"({"type": "streamable-http", "url": "http://127.0.0.1:8080/mcp?a=b%20c", "headers": {"X-A": "1"}})");
    QTest::newRow("sse") << QByteArray(
        R"({"type": "sse", "url": "https://[::1]:9/sse", "headers": {}})");
}

void TestServerRecord::storedTransportRoundTrips()
{
    QFETCH(QByteArray, api);
    const QJsonObject expected = object(api);
    const auto type = parseTransportType(expected.value(QLatin1String("type")).toString());
    QVERIFY(type);
    const ServerTransport parsed = ServerTransport::fromStoredJson(*type, expected);
    QCOMPARE(parsed.toJson(), expected);
    const QJsonObject stored = parsed.toStoredJson();
    QVERIFY(!stored.contains(QLatin1String("type")));
    QCOMPARE(ServerTransport::fromStoredJson(*type, stored).toJson(), expected);
}

void TestServerRecord::typeNamesRoundTrip()
{
    for (const auto type :
         {TransportType::Stdio, TransportType::StreamableHttp, TransportType::Sse})
        QCOMPARE(parseTransportType(transportTypeName(type)), type);
    QCOMPARE(transportTypeName(TransportType::StreamableHttp), QStringLiteral("streamable-http"));
    QVERIFY(!parseTransportType(QStringLiteral("http")));
    for (const auto type : {CredentialType::None, CredentialType::Bearer, CredentialType::Header})
        QCOMPARE(parseCredentialType(credentialTypeName(type)), type);
    QVERIFY(!parseCredentialType(QStringLiteral("Bearer")));
}

void TestServerRecord::etagIsTheQuotedRevision()
{
    ServerRecord record = stdioRecord();
    QCOMPARE(record.etag(), QByteArray("\"3\""));
    record.revision = 12345678901LL;
    QCOMPARE(record.etag(), QByteArray("\"12345678901\""));
}

QTEST_GUILESS_MAIN(TestServerRecord)
#include "tst_serverrecord.moc"
