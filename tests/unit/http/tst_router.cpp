// Route matching, HEAD fallback, 405 lists and the start-up check that every route declares a
// permission.
#include "http/router.h"

#include <QTest>

#include <stdexcept>

using namespace mcpgate::http;

class TestRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesLiteralAndParameters();
    void headFallsBackToGet();
    void wrongMethodListsAllowedMethods();
    void unknownPathMatchesNothing();
    void emptyParameterDoesNotMatch();
    void validateRefusesUndeclaredPermission();
    void validateRefusesDuplicatesAndBadPatterns();
    void validateAcceptsAGoodTable();
};

namespace {
RouteHandler noop()
{
    return [](RequestContext &) {};
}
} // namespace

void TestRouter::matchesLiteralAndParameters()
{
    Router router;
    router.add("GET", QStringLiteral("/api/v1/servers"), RoutePermission::require("servers.read"),
               noop());
    router.add("GET", QStringLiteral("/api/v1/servers/{id}"),
               RoutePermission::require("servers.read"), noop());
    router.add("GET", QStringLiteral("/api/v1/servers/{id}/tools/{tool}"),
               RoutePermission::require("servers.read"), noop());

    auto match = router.match("GET", QStringLiteral("/api/v1/servers"));
    QVERIFY(match.route);
    QCOMPARE(match.route->pattern, QStringLiteral("/api/v1/servers"));
    QVERIFY(match.parameters.isEmpty());

    match = router.match("GET", QStringLiteral("/api/v1/servers/abc"));
    QVERIFY(match.route);
    QCOMPARE(match.parameters.value(QStringLiteral("id")), QStringLiteral("abc"));

    match = router.match("GET", QStringLiteral("/api/v1/servers/abc/tools/echo"));
    QVERIFY(match.route);
    QCOMPARE(match.parameters.value(QStringLiteral("id")), QStringLiteral("abc"));
    QCOMPARE(match.parameters.value(QStringLiteral("tool")), QStringLiteral("echo"));
}

void TestRouter::headFallsBackToGet()
{
    Router router;
    router.add("GET", QStringLiteral("/healthz"), RoutePermission::open(), noop());
    const auto match = router.match("HEAD", QStringLiteral("/healthz"));
    QVERIFY(match.route);
    QCOMPARE(match.route->method, QByteArray("GET"));
}

void TestRouter::wrongMethodListsAllowedMethods()
{
    Router router;
    router.add("GET", QStringLiteral("/items/{id}"), RoutePermission::require("x.read"), noop());
    router.add("DELETE", QStringLiteral("/items/{id}"), RoutePermission::require("x.delete"),
               noop());
    const auto match = router.match("POST", QStringLiteral("/items/7"));
    QVERIFY(!match.route);
    QCOMPARE(match.allowedMethods, (QList<QByteArray> {"GET", "DELETE", "HEAD"}));
}

void TestRouter::unknownPathMatchesNothing()
{
    Router router;
    router.add("GET", QStringLiteral("/items"), RoutePermission::open(), noop());
    const auto match = router.match("GET", QStringLiteral("/items/extra"));
    QVERIFY(!match.route);
    QVERIFY(match.allowedMethods.isEmpty());
    QVERIFY(!router.match("GET", QStringLiteral("/items/")).route);
}

void TestRouter::emptyParameterDoesNotMatch()
{
    Router router;
    router.add("GET", QStringLiteral("/items/{id}"), RoutePermission::open(), noop());
    QVERIFY(!router.match("GET", QStringLiteral("/items/")).route);
}

void TestRouter::validateRefusesUndeclaredPermission()
{
    Router router;
    router.add("GET", QStringLiteral("/open"), RoutePermission::open(), noop());
    router.add("GET", QStringLiteral("/secret"), RoutePermission::require(QString()), noop());
    try {
        router.validate();
        QFAIL("a route without a permission was accepted");
    } catch (const std::invalid_argument &error) {
        QVERIFY(QByteArray(error.what()).contains("GET /secret: declares no permission"));
        QVERIFY(!QByteArray(error.what()).contains("/open"));
    }
}

void TestRouter::validateRefusesDuplicatesAndBadPatterns()
{
    Router router;
    router.add("GET", QStringLiteral("/a"), RoutePermission::open(), noop());
    router.add("GET", QStringLiteral("/a"), RoutePermission::open(), noop());
    router.add("GET", QStringLiteral("b/{x y}"), RoutePermission::open(), noop());
    router.add("GET", QStringLiteral("/c"), RoutePermission::open(), RouteHandler());
    try {
        router.validate();
        QFAIL("a bad table was accepted");
    } catch (const std::invalid_argument &error) {
        const QByteArray what(error.what());
        QVERIFY(what.contains("GET /a: registered twice"));
        QVERIFY(what.contains("must start with '/'"));
        QVERIFY(what.contains("malformed parameter"));
        QVERIFY(what.contains("GET /c: has no handler"));
    }
}

void TestRouter::validateAcceptsAGoodTable()
{
    Router router;
    router.add("GET", QStringLiteral("/a/{id}"), RoutePermission::require("a.read"), noop());
    router.add("PATCH", QStringLiteral("/a/{id}"), RoutePermission::require("a.write"), noop());
    router.validate();
    QCOMPARE(router.routes().size(), 2);
}

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
