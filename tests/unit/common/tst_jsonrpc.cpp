#include "common/jsonrpc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace mcpgate::jsonrpc;

class TestJsonRpc : public QObject
{
    Q_OBJECT

private:
    static Message single(const QByteArray &json)
    {
        const ParseResult result = parse(json);
        if (!result.errors.isEmpty() || result.messages.size() != 1)
            qWarning() << "unexpected parse outcome for" << json << result.errors.size()
                       << result.messages.size();
        return result.messages.value(0);
    }
    // The one error an input produced.
    static Message errorOf(const QByteArray &json, const ParseOptions &options = {})
    {
        const ParseResult result = parse(json, options);
        if (!result.messages.isEmpty() || result.errors.size() != 1)
            qWarning() << "expected exactly one error for" << json;
        return result.errors.value(0);
    }

private Q_SLOTS:
    void parsesRequest()
    {
        const Message m
            = single(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
        QCOMPARE(m.kind, MessageKind::Request);
        QVERIFY(m.isRequest());
        QVERIFY(!m.isNotification());
        QVERIFY(!m.isResponse());
        QCOMPARE(m.id.toInteger(), 7);
        QCOMPARE(m.method, QStringLiteral("tools/list"));
        QCOMPARE(m.paramsObject().value(QLatin1String("cursor")).toString(), QStringLiteral("x"));
    }

    void parsesNotificationWithoutParams()
    {
        const Message m = single(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        QCOMPARE(m.kind, MessageKind::Notification);
        QVERIFY(m.isNotification());
        QVERIFY(m.id.isUndefined());
        QVERIFY(m.params.isUndefined());
        QVERIFY(m.paramsObject().isEmpty());
    }

    void acceptsPositionalParams()
    {
        const Message m = single(R"({"jsonrpc":"2.0","id":"a","method":"sum","params":[1,2]})");
        QVERIFY(m.params.isArray());
        QVERIFY(m.paramsObject().isEmpty());
    }

    void parsesResponses()
    {
        const Message result = single(R"({"jsonrpc":"2.0","id":"r1","result":{"ok":true}})");
        QCOMPARE(result.kind, MessageKind::Response);
        QVERIFY(result.isResponse());
        QCOMPARE(result.id.toString(), QStringLiteral("r1"));
        QCOMPARE(result.result.toObject().value(QLatin1String("ok")).toBool(), true);

        const Message nullResult = single(R"({"jsonrpc":"2.0","id":1,"result":null})");
        QCOMPARE(nullResult.kind, MessageKind::Response);
        QVERIFY(nullResult.result.isNull());

        const Message error = single(
            R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"nope","data":[1]}})");
        QCOMPARE(error.kind, MessageKind::ErrorResponse);
        QVERIFY(error.isResponse());
        QCOMPARE(error.id.toInteger(), 3);
        QCOMPARE(error.errorCode, -32601);
        QCOMPARE(error.errorMessage, QStringLiteral("nope"));
        QCOMPARE(error.errorData.toArray(), QJsonArray {1});

        const Message noData
            = single(R"({"jsonrpc":"2.0","id":3,"error":{"code":1,"message":""}})");
        QVERIFY(noData.errorData.isUndefined());
    }

    void errorResponseMayLackId()
    {
        const Message nullId
            = single(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}})");
        QCOMPARE(nullId.kind, MessageKind::ErrorResponse);
        QVERIFY(nullId.id.isNull());
        const Message noId = single(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"x"}})");
        QCOMPARE(noId.kind, MessageKind::ErrorResponse);
        QVERIFY(noId.id.isNull());
    }

    void keepsLargeIntegerIds_data()
    {
        QTest::addColumn<QByteArray>("literal");
        QTest::addColumn<qint64>("value");
        QTest::newRow("above 2^31") << QByteArray("4294967297") << qint64(4294967297LL);
        QTest::newRow("above 2^53") << QByteArray("9007199254740993") << qint64(9007199254740993LL);
        QTest::newRow("int64 max")
            << QByteArray("9223372036854775807") << qint64(9223372036854775807LL);
        QTest::newRow("negative") << QByteArray("-12") << qint64(-12);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
    }
    void keepsLargeIntegerIds()
    {
        QFETCH(QByteArray, literal);
        QFETCH(qint64, value);
        const Message m = single(R"({"jsonrpc":"2.0","id":)" + literal + R"(,"method":"m"})");
        QCOMPARE(m.id.toInteger(), value);
        const QByteArray out = serialize(makeResult(m.id, QJsonObject {}));
        QVERIFY2(out.contains(QByteArray(R"("id":)" + literal + ",")), out.constData());
    }

    void rejectsBadRequestIds_data()
    {
        QTest::addColumn<QByteArray>("id");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("fraction") << QByteArray("1.5");
        QTest::newRow("beyond int64") << QByteArray("9223372036854775808");
        QTest::newRow("bool") << QByteArray("true");
        QTest::newRow("object") << QByteArray("{}");
        QTest::newRow("array") << QByteArray("[1]");
    }
    void rejectsBadRequestIds()
    {
        QFETCH(QByteArray, id);
        const Message error = errorOf(R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"m"})");
        QCOMPARE(error.kind, MessageKind::ErrorResponse);
        QCOMPARE(error.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(error.id.isNull()); // an unreadable id is never echoed
        const Message response = errorOf(R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{}})");
        QCOMPARE(response.errorCode, ErrorCode::InvalidRequest);
    }

    void rejectsMalformedMessages_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("echoesId");
        QTest::newRow("no jsonrpc") << QByteArray(R"({"id":1,"method":"m"})") << true;
        QTest::newRow("jsonrpc 1.0")
            << QByteArray(R"({"jsonrpc":"1.0","id":1,"method":"m"})") << true;
        QTest::newRow("jsonrpc number")
            << QByteArray(R"({"jsonrpc":2.0,"id":1,"method":"m"})") << true;
        QTest::newRow("method not string")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":5})") << true;
        QTest::newRow("params scalar")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"m","params":3})") << true;
        QTest::newRow("params null")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"m","params":null})") << true;
        QTest::newRow("method and result")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"m","result":{}})") << true;
        QTest::newRow("method and error") << QByteArray(
            R"({"jsonrpc":"2.0","id":1,"method":"m","error":{"code":1,"message":"x"}})")
                                          << true;
        QTest::newRow("nothing") << QByteArray(R"({"jsonrpc":"2.0","id":1})") << true;
        QTest::newRow("result and error") << QByteArray(
            R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"x"}})")
                                          << true;
        QTest::newRow("result without id")
            << QByteArray(R"({"jsonrpc":"2.0","result":{}})") << false;
        QTest::newRow("error not object")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":"bad"})") << true;
        QTest::newRow("error code string")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":"1","message":"x"}})") << true;
        QTest::newRow("error code fraction")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"x"}})") << true;
        QTest::newRow("error code beyond int")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":4294967296,"message":"x"}})")
            << true;
        QTest::newRow("error without message")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":1}})") << true;
        QTest::newRow("error id bool")
            << QByteArray(R"({"jsonrpc":"2.0","id":false,"error":{"code":1,"message":"x"}})")
            << false;
    }
    void rejectsMalformedMessages()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, echoesId);
        const ParseResult result = parse(json);
        QVERIFY(!result.isValid());
        QVERIFY(!result.batch);
        QCOMPARE(result.messages.size(), 0);
        QCOMPARE(result.errors.size(), 1);
        const Message &error = result.errors.first();
        QCOMPARE(error.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(error.errorMessage.startsWith(QLatin1String("Invalid Request")));
        if (echoesId)
            QCOMPARE(error.id.toInteger(), 1);
        else
            QVERIFY(error.id.isNull());
    }

    void rejectsInvalidJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("garbage") << QByteArray("hello");
        QTest::newRow("truncated") << QByteArray("{\"jsonrpc\":\"2.0\",\"id\":1,\"meth");
        QTest::newRow("trailing garbage") << QByteArray(R"({"jsonrpc":"2.0","method":"m"} x)");
        QTest::newRow("two documents") << QByteArray(R"({"jsonrpc":"2.0","method":"m"}{"a":1})");
        QTest::newRow("scalar") << QByteArray("42");
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("invalid utf-8")
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}");
        QTest::newRow("overlong utf-8")
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"\xc0\xaf\"}");
        QTest::newRow("raw tab in string")
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"a\tb\"}");
        QTest::newRow("raw newline in string")
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"a\nb\"}");
        static const char withNul[] = "{\"jsonrpc\":\"2.0\",\"method\":\"a\0b\"}";
        QTest::newRow("raw NUL in string") << QByteArray(withNul, sizeof withNul - 1);
        QTest::newRow("raw 0x1f in key")
            << QByteArray("{\"json\x1frpc\":\"2.0\",\"method\":\"m\"}");
        QTest::newRow("control char after escaped quote")
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"a\\\"\x01\"}");
    }
    void rejectsInvalidJson()
    {
        QFETCH(QByteArray, json);
        const Message error = errorOf(json);
        QCOMPARE(error.kind, MessageKind::ErrorResponse);
        QCOMPARE(error.errorCode, ErrorCode::ParseError);
        QVERIFY(error.errorMessage.startsWith(QLatin1String("Parse error")));
        QVERIFY(error.id.isNull());
    }

    void acceptsWhitespaceAndEscapes()
    {
        // Raw tabs and newlines between tokens are JSON whitespace; escaped ones inside strings
        // are ordinary characters.
        const Message m
            = single("{\n\t\"jsonrpc\" : \"2.0\",\r\n \"method\":\"a\\tb\\n\\u0001\"\n}");
        QCOMPARE(m.method, QStringLiteral("a\tb\n\x01"));
        const Message quoted
            = single("{\"jsonrpc\":\"2.0\",\"method\":\"he said \\\"x: y\\\" \\\\\"}");
        QCOMPARE(quoted.method, QStringLiteral("he said \"x: y\" \\"));
    }

    void rejectsDuplicateKeys_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("top level") << QByteArray(
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","method":"tools/list"})");
        QTest::newRow("nested") << QByteArray(
            R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","name":"b"}})");
        QTest::newRow("inside array") << QByteArray(
            R"({"jsonrpc":"2.0","id":1,"method":"m","params":[{"k":1},{"k":1,"k":2}]})");
    }
    void rejectsDuplicateKeys()
    {
        QFETCH(QByteArray, json);
        const Message error = errorOf(json);
        QCOMPARE(error.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(error.errorMessage.contains(QLatin1String("duplicate")));

        ParseOptions lenient;
        lenient.rejectDuplicateKeys = false;
        QVERIFY(parse(json, lenient).isValid());
    }

    void colonsInsideStringsAreNotKeys()
    {
        const Message m = single(
            R"({"jsonrpc":"2.0","method":"a:b","params":{"u:r:i":"x:y:z","n":[":",{"k":":"}]}})");
        QCOMPARE(m.method, QStringLiteral("a:b"));
        QCOMPARE(m.paramsObject().value(QLatin1String("u:r:i")).toString(),
                 QStringLiteral("x:y:z"));
    }

    void enforcesSizeLimit()
    {
        ParseOptions options;
        options.maxBytes = 40;
        const QByteArray fits = R"({"jsonrpc":"2.0","method":"m"})";
        QVERIFY(parse(fits, options).isValid());
        const QByteArray tooBig = R"({"jsonrpc":"2.0","method":"mmmmmmmmmmmmmmmmmmmmmmmm"})";
        const Message error = errorOf(tooBig, options);
        QCOMPARE(error.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(error.errorMessage.contains(QLatin1String("40")));
    }

    void parsesBatch()
    {
        const ParseResult result = parse(R"([{"jsonrpc":"2.0","id":1,"method":"a"},
                                              {"jsonrpc":"2.0","method":"b"},
                                              {"jsonrpc":"2.0","id":2,"method":7},
                                              5,
                                              {"jsonrpc":"2.0","id":3,"result":{}}])");
        QVERIFY(result.batch);
        QVERIFY(!result.isValid());
        QCOMPARE(result.messages.size(), 3);
        QCOMPARE(result.messages.at(0).method, QStringLiteral("a"));
        QCOMPARE(result.messages.at(1).kind, MessageKind::Notification);
        QCOMPARE(result.messages.at(2).kind, MessageKind::Response);
        QCOMPARE(result.errors.size(), 2);
        QCOMPARE(result.errors.at(0).id.toInteger(), 2);
        QVERIFY(result.errors.at(1).id.isNull());
    }

    void refusesWholeBatches()
    {
        const Message empty = errorOf("[]");
        QCOMPARE(empty.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(!parse("[]").batch);

        ParseOptions noBatches;
        noBatches.allowBatch = false;
        const Message refused = errorOf(R"([{"jsonrpc":"2.0","method":"a"}])", noBatches);
        QCOMPARE(refused.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(refused.errorMessage.contains(QLatin1String("batch")));

        ParseOptions small;
        small.maxBatchSize = 2;
        const QByteArray three
            = R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"a"}])";
        QCOMPARE(errorOf(three, small).errorCode, ErrorCode::InvalidRequest);
        QCOMPARE(parse(three).messages.size(), 3);
    }

    void serializesEachKind()
    {
        QCOMPARE(serialize(makeRequest(1, QStringLiteral("ping"))),
                 QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"));
        QCOMPARE(
            serialize(makeRequest(QStringLiteral("x\"y"), QStringLiteral("m"),
                                  QJsonObject {{QStringLiteral("a"), 1}})),
            QByteArray(
                "{\"jsonrpc\":\"2.0\",\"id\":\"x\\\"y\",\"method\":\"m\",\"params\":{\"a\":1}}"));
        QCOMPARE(serialize(makeNotification(QStringLiteral("n"), QJsonArray {1, 2})),
                 QByteArray(R"({"jsonrpc":"2.0","method":"n","params":[1,2]})"));
        QCOMPARE(serialize(makeResult(QStringLiteral("r"), QJsonObject {})),
                 QByteArray(R"({"jsonrpc":"2.0","id":"r","result":{}})"));
        QCOMPARE(
            serialize(makeError(5, ErrorCode::MethodNotFound, QStringLiteral("Method not found"))),
            QByteArray(
                R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"Method not found"}})"));
        QCOMPARE(
            serialize(makeError(5, -1, QStringLiteral("m"),
                                QJsonObject {{QStringLiteral("k"), QStringLiteral("v")}})),
            QByteArray(
                R"({"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"m","data":{"k":"v"}}})"));
    }

    void serializesUnreadableIdByOmittingIt()
    {
        const QByteArray out = serialize(
            makeError(QJsonValue::Null, ErrorCode::ParseError, QStringLiteral("Parse error")));
        QCOMPARE(
            out,
            QByteArray(R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}})"));
        const Message undefinedId
            = makeError(QJsonValue(QJsonValue::Undefined), 1, QStringLiteral("x"));
        QVERIFY(undefinedId.id.isNull());
        QVERIFY(!toJson(undefinedId).contains(QLatin1String("id")));
    }

    void serializesScalarResults_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("string") << QJsonValue(QStringLiteral("a\nb\u2028"))
                                << QByteArray("\"a\\nb\xe2\x80\xa8\"");
        QTest::newRow("integer") << QJsonValue(qint64(9007199254740993LL))
                                 << QByteArray("9007199254740993");
        QTest::newRow("double") << QJsonValue(0.5) << QByteArray("0.5");
        QTest::newRow("true") << QJsonValue(true) << QByteArray("true");
        QTest::newRow("false") << QJsonValue(false) << QByteArray("false");
        QTest::newRow("null") << QJsonValue() << QByteArray("null");
        QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << QByteArray("null");
        QTest::newRow("array") << QJsonValue(QJsonArray {1, QStringLiteral("x")})
                               << QByteArray(R"([1,"x"])");
    }
    void serializesScalarResults()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, expected);
        QCOMPARE(serialize(makeResult(1, value)),
                 QByteArray(QByteArray(R"({"jsonrpc":"2.0","id":1,"result":)") + expected + '}'));
    }

    void outputIsOneLine()
    {
        const QJsonObject nested {
            {QStringLiteral("text"), QStringLiteral("line1\nline2\r\n")},
            {QStringLiteral("list"), QJsonArray {QJsonObject {{QStringLiteral("a"), 1}}}}};
        const QByteArray out = serialize(makeResult(1, nested));
        QVERIFY(!out.contains('\n'));
        QVERIFY(!out.contains('\r'));
        QVERIFY(!out.contains(": "));
    }

    void roundTrips_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("request") << QByteArray(
            R"({"jsonrpc":"2.0","id":"abc","method":"tools/call","params":{"arguments":{"message":"hi"},"name":"echo"}})");
        QTest::newRow("notification") << QByteArray(
            R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1.5}})");
        QTest::newRow("result") << QByteArray(
            R"({"jsonrpc":"2.0","id":9007199254740993,"result":{"content":[]}})");
        QTest::newRow("error") << QByteArray(
            R"({"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"bad","data":null}})");
    }
    void roundTrips()
    {
        QFETCH(QByteArray, json);
        const Message first = single(json);
        const QByteArray out = serialize(first);
        QCOMPARE(out, json);
        QCOMPARE(QJsonDocument(toJson(first)).object(), QJsonDocument::fromJson(json).object());
        const Message again = single(out);
        QCOMPARE(again.kind, first.kind);
        QCOMPARE(again.id, first.id);
        QCOMPARE(again.params, first.params);
        QCOMPARE(again.result, first.result);
        QCOMPARE(again.errorData, first.errorData);
    }

    void toJsonBuildsEachKind()
    {
        const QJsonObject request = toJson(makeRequest(1, QStringLiteral("m"), QJsonObject {}));
        QCOMPARE(request.value(QLatin1String("jsonrpc")).toString(), QStringLiteral("2.0"));
        QCOMPARE(request.value(QLatin1String("id")).toInteger(), 1);
        QVERIFY(request.value(QLatin1String("params")).isObject());
        const QJsonObject notification = toJson(makeNotification(QStringLiteral("n")));
        QVERIFY(!notification.contains(QLatin1String("id")));
        QVERIFY(!notification.contains(QLatin1String("params")));
        Message noResult = makeResult(2, QJsonValue(QJsonValue::Undefined));
        QVERIFY(toJson(noResult).value(QLatin1String("result")).isNull());
        QVERIFY(toJson(noResult).contains(QLatin1String("result")));
        const QJsonObject error = toJson(makeError(3, 4, QStringLiteral("e"), QJsonArray {}));
        QCOMPARE(
            error.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt(), 4);
        QVERIFY(
            error.value(QLatin1String("error")).toObject().value(QLatin1String("data")).isArray());
    }

    void fromJsonReportsErrors()
    {
        Message error;
        QVERIFY(!fromJson(QJsonValue(5), &error));
        QCOMPARE(error.errorCode, ErrorCode::InvalidRequest);
        QVERIFY(!fromJson(QJsonValue(5))); // no error sink is fine
        const auto ok = fromJson(QJsonObject {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                              {QStringLiteral("method"), QStringLiteral("m")}});
        QVERIFY(ok);
        QCOMPARE(ok->kind, MessageKind::Notification);
    }

    void serializesBatches()
    {
        QCOMPARE(serialize(QList<Message> {}), QByteArray("[]"));
        QCOMPARE(
            serialize(QList<Message> {makeResult(1, QJsonObject {}),
                                      makeNotification(QStringLiteral("n"))}),
            QByteArray(R"([{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","method":"n"}])"));
    }

    void idsKeepTheirType()
    {
        QVERIFY(isValidId(QJsonValue(QStringLiteral(""))));
        QVERIFY(isValidId(QJsonValue(0)));
        QVERIFY(isValidId(QJsonValue(1)));
        QVERIFY(isValidId(QJsonValue(-1)));
        QVERIFY(!isValidId(QJsonValue(0.25)));
        QVERIFY(!isValidId(QJsonValue()));
        QVERIFY(!isValidId(QJsonValue(QJsonValue::Undefined)));
        QVERIFY(!isValidId(QJsonValue(true)));
        QVERIFY(idKey(QJsonValue(QStringLiteral("1"))) != idKey(QJsonValue(1)));
        QCOMPARE(idKey(QJsonValue(1)), idKey(QJsonValue(1.0)));
        QCOMPARE(idKey(QJsonValue(qint64(9007199254740993LL))),
                 QStringLiteral("i:9007199254740993"));
        QVERIFY(idKey(QJsonValue(qint64(9007199254740993LL)))
                != idKey(QJsonValue(qint64(9007199254740992LL))));
        QCOMPARE(idKey(QJsonValue()), QStringLiteral("null"));
        QCOMPARE(idToString(QJsonValue(7)), QStringLiteral("7"));
        QCOMPARE(idToString(QJsonValue(QStringLiteral("a"))), QStringLiteral("\"a\""));
    }
};

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "tst_jsonrpc.moc"
