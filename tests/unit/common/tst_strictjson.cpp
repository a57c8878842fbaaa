// Strict JSON parsing: what QJsonDocument accepts but JSON (and the gateway) must not.
#include "common/strictjson.h"

#include <QJsonObject>
#include <QTest>

using mcpgate::json::parseStrict;
using Problem = mcpgate::json::StrictParseResult::Problem;

class TestStrictJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void duplicatesMayBeAllowed();
};

void TestStrictJson::verdicts_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("problem");
    QTest::newRow("object") << QByteArray(R"({"a":1,"b":{"c":[1,{"d":2}]}})") << int(Problem::None);
    QTest::newRow("array") << QByteArray(R"([{"a":1},{"a":2}])") << int(Problem::None);
    QTest::newRow("colon inside string") << QByteArray(R"({"a":"x:y:z"})") << int(Problem::None);
    QTest::newRow("escaped quote")
        << QByteArray(R"({"a":"say \"hi\": now"})") << int(Problem::None);
    QTest::newRow("escaped control") << QByteArray(R"({"a":"tab\there"})") << int(Problem::None);
    QTest::newRow("raw tab") << QByteArray("{\"a\":\"tab\there\"}")
                             << int(Problem::ControlCharacter);
    QTest::newRow("raw newline") << QByteArray("{\"a\":\"x\ny\"}")
                                 << int(Problem::ControlCharacter);
    QTest::newRow("syntax") << QByteArray(R"({"a":)") << int(Problem::Syntax);
    QTest::newRow("duplicate top-level")
        << QByteArray(R"({"name":"a","name":"b"})") << int(Problem::DuplicateKey);
    QTest::newRow("duplicate nested")
        << QByteArray(R"({"x":[{"k":1,"k":2}]})") << int(Problem::DuplicateKey);
}

void TestStrictJson::verdicts()
{
    QFETCH(QByteArray, input);
    QFETCH(int, problem);
    const auto result = parseStrict(input);
    QCOMPARE(int(result.problem), problem);
    QCOMPARE(result.ok(), problem == int(Problem::None));
    if (!result.ok()) {
        QVERIFY(!result.detail.isEmpty());
        QVERIFY(result.document.isNull());
    } else {
        QVERIFY(!result.document.isNull());
    }
}

void TestStrictJson::duplicatesMayBeAllowed()
{
    const auto result = parseStrict(R"({"name":"a","name":"b"})", false);
    QVERIFY(result.ok());
    QCOMPARE(result.document.object().value(QStringLiteral("name")).toString(),
             QStringLiteral("b"));
}

QTEST_GUILESS_MAIN(TestStrictJson)
#include "tst_strictjson.moc"
