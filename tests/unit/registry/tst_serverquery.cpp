// ServerQuery: parsing the list endpoint's URL query, and the keyset cursor format.
#include "registry/serverquery.h"
#include "registry/validationerror.h"

#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

using namespace mcpgate::registry;

Q_DECLARE_METATYPE(mcpgate::registry::ServerSortKey)

namespace {

QStringList errorFields(const QString &query)
{
    try {
        ServerQuery::fromUrlQuery(QUrlQuery(query));
    } catch (const ValidationError &error) {
        QStringList fields;
        for (const QJsonValue &entry : error.fieldErrors())
            fields.append(entry.toObject().value(QLatin1String("field")).toString());
        return fields;
    }
    return {QStringLiteral("<no error>")};
}

QString cursorFor(const QString &sort)
{
    return ServerCursor {sort, QStringLiteral("github"), QStringLiteral("id-1")}.encode();
}

QString base64Url(const QByteArray &data)
{
    return QString::fromLatin1(
        data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

class TestServerQuery : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void readsEveryParameter();
    void readsSortOrders_data();
    void readsSortOrders();
    void rejectsBadParameters_data();
    void rejectsBadParameters();
    void collectsAllErrors();
    void cursorRoundTrips();
    void cursorIsUrlSafe();
    void cursorDecodeRejectsOtherSortsAndGarbage();
};

void TestServerQuery::defaults()
{
    const ServerQuery query = ServerQuery::fromUrlQuery(QUrlQuery());
    QCOMPARE(query.limit, 50);
    QCOMPARE(query.cursor, QString());
    QVERIFY(!query.tag);
    QVERIFY(!query.transport);
    QVERIFY(!query.enabled);
    QCOMPARE(query.text, QString());
    QCOMPARE(query.sort, ServerSortKey::Name);
    QCOMPARE(query.descending, false);
    QCOMPARE(query.sortName(), QStringLiteral("name"));
}

void TestServerQuery::readsEveryParameter()
{
    const QString cursor = cursorFor(QStringLiteral("-updatedAt"));
    const ServerQuery query = ServerQuery::fromUrlQuery(
        QUrlQuery(QStringLiteral("limit=200&tag=prod.eu&transport=streamable-http&enabled=false"
                                 "&q=Git%20Hub%25&sort=-updatedAt&cursor=")
                  + cursor));
    QCOMPARE(query.limit, 200);
    QCOMPARE(query.tag, QStringLiteral("prod.eu"));
    QCOMPARE(query.transport, TransportType::StreamableHttp);
    QCOMPARE(query.enabled, false);
    QCOMPARE(query.text, QStringLiteral("Git Hub%"));
    QCOMPARE(query.sort, ServerSortKey::UpdatedAt);
    QCOMPARE(query.descending, true);
    QCOMPARE(query.cursor, cursor);

    QCOMPARE(ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("limit=1&enabled=true"))).enabled,
             true);
    QCOMPARE(ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("transport=sse"))).transport,
             TransportType::Sse);
    QCOMPARE(ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("transport=stdio"))).transport,
             TransportType::Stdio);
    QCOMPARE(ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("q="))).text, QString());
}

void TestServerQuery::readsSortOrders_data()
{
    QTest::addColumn<QString>("sort");
    QTest::addColumn<ServerSortKey>("key");
    QTest::addColumn<bool>("descending");
    QTest::newRow("name") << QStringLiteral("name") << ServerSortKey::Name << false;
    QTest::newRow("-name") << QStringLiteral("-name") << ServerSortKey::Name << true;
    QTest::newRow("createdAt") << QStringLiteral("createdAt") << ServerSortKey::CreatedAt << false;
    QTest::newRow("-createdAt") << QStringLiteral("-createdAt") << ServerSortKey::CreatedAt << true;
    QTest::newRow("updatedAt") << QStringLiteral("updatedAt") << ServerSortKey::UpdatedAt << false;
    QTest::newRow("-updatedAt") << QStringLiteral("-updatedAt") << ServerSortKey::UpdatedAt << true;
}

void TestServerQuery::readsSortOrders()
{
    QFETCH(QString, sort);
    QFETCH(ServerSortKey, key);
    QFETCH(bool, descending);
    const ServerQuery query = ServerQuery::fromUrlQuery(QUrlQuery(QStringLiteral("sort=") + sort));
    QCOMPARE(query.sort, key);
    QCOMPARE(query.descending, descending);
    QCOMPARE(query.sortName(), sort);
    // A cursor made for this order is accepted with it.
    const QString withCursor
        = QStringLiteral("sort=") + sort + QStringLiteral("&cursor=") + cursorFor(sort);
    QCOMPARE(errorFields(withCursor), QStringList {QStringLiteral("<no error>")});
}

void TestServerQuery::rejectsBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("fields");
    const QStringList limit {QStringLiteral("limit")};
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << limit;
    QTest::newRow("limit 201") << QStringLiteral("limit=201") << limit;
    QTest::newRow("limit negative") << QStringLiteral("limit=-1") << limit;
    QTest::newRow("limit text") << QStringLiteral("limit=ten") << limit;
    QTest::newRow("limit fraction") << QStringLiteral("limit=1.5") << limit;
    QTest::newRow("limit empty") << QStringLiteral("limit=") << limit;
    QTest::newRow("limit huge") << QStringLiteral("limit=99999999999") << limit;
    QTest::newRow("limit with space") << QStringLiteral("limit=%2010") << limit;
    QTest::newRow("transport unknown")
        << QStringLiteral("transport=http") << QStringList {QStringLiteral("transport")};
    QTest::newRow("enabled yes") << QStringLiteral("enabled=yes")
                                 << QStringList {QStringLiteral("enabled")};
    QTest::newRow("enabled 1") << QStringLiteral("enabled=1")
                               << QStringList {QStringLiteral("enabled")};
    QTest::newRow("enabled upper case")
        << QStringLiteral("enabled=TRUE") << QStringList {QStringLiteral("enabled")};
    QTest::newRow("tag upper case")
        << QStringLiteral("tag=Prod") << QStringList {QStringLiteral("tag")};
    QTest::newRow("tag empty") << QStringLiteral("tag=") << QStringList {QStringLiteral("tag")};
    QTest::newRow("q too long") << QStringLiteral("q=") + QString(201, QLatin1Char('x'))
                                << QStringList {QStringLiteral("q")};
    const QStringList sort {QStringLiteral("sort")};
    QTest::newRow("sort unknown") << QStringLiteral("sort=size") << sort;
    QTest::newRow("sort double dash") << QStringLiteral("sort=--name") << sort;
    QTest::newRow("sort wrong case") << QStringLiteral("sort=createdat") << sort;
    QTest::newRow("sort plus") << QStringLiteral("sort=%2Bname") << sort;
    QTest::newRow("sort column name") << QStringLiteral("sort=created_at") << sort;
    QTest::newRow("unknown parameter")
        << QStringLiteral("page=2") << QStringList {QStringLiteral("page")};
    QTest::newRow("offset is not supported")
        << QStringLiteral("offset=10") << QStringList {QStringLiteral("offset")};
    QTest::newRow("repeated parameter")
        << QStringLiteral("tag=a&tag=b") << QStringList {QStringLiteral("tag")};

    const QStringList cursor {QStringLiteral("cursor")};
    QTest::newRow("cursor not base64") << QStringLiteral("cursor=%21%21%21") << cursor;
    QTest::newRow("cursor not JSON") << QStringLiteral("cursor=") + base64Url("hello") << cursor;
    QTest::newRow("cursor JSON array")
        << QStringLiteral("cursor=") + base64Url(R"(["name","a","b"])") << cursor;
    QTest::newRow("cursor missing id")
        << QStringLiteral("cursor=") + base64Url(R"({"s":"name","v":"a"})") << cursor;
    QTest::newRow("cursor empty id")
        << QStringLiteral("cursor=") + base64Url(R"({"s":"name","v":"a","i":""})") << cursor;
    QTest::newRow("cursor value not a string")
        << QStringLiteral("cursor=") + base64Url(R"({"s":"name","v":1,"i":"x"})") << cursor;
    QTest::newRow("cursor extra member")
        << QStringLiteral("cursor=") + base64Url(R"({"s":"name","v":"a","i":"x","o":5})") << cursor;
    QTest::newRow("cursor for another sort")
        << QStringLiteral("sort=createdAt&cursor=") + cursorFor(QStringLiteral("name")) << cursor;
    QTest::newRow("cursor for the other direction")
        << QStringLiteral("sort=-name&cursor=") + cursorFor(QStringLiteral("name")) << cursor;
    QTest::newRow("cursor for a non-default sort, default sort")
        << QStringLiteral("cursor=") + cursorFor(QStringLiteral("-updatedAt")) << cursor;
    QTest::newRow("cursor too long")
        << QStringLiteral("cursor=") + QString(3000, QLatin1Char('A')) << cursor;
    // A bad sort makes the cursor uncheckable: only the sort is reported.
    QTest::newRow("bad sort with cursor")
        << QStringLiteral("sort=size&cursor=") + cursorFor(QStringLiteral("name")) << sort;
}

void TestServerQuery::rejectsBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QStringList, fields);
    QCOMPARE(errorFields(query), fields);
}

void TestServerQuery::collectsAllErrors()
{
    QStringList fields
        = errorFields(QStringLiteral("limit=0&transport=x&enabled=maybe&sort=x&foo=1&tag=_"));
    fields.sort();
    QCOMPARE(
        fields,
        (QStringList {QStringLiteral("enabled"), QStringLiteral("foo"), QStringLiteral("limit"),
                      QStringLiteral("sort"), QStringLiteral("tag"), QStringLiteral("transport")}));
}

void TestServerQuery::cursorRoundTrips()
{
    const ServerCursor cursor {QStringLiteral("-createdAt"),
                               QStringLiteral("2026-11-29T08:00:00.000Z"),
                               QStringLiteral("0b7f0e7e-1c1d-4a39-a1c4-0e9f65b7f5a1")};
    const ServerCursor decoded
        = ServerCursor::decode(cursor.encode(), QStringLiteral("-createdAt"));
    QCOMPARE(decoded.sort, cursor.sort);
    QCOMPARE(decoded.lastValue, cursor.lastValue);
    QCOMPARE(decoded.lastId, cursor.lastId);

    const ServerCursor unicode {QStringLiteral("name"), QStringLiteral("\u00e9\u00e8/+?&="),
                                QStringLiteral("x")};
    QCOMPARE(ServerCursor::decode(unicode.encode(), QStringLiteral("name")).lastValue,
             unicode.lastValue);
}

void TestServerQuery::cursorIsUrlSafe()
{
    for (int i = 0; i < 50; ++i) {
        const QString cursor = ServerCursor {QStringLiteral("name"),
                                             QString(i, QChar(u'\u00ff')) + QStringLiteral("?>"),
                                             QStringLiteral("id")}
                                   .encode();
        for (const QChar c : cursor)
            QVERIFY2(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'),
                     qPrintable(cursor));
    }
}

void TestServerQuery::cursorDecodeRejectsOtherSortsAndGarbage()
{
    const QString cursor = cursorFor(QStringLiteral("updatedAt"));
    QVERIFY_THROWS_EXCEPTION(ValidationError, ServerCursor::decode(cursor, QStringLiteral("name")));
    QVERIFY_THROWS_EXCEPTION(ValidationError,
                             ServerCursor::decode(QString(), QStringLiteral("name")));
    QVERIFY_THROWS_EXCEPTION(
        ValidationError,
        ServerCursor::decode(QStringLiteral("\u00e9\u00e9\u00e9\u00e9"), QStringLiteral("name")));
    QCOMPARE(ServerCursor::decode(cursor, QStringLiteral("updatedAt")).lastId,
             QStringLiteral("id-1"));
}

QTEST_GUILESS_MAIN(TestServerQuery)
#include "tst_serverquery.moc"
