// The request pipeline: 404/405, authentication (401), permission (403), handler errors mapped to
// problem+json, and unexpected exceptions contained as 500.
#include "common/permissions.h"
#include "http/apierror.h"
#include "http/dispatcher.h"
#include "http/httpserver.h"
#include "http/router.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace mcpgate;
using namespace mcpgate::http;

namespace {
class TokenAuthenticator final : public RequestAuthenticator
{
public:
    Principal authenticate(const HttpRequest &request) override
    {
        const QByteArray header = request.headers.value("Authorization");
        if (header == "Bearer viewer") {
            Principal principal;
            principal.subject = QStringLiteral("key:viewer");
            principal.authMethod = QStringLiteral("api-key");
            principal.role = Role::Viewer;
            principal.permissions = permissions::defaultsFor(Role::Viewer);
            return principal;
        }
        throw ApiError::unauthorized(QStringLiteral("bad token"));
    }
};
} // namespace

class TestDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void statuses_data();
    void statuses();

private:
    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &token);

    Router m_router;
    TokenAuthenticator m_authenticator;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<HttpServer> m_server;
    QNetworkAccessManager m_network;
};

void TestDispatcher::initTestCase()
{
    m_router.add("GET", QStringLiteral("/open"), RoutePermission::open(),
                 [](RequestContext &context) {
                     context.exchange->respond(HttpResponse::text(200, "open"));
                 });
    m_router.add("GET", QStringLiteral("/read"), RoutePermission::require(permissions::ServersRead),
                 [](RequestContext &context) {
                     context.exchange->respond(
                         HttpResponse::text(200, context.principal.subject.toUtf8()));
                 });
    m_router.add(
        "POST", QStringLiteral("/read"), RoutePermission::require(permissions::ServersWrite),
        [](RequestContext &context) { context.exchange->respond(HttpResponse::empty(204)); });
    m_router.add(
        "GET", QStringLiteral("/conflict"), RoutePermission::require(permissions::ServersRead),
        [](RequestContext &) -> void { throw ApiError::conflict(QStringLiteral("taken")); });
    m_router.add("GET", QStringLiteral("/crash"),
                 RoutePermission::require(permissions::ServersRead),
                 [](RequestContext &) -> void { throw std::runtime_error("boom"); });
    m_router.validate();
    m_dispatcher = std::make_unique<Dispatcher>(m_router, m_authenticator);
    m_server = std::make_unique<HttpServer>(
        [this](const ExchangePtr &exchange) { m_dispatcher->dispatch(exchange); });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void TestDispatcher::cleanupTestCase()
{
    m_server.reset();
}

QNetworkReply *TestDispatcher::send(const QByteArray &method, const QString &path,
                                    const QByteArray &token)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->serverPort()).arg(path)));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    return m_network.sendCustomRequest(request, method);
}

void TestDispatcher::statuses_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("problemType");

    QTest::newRow("open without token")
        << QByteArray("GET") << QStringLiteral("/open") << QByteArray() << 200 << QString();
    QTest::newRow("no token") << QByteArray("GET") << QStringLiteral("/read") << QByteArray() << 401
                              << QStringLiteral("unauthorized");
    QTest::newRow("bad token") << QByteArray("GET") << QStringLiteral("/read") << QByteArray("nope")
                               << 401 << QStringLiteral("unauthorized");
    QTest::newRow("allowed") << QByteArray("GET") << QStringLiteral("/read") << QByteArray("viewer")
                             << 200 << QString();
    QTest::newRow("role lacks permission")
        << QByteArray("POST") << QStringLiteral("/read") << QByteArray("viewer") << 403
        << QStringLiteral("forbidden");
    QTest::newRow("unknown path") << QByteArray("GET") << QStringLiteral("/nope")
                                  << QByteArray("viewer") << 404 << QStringLiteral("not-found");
    QTest::newRow("wrong method") << QByteArray("DELETE") << QStringLiteral("/read")
                                  << QByteArray("viewer") << 405
                                  << QStringLiteral("method-not-allowed");
    QTest::newRow("typed error") << QByteArray("GET") << QStringLiteral("/conflict")
                                 << QByteArray("viewer") << 409 << QStringLiteral("conflict");
    QTest::newRow("unexpected exception")
        << QByteArray("GET") << QStringLiteral("/crash") << QByteArray("viewer") << 500
        << QStringLiteral("internal-error");
}

void TestDispatcher::statuses()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, token);
    QFETCH(int, status);
    QFETCH(QString, problemType);

    std::unique_ptr<QNetworkReply> reply(send(method, path, token));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    QVERIFY(reply->hasRawHeader("X-Request-Id"));
    const QByteArray body = reply->readAll();
    if (problemType.isEmpty())
        return;
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(),
             QStringLiteral("application/problem+json"));
    const QJsonObject problem = QJsonDocument::fromJson(body).object();
    QCOMPARE(problem.value(QStringLiteral("type")).toString(),
             QStringLiteral("https://mcpgate.dev/problems/") + problemType);
    QCOMPARE(problem.value(QStringLiteral("status")).toInt(), status);
    QCOMPARE(problem.value(QStringLiteral("requestId")).toString().toLatin1(),
             reply->rawHeader("X-Request-Id"));
    if (status == 401)
        QCOMPARE(reply->rawHeader("WWW-Authenticate"), QByteArray("Bearer realm=\"mcpgate\""));
    if (status == 405)
        QCOMPARE(reply->rawHeader("Allow"), QByteArray("GET, POST, HEAD"));
    if (status == 500)
        QVERIFY(!body.contains("boom"));
}

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
