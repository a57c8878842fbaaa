// The published API document and the daemon's route table must describe the same API: a route
// missing from the document, or a documented route that does not exist, fails here.
#include "api/restapi.h"
#include "api/systemcontroller.h"
#include "http/router.h"
#include "registry/serverrepository.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/secretbox.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace mcpgate;

class TestOpenApiRoutes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documentMatchesRouteTable();
    void servedDocumentIsTheSourceDocument();
};

void TestOpenApiRoutes::documentMatchesRouteTable()
{
    QTemporaryDir dir;
    qputenv("MCPGATE_SECRET_KEY", "");
    auto database = storage::Database::open(dir.filePath(QStringLiteral("routes.db")));
    storage::Migrator::migrate(*database);
    auto secrets = storage::SecretBox::load(dir.filePath(QStringLiteral("secret.key")));
    registry::ServerRepository servers(*database, *secrets);
    http::Router router;
    api::RestApi api(*database, servers);
    api.registerRoutes(router);
    router.validate();

    QSet<QString> routes;
    for (const http::Route &route : router.routes())
        routes.insert(QString::fromLatin1(route.method).toLower() + u' ' + route.pattern);

    QFile file(QStringLiteral(MCPGATE_SOURCE_DIR "/resources/openapi.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject paths = QJsonDocument::fromJson(file.readAll())
                                  .object()
                                  .value(QStringLiteral("paths"))
                                  .toObject();
    QVERIFY(!paths.isEmpty());
    static const QStringList methods {QStringLiteral("get"),    QStringLiteral("put"),
                                      QStringLiteral("post"),   QStringLiteral("delete"),
                                      QStringLiteral("patch"),  QStringLiteral("head"),
                                      QStringLiteral("options")};
    QSet<QString> documented;
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
            if (methods.contains(operation.key()))
                documented.insert(operation.key() + u' ' + path.key());
        }
    }
    const QSet<QString> undocumented = routes - documented;
    const QSet<QString> phantom = documented - routes;
    QVERIFY2(
        undocumented.isEmpty(),
        qPrintable(
            QStringLiteral("routes missing from openapi.json: ")
            + QStringList(undocumented.cbegin(), undocumented.cend()).join(QStringLiteral(", "))));
    QVERIFY2(
        phantom.isEmpty(),
        qPrintable(QStringLiteral("documented routes that do not exist: ")
                   + QStringList(phantom.cbegin(), phantom.cend()).join(QStringLiteral(", "))));
}

void TestOpenApiRoutes::servedDocumentIsTheSourceDocument()
{
    QFile file(QStringLiteral(MCPGATE_SOURCE_DIR "/resources/openapi.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(api::SystemController::openApiDocument(), file.readAll());
}

QTEST_GUILESS_MAIN(TestOpenApiRoutes)
#include "tst_openapiroutes.moc"
