// DemoMcpServer's protocol logic, driven in-process with decoded messages.
#include "common/jsonrpc.h"
#include "common/protocolversion.h"
#include "demomcpserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <mcpgate/version.h>

using namespace mcpgate;
using namespace mcpgate::demo;
using jsonrpc::Message;
using jsonrpc::MessageKind;

namespace {

const QString kVersionKey = QString::fromLatin1(mcp::MetaKey::ProtocolVersion);
const QString kCapabilitiesKey = QString::fromLatin1(mcp::MetaKey::ClientCapabilities);

// Everything the server said about the requests sent through it, in order.
struct Transcript
{
    QList<Message> messages;
    QList<bool> finals;

    DemoMcpServer::Reply reply()
    {
        return [this](const Message &message, bool final) {
            messages.append(message);
            finals.append(final);
        };
    }
    Message last() const { return messages.value(messages.size() - 1); }
};

QJsonObject statelessMeta(const QString &version = QStringLiteral("2026-07-28"))
{
    return QJsonObject {{kVersionKey, version},
                        {kCapabilitiesKey, QJsonObject {}},
                        {QString::fromLatin1(mcp::MetaKey::ClientInfo),
                         QJsonObject {{QStringLiteral("name"), QStringLiteral("test")},
                                      {QStringLiteral("version"), QStringLiteral("1")}}}};
}

QJsonObject withMeta(QJsonObject params, const QJsonObject &meta)
{
    params.insert(QStringLiteral("_meta"), meta);
    return params;
}

QJsonObject callParams(const QString &tool, const QJsonObject &arguments)
{
    return QJsonObject {{QStringLiteral("name"), tool}, {QStringLiteral("arguments"), arguments}};
}

QString firstText(const QJsonObject &result)
{
    return result.value(QLatin1String("content"))
        .toArray()
        .at(0)
        .toObject()
        .value(QLatin1String("text"))
        .toString();
}

} // namespace

class TestDemoMcpServer : public QObject
{
    Q_OBJECT

private:
    // Sends one request and returns the single final answer the server gave synchronously.
    static Message ask(DemoMcpServer &server, const QString &method, const QJsonObject &params = {},
                       const QJsonValue &id = 1)
    {
        Transcript transcript;
        server.handle(jsonrpc::makeRequest(id, method, params), transcript.reply());
        if (transcript.messages.size() != 1 || !transcript.finals.value(0))
            qWarning() << method << "did not answer at once";
        return transcript.last();
    }
    static void initialize(DemoMcpServer &server, const QString &version)
    {
        const Message answer
            = ask(server, QStringLiteral("initialize"),
                  {{QStringLiteral("protocolVersion"), version},
                   {QStringLiteral("capabilities"), QJsonObject {}},
                   {QStringLiteral("clientInfo"),
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("t")},
                                 {QStringLiteral("version"), QStringLiteral("1")}}}});
        QCOMPARE(answer.kind, MessageKind::Response);
        server.handle(jsonrpc::makeNotification(QStringLiteral("notifications/initialized")), {});
    }

private Q_SLOTS:
    void initializeNegotiates_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QString>("agreed");
        QTest::newRow("2024-11-05") << QStringLiteral("2024-11-05") << QStringLiteral("2024-11-05");
        QTest::newRow("2025-03-26") << QStringLiteral("2025-03-26") << QStringLiteral("2025-03-26");
        QTest::newRow("2025-06-18") << QStringLiteral("2025-06-18") << QStringLiteral("2025-06-18");
        QTest::newRow("2025-11-25") << QStringLiteral("2025-11-25") << QStringLiteral("2025-11-25");
        // initialize does not exist in the stateless revision, so it cannot be agreed on.
        QTest::newRow("2026-07-28") << QStringLiteral("2026-07-28") << QStringLiteral("2025-11-25");
        QTest::newRow("unknown") << QStringLiteral("2099-01-01") << QStringLiteral("2025-11-25");
    }
    void initializeNegotiates()
    {
        QFETCH(QString, requested);
        QFETCH(QString, agreed);
        DemoMcpServer server;
        QVERIFY(!server.isInitialized());
        const Message answer = ask(server, QStringLiteral("initialize"),
                                   {{QStringLiteral("protocolVersion"), requested}});
        QCOMPARE(answer.kind, MessageKind::Response);
        const QJsonObject result = answer.result.toObject();
        QCOMPARE(result.value(QLatin1String("protocolVersion")).toString(), agreed);
        QCOMPARE(server.sessionVersion(), agreed);
        const QJsonObject info = result.value(QLatin1String("serverInfo")).toObject();
        QCOMPARE(info.value(QLatin1String("name")).toString(),
                 QStringLiteral("mcpgate-demo-server"));
        QCOMPARE(info.value(QLatin1String("version")).toString(), QStringLiteral(MCPGATE_VERSION));
        const QJsonObject caps = result.value(QLatin1String("capabilities")).toObject();
        QVERIFY(caps.value(QLatin1String("tools"))
                    .toObject()
                    .value(QLatin1String("listChanged"))
                    .toBool());
        QVERIFY(caps.contains(QLatin1String("resources")));
        QVERIFY(caps.contains(QLatin1String("prompts")));
        QVERIFY(caps.contains(QLatin1String("logging")));
        QCOMPARE(server.batchesAllowed(), agreed == QLatin1String("2025-03-26"));
    }

    void initializeRefusals()
    {
        DemoMcpServer server;
        QCOMPARE(ask(server, QStringLiteral("initialize"), {}).errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
        QVERIFY(!server.isInitialized());
        initialize(server, QStringLiteral("2025-06-18"));
        const Message again
            = ask(server, QStringLiteral("initialize"),
                  {{QStringLiteral("protocolVersion"), QStringLiteral("2025-03-26")}});
        QCOMPARE(again.errorCode, jsonrpc::ErrorCode::InvalidRequest);
        QCOMPARE(server.sessionVersion(), QStringLiteral("2025-06-18"));
    }

    void beforeInitializeOnlyPingWorks()
    {
        DemoMcpServer server;
        QCOMPARE(ask(server, QStringLiteral("ping")).kind, MessageKind::Response);
        const Message refused = ask(server, QStringLiteral("tools/list"));
        QCOMPARE(refused.kind, MessageKind::ErrorResponse);
        QCOMPARE(refused.errorCode, jsonrpc::ErrorCode::InvalidParams);
        QVERIFY(refused.errorMessage.contains(QLatin1String("initialize")));
    }

    void listsShapedByRevision()
    {
        DemoMcpServer old;
        initialize(old, QStringLiteral("2024-11-05"));
        const QJsonArray oldTools = ask(old, QStringLiteral("tools/list"))
                                        .result.toObject()
                                        .value(QLatin1String("tools"))
                                        .toArray();
        QCOMPARE(oldTools.size(), 5);
        for (const QJsonValue &tool : oldTools) {
            const QJsonObject object = tool.toObject();
            QVERIFY(!object.contains(QLatin1String("title")));
            QVERIFY(!object.contains(QLatin1String("annotations")));
            QVERIFY(!object.contains(QLatin1String("outputSchema")));
            QCOMPARE(object.value(QLatin1String("inputSchema"))
                         .toObject()
                         .value(QLatin1String("type"))
                         .toString(),
                     QStringLiteral("object"));
        }

        DemoMcpServer annotated;
        initialize(annotated, QStringLiteral("2025-03-26"));
        const QJsonObject echo = ask(annotated, QStringLiteral("tools/list"))
                                     .result.toObject()
                                     .value(QLatin1String("tools"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QCOMPARE(echo.value(QLatin1String("annotations"))
                     .toObject()
                     .value(QLatin1String("title"))
                     .toString(),
                 QStringLiteral("Echo"));
        QVERIFY(!echo.contains(QLatin1String("title")));

        DemoMcpServer current;
        initialize(current, QStringLiteral("2025-06-18"));
        const QJsonArray tools = ask(current, QStringLiteral("tools/list"))
                                     .result.toObject()
                                     .value(QLatin1String("tools"))
                                     .toArray();
        QStringList names;
        for (const QJsonValue &tool : tools)
            names << tool.toObject().value(QLatin1String("name")).toString();
        QCOMPARE(
            names,
            (QStringList {QStringLiteral("echo"), QStringLiteral("add"), QStringLiteral("slow"),
                          QStringLiteral("fail"), QStringLiteral("big")}));
        QVERIFY(tools.at(1).toObject().contains(QLatin1String("outputSchema")));
        QVERIFY(tools.at(1).toObject().contains(QLatin1String("title")));
        QVERIFY(!tools.at(0).toObject().contains(QLatin1String("outputSchema")));
        QVERIFY(!ask(current, QStringLiteral("tools/list"))
                     .result.toObject()
                     .contains(QLatin1String("resultType")));
    }

    void rejectsCursors()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        for (const QString &method :
             {QStringLiteral("tools/list"), QStringLiteral("resources/list"),
              QStringLiteral("prompts/list")})
            QCOMPARE(
                ask(server, method, {{QStringLiteral("cursor"), QStringLiteral("x")}}).errorCode,
                jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("resources/templates/list"))
                     .result.toObject()
                     .value(QLatin1String("resourceTemplates"))
                     .toArray()
                     .size(),
                 0);
    }

    void quickTools()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        const Message echo
            = ask(server, QStringLiteral("tools/call"),
                  callParams(QStringLiteral("echo"),
                             {{QStringLiteral("message"), QStringLiteral("hé \"there\"\n")}}));
        QCOMPARE(firstText(echo.result.toObject()), QStringLiteral("hé \"there\"\n"));
        QVERIFY(!echo.result.toObject().value(QLatin1String("isError")).toBool());

        const QJsonObject sum
            = ask(server, QStringLiteral("tools/call"),
                  callParams(QStringLiteral("add"),
                             {{QStringLiteral("a"), 0.1}, {QStringLiteral("b"), 0.2}}))
                  .result.toObject();
        QCOMPARE(firstText(sum), QStringLiteral("0.30000000000000004"));
        QCOMPARE(sum.value(QLatin1String("structuredContent"))
                     .toObject()
                     .value(QLatin1String("sum"))
                     .toDouble(),
                 0.1 + 0.2);
        const QJsonObject whole
            = ask(server, QStringLiteral("tools/call"),
                  callParams(QStringLiteral("add"),
                             {{QStringLiteral("a"), 40}, {QStringLiteral("b"), 2}}))
                  .result.toObject();
        QCOMPARE(firstText(whole), QStringLiteral("42"));

        const QJsonObject failed
            = ask(server, QStringLiteral("tools/call"),
                  callParams(QStringLiteral("fail"),
                             {{QStringLiteral("message"), QStringLiteral("boom")}}))
                  .result.toObject();
        QVERIFY(failed.value(QLatin1String("isError")).toBool());
        QCOMPARE(firstText(failed), QStringLiteral("boom"));
        const QJsonObject failedDefault = ask(server, QStringLiteral("tools/call"),
                                              {{QStringLiteral("name"), QStringLiteral("fail")}})
                                              .result.toObject();
        QVERIFY(failedDefault.value(QLatin1String("isError")).toBool());
        QVERIFY(!firstText(failedDefault).isEmpty());

        const QString big
            = firstText(ask(server, QStringLiteral("tools/call"),
                            callParams(QStringLiteral("big"), {{QStringLiteral("kilobytes"), 3}}))
                            .result.toObject());
        QCOMPARE(big.size(), 3 * 1024);
        QCOMPARE(
            big,
            firstText(ask(server, QStringLiteral("tools/call"),
                          callParams(QStringLiteral("big"), {{QStringLiteral("kilobytes"), 3}}))
                          .result.toObject()));
        QVERIFY(big.startsWith(QLatin1String("mcpgate demo payload line 00000000")));
    }

    void addHasNoStructuredContentBefore20250618()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-03-26"));
        const QJsonObject sum
            = ask(server, QStringLiteral("tools/call"),
                  callParams(QStringLiteral("add"),
                             {{QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}}))
                  .result.toObject();
        QCOMPARE(firstText(sum), QStringLiteral("3"));
        QVERIFY(!sum.contains(QLatin1String("structuredContent")));
    }

    void toolCallProtocolErrors()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-11-25"));
        QCOMPARE(ask(server, QStringLiteral("tools/call"), callParams(QStringLiteral("nope"), {}))
                     .errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("tools/call"), {{QStringLiteral("name"), 5}}).errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("tools/call"),
                     {{QStringLiteral("name"), QStringLiteral("echo")},
                      {QStringLiteral("arguments"), QJsonArray {}}})
                     .errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
    }

    // Up to 2025-06-18 invalid arguments are a protocol error; from 2025-11-25 a tool error.
    void badArguments_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QJsonObject>("arguments");
        QTest::addColumn<QString>("complaint");
        const QList<QString> versions
            = {QStringLiteral("2024-11-05"), QStringLiteral("2025-06-18"),
               QStringLiteral("2025-11-25"), QStringLiteral("2026-07-28")};
        for (const QString &version : versions) {
            auto row = [&](const char *name) -> QTestData & {
                return QTest::addRow("%s %s", qPrintable(version), name);
            };
            row("missing") << version << QStringLiteral("echo") << QJsonObject {}
                           << QStringLiteral("Missing required argument 'message'");
            row("wrong type") << version << QStringLiteral("add")
                              << QJsonObject {{QStringLiteral("a"), QStringLiteral("1")},
                                              {QStringLiteral("b"), 2}}
                              << QStringLiteral("must be a number");
            row("extra") << version << QStringLiteral("echo")
                         << QJsonObject {{QStringLiteral("message"), QStringLiteral("x")},
                                         {QStringLiteral("loud"), true}}
                         << QStringLiteral("Unexpected argument 'loud'");
            row("fraction") << version << QStringLiteral("big")
                            << QJsonObject {{QStringLiteral("kilobytes"), 1.5}}
                            << QStringLiteral("must be an integer");
            row("too big") << version << QStringLiteral("big")
                           << QJsonObject {{QStringLiteral("kilobytes"), 16385}}
                           << QStringLiteral("between 1 and 16384");
            row("too small") << version << QStringLiteral("slow")
                             << QJsonObject {{QStringLiteral("seconds"), -1}}
                             << QStringLiteral("between 0 and 60");
            row("zero steps") << version << QStringLiteral("slow")
                              << QJsonObject {{QStringLiteral("seconds"), 1},
                                              {QStringLiteral("steps"), 0}}
                              << QStringLiteral("between 1 and 1000");
            row("message type") << version << QStringLiteral("fail")
                                << QJsonObject {{QStringLiteral("message"), 3}}
                                << QStringLiteral("must be a string");
        }
    }
    void badArguments()
    {
        QFETCH(QString, version);
        QFETCH(QString, tool);
        QFETCH(QJsonObject, arguments);
        QFETCH(QString, complaint);
        DemoMcpServer server;
        QJsonObject params = callParams(tool, arguments);
        if (mcp::features(version)->statelessRequests)
            params = withMeta(params, statelessMeta(version));
        else
            initialize(server, version);
        const Message answer = ask(server, QStringLiteral("tools/call"), params);
        if (mcp::features(version)->inputValidationAsToolError) {
            QCOMPARE(answer.kind, MessageKind::Response);
            QVERIFY(answer.result.toObject().value(QLatin1String("isError")).toBool());
            QVERIFY2(firstText(answer.result.toObject()).contains(complaint),
                     qPrintable(firstText(answer.result.toObject())));
        } else {
            QCOMPARE(answer.kind, MessageKind::ErrorResponse);
            QCOMPARE(answer.errorCode, jsonrpc::ErrorCode::InvalidParams);
            QVERIFY2(answer.errorMessage.contains(complaint), qPrintable(answer.errorMessage));
        }
    }

    void slowReportsProgress()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        Transcript transcript;
        QJsonObject params
            = withMeta(callParams(QStringLiteral("slow"),
                                  {{QStringLiteral("seconds"), 0.1}, {QStringLiteral("steps"), 4}}),
                       {{QStringLiteral("progressToken"), QStringLiteral("tok")}});
        server.handle(
            jsonrpc::makeRequest(QStringLiteral("s1"), QStringLiteral("tools/call"), params),
            transcript.reply());
        QCOMPARE(transcript.messages.size(), 0);
        QCOMPARE(server.inFlightCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(transcript.messages.size(), 5, 5000);
        for (int i = 0; i < 4; ++i) {
            const Message &progress = transcript.messages.at(i);
            QCOMPARE(progress.method, QStringLiteral("notifications/progress"));
            QVERIFY(!transcript.finals.at(i));
            const QJsonObject p = progress.paramsObject();
            QCOMPARE(p.value(QLatin1String("progressToken")).toString(), QStringLiteral("tok"));
            QCOMPARE(p.value(QLatin1String("progress")).toInt(), i + 1);
            QCOMPARE(p.value(QLatin1String("total")).toInt(), 4);
            QVERIFY(p.contains(QLatin1String("message")));
        }
        QVERIFY(transcript.finals.at(4));
        QCOMPARE(transcript.last().id.toString(), QStringLiteral("s1"));
        QCOMPARE(firstText(transcript.last().result.toObject()),
                 QStringLiteral("done after 4 steps"));
        QCOMPARE(server.inFlightCount(), 0);
    }

    void slowWithoutTokenOrMessage()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2024-11-05"));
        Transcript silent;
        server.handle(jsonrpc::makeRequest(
                          1, QStringLiteral("tools/call"),
                          callParams(QStringLiteral("slow"), {{QStringLiteral("seconds"), 0}})),
                      silent.reply());
        QTRY_COMPARE(silent.messages.size(), 1);
        QCOMPARE(firstText(silent.last().result.toObject()), QStringLiteral("done after 5 steps"));

        // 2024-11-05 progress has no "message" field.
        Transcript old;
        server.handle(jsonrpc::makeRequest(2, QStringLiteral("tools/call"),
                                           withMeta(callParams(QStringLiteral("slow"),
                                                               {{QStringLiteral("seconds"), 0},
                                                                {QStringLiteral("steps"), 1}}),
                                                    {{QStringLiteral("progressToken"), 7}})),
                      old.reply());
        QTRY_COMPARE(old.messages.size(), 2);
        QCOMPARE(old.messages.first().paramsObject().value(QLatin1String("progressToken")).toInt(),
                 7);
        QVERIFY(!old.messages.first().paramsObject().contains(QLatin1String("message")));
    }

    void cancellationStopsSlow()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        Transcript transcript;
        const qint64 bigId = 9007199254740993LL;
        server.handle(jsonrpc::makeRequest(bigId, QStringLiteral("tools/call"),
                                           withMeta(callParams(QStringLiteral("slow"),
                                                               {{QStringLiteral("seconds"), 0.4},
                                                                {QStringLiteral("steps"), 4}}),
                                                    {{QStringLiteral("progressToken"), 1}})),
                      transcript.reply());
        QTRY_COMPARE(transcript.messages.size(), 1);
        // An id that differs only beyond double precision must not cancel it.
        server.handle(
            jsonrpc::makeNotification(QStringLiteral("notifications/cancelled"),
                                      QJsonObject {{QStringLiteral("requestId"), bigId - 1}}),
            {});
        QCOMPARE(server.inFlightCount(), 1);
        server.handle(jsonrpc::makeNotification(QStringLiteral("notifications/cancelled"),
                                                QJsonObject {{QStringLiteral("requestId"), true}}),
                      {});
        QCOMPARE(server.inFlightCount(), 1);
        server.handle(jsonrpc::makeNotification(
                          QStringLiteral("notifications/cancelled"),
                          QJsonObject {{QStringLiteral("requestId"), bigId},
                                       {QStringLiteral("reason"), QStringLiteral("test")}}),
                      {});
        QCOMPARE(server.inFlightCount(), 0);
        QTest::qWait(600);
        QCOMPARE(transcript.messages.size(), 1); // nothing after the cancel, no result
    }

    void cancelFromInsideTheReply()
    {
        // A transport that notices a closed stream while writing progress cancels right there.
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        int calls = 0;
        server.handle(jsonrpc::makeRequest(1, QStringLiteral("tools/call"),
                                           withMeta(callParams(QStringLiteral("slow"),
                                                               {{QStringLiteral("seconds"), 0},
                                                                {QStringLiteral("steps"), 3}}),
                                                    {{QStringLiteral("progressToken"), 1}})),
                      [&](const Message &, bool) {
                          ++calls;
                          server.cancelAll();
                      });
        QTRY_COMPARE(calls, 1);
        QTest::qWait(50);
        QCOMPARE(calls, 1);
        QCOMPARE(server.inFlightCount(), 0);
    }

    void duplicateInFlightIdIsRefused()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        Transcript first;
        const QJsonObject params
            = callParams(QStringLiteral("slow"), {{QStringLiteral("seconds"), 5}});
        server.handle(
            jsonrpc::makeRequest(QStringLiteral("x"), QStringLiteral("tools/call"), params),
            first.reply());
        const Message second
            = ask(server, QStringLiteral("tools/call"), params, QStringLiteral("x"));
        QCOMPARE(second.errorCode, jsonrpc::ErrorCode::InvalidRequest);
        // The integer 1 and the string "1" are different ids.
        Transcript other;
        server.handle(
            jsonrpc::makeRequest(QStringLiteral("1"), QStringLiteral("tools/call"), params),
            other.reply());
        server.handle(jsonrpc::makeRequest(1, QStringLiteral("tools/call"), params), other.reply());
        QCOMPARE(server.inFlightCount(), 3);
        server.cancelAll();
        QCOMPARE(server.inFlightCount(), 0);
        QCOMPARE(first.messages.size(), 0);
    }

    void resourcesAndPrompts()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        const QJsonArray resources = ask(server, QStringLiteral("resources/list"))
                                         .result.toObject()
                                         .value(QLatin1String("resources"))
                                         .toArray();
        QCOMPARE(resources.size(), 1);
        QCOMPARE(resources.at(0).toObject().value(QLatin1String("uri")).toString(),
                 QStringLiteral("demo://readme"));
        QCOMPARE(resources.at(0).toObject().value(QLatin1String("mimeType")).toString(),
                 QStringLiteral("text/markdown"));
        const QJsonArray contents = ask(server, QStringLiteral("resources/read"),
                                        {{QStringLiteral("uri"), QStringLiteral("demo://readme")}})
                                        .result.toObject()
                                        .value(QLatin1String("contents"))
                                        .toArray();
        QCOMPARE(contents.size(), 1);
        QVERIFY(contents.at(0)
                    .toObject()
                    .value(QLatin1String("text"))
                    .toString()
                    .startsWith(QLatin1String("# mcpgate-demo-server")));
        const Message missing = ask(server, QStringLiteral("resources/read"),
                                    {{QStringLiteral("uri"), QStringLiteral("demo://nope")}});
        QCOMPARE(missing.errorCode, mcp::ErrorCode::ResourceNotFoundLegacy);
        QCOMPARE(missing.errorData.toObject().value(QLatin1String("uri")).toString(),
                 QStringLiteral("demo://nope"));

        const QJsonObject prompt = ask(server, QStringLiteral("prompts/list"))
                                       .result.toObject()
                                       .value(QLatin1String("prompts"))
                                       .toArray()
                                       .at(0)
                                       .toObject();
        QCOMPARE(prompt.value(QLatin1String("name")).toString(), QStringLiteral("greeting"));
        QVERIFY(prompt.value(QLatin1String("arguments"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QLatin1String("required"))
                    .toBool());
        const QJsonObject got
            = ask(server, QStringLiteral("prompts/get"),
                  {{QStringLiteral("name"), QStringLiteral("greeting")},
                   {QStringLiteral("arguments"),
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("Ada")}}}})
                  .result.toObject();
        const QJsonObject message = got.value(QLatin1String("messages")).toArray().at(0).toObject();
        QCOMPARE(message.value(QLatin1String("role")).toString(), QStringLiteral("user"));
        QVERIFY(message.value(QLatin1String("content"))
                    .toObject()
                    .value(QLatin1String("text"))
                    .toString()
                    .contains(QLatin1String("Ada")));
        QCOMPARE(ask(server, QStringLiteral("prompts/get"),
                     {{QStringLiteral("name"), QStringLiteral("greeting")}})
                     .errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("prompts/get"),
                     {{QStringLiteral("name"), QStringLiteral("farewell")}})
                     .errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
    }

    void loggingAndUnknownMethods()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-06-18"));
        QCOMPARE(ask(server, QStringLiteral("logging/setLevel"),
                     {{QStringLiteral("level"), QStringLiteral("warning")}})
                     .kind,
                 MessageKind::Response);
        QCOMPARE(ask(server, QStringLiteral("logging/setLevel"),
                     {{QStringLiteral("level"), QStringLiteral("loud")}})
                     .errorCode,
                 jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("completion/complete")).errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(ask(server, QStringLiteral("server/discover")).errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(ask(server, QStringLiteral("subscriptions/listen")).errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(ask(server, QStringLiteral("ping")).kind, MessageKind::Response);
        // Notifications and responses never get an answer.
        Transcript none;
        server.handle(jsonrpc::makeNotification(QStringLiteral("notifications/whatever")),
                      none.reply());
        server.handle(jsonrpc::makeResult(5, QJsonObject {}), none.reply());
        server.handle(jsonrpc::makeError(5, 1, QStringLiteral("x")), none.reply());
        QCOMPARE(none.messages.size(), 0);
    }

    void statelessDiscover()
    {
        DemoMcpServer server;
        const Message answer
            = ask(server, QStringLiteral("server/discover"), withMeta({}, statelessMeta()));
        QCOMPARE(answer.kind, MessageKind::Response);
        const QJsonObject result = answer.result.toObject();
        QCOMPARE(result.value(QLatin1String("resultType")).toString(), QStringLiteral("complete"));
        QCOMPARE(result.value(QLatin1String("supportedVersions")).toArray().toVariantList().size(),
                 5);
        QCOMPARE(result.value(QLatin1String("supportedVersions")).toArray().at(0).toString(),
                 QStringLiteral("2026-07-28"));
        QVERIFY(result.value(QLatin1String("capabilities"))
                    .toObject()
                    .contains(QLatin1String("tools")));
        QVERIFY(result.value(QLatin1String("ttlMs")).toInteger() > 0);
        QCOMPARE(result.value(QLatin1String("cacheScope")).toString(), QStringLiteral("public"));
        QCOMPARE(result.value(QLatin1String("_meta"))
                     .toObject()
                     .value(QString::fromLatin1(mcp::MetaKey::ServerInfo))
                     .toObject()
                     .value(QLatin1String("name"))
                     .toString(),
                 QStringLiteral("mcpgate-demo-server"));
        QVERIFY(!server.isInitialized()); // stateless requests leave no session behind
    }

    void statelessCallsNeedNoInitialize()
    {
        DemoMcpServer server;
        const QJsonObject list
            = ask(server, QStringLiteral("tools/list"), withMeta({}, statelessMeta()))
                  .result.toObject();
        QCOMPARE(list.value(QLatin1String("tools")).toArray().size(), 5);
        QVERIFY(list.contains(QLatin1String("ttlMs")));
        const QJsonObject echo
            = ask(server, QStringLiteral("tools/call"),
                  withMeta(callParams(QStringLiteral("echo"),
                                      {{QStringLiteral("message"), QStringLiteral("hi")}}),
                           statelessMeta()))
                  .result.toObject();
        QCOMPARE(firstText(echo), QStringLiteral("hi"));
        QCOMPARE(echo.value(QLatin1String("resultType")).toString(), QStringLiteral("complete"));
        QVERIFY(!echo.contains(QLatin1String("ttlMs"))); // tool results are not cacheable
        const Message missing
            = ask(server, QStringLiteral("resources/read"),
                  withMeta({{QStringLiteral("uri"), QStringLiteral("demo://x")}}, statelessMeta()));
        QCOMPARE(missing.errorCode, jsonrpc::ErrorCode::InvalidParams);
        QCOMPARE(ask(server, QStringLiteral("ping"), withMeta({}, statelessMeta())).errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(ask(server, QStringLiteral("initialize"),
                     withMeta({{QStringLiteral("protocolVersion"), QStringLiteral("2026-07-28")}},
                              statelessMeta()))
                     .errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
        QCOMPARE(ask(server, QStringLiteral("logging/setLevel"),
                     withMeta({{QStringLiteral("level"), QStringLiteral("info")}}, statelessMeta()))
                     .errorCode,
                 jsonrpc::ErrorCode::MethodNotFound);
    }

    void statelessMetaIsChecked()
    {
        DemoMcpServer server;
        QJsonObject noCaps = statelessMeta();
        noCaps.remove(kCapabilitiesKey);
        const Message a = ask(server, QStringLiteral("tools/list"), withMeta({}, noCaps));
        QCOMPARE(a.errorCode, jsonrpc::ErrorCode::InvalidParams);
        QVERIFY(a.errorMessage.contains(kCapabilitiesKey));

        const Message b
            = ask(server, QStringLiteral("tools/list"),
                  withMeta({}, {{kVersionKey, 2026}, {kCapabilitiesKey, QJsonObject {}}}));
        QCOMPARE(b.errorCode, jsonrpc::ErrorCode::InvalidParams);

        const Message c = ask(server, QStringLiteral("tools/list"),
                              withMeta({}, statelessMeta(QStringLiteral("2099-01-01"))));
        QCOMPARE(c.errorCode, mcp::ErrorCode::UnsupportedProtocolVersion);
        QCOMPARE(c.errorData.toObject().value(QLatin1String("requested")).toString(),
                 QStringLiteral("2099-01-01"));
        QVERIFY(c.errorData.toObject()
                    .value(QLatin1String("supported"))
                    .toArray()
                    .contains(QStringLiteral("2026-07-28")));

        // Naming a handshake revision in _meta without having initialized is no way in either.
        const Message d = ask(server, QStringLiteral("tools/list"),
                              withMeta({}, statelessMeta(QStringLiteral("2025-06-18"))));
        QCOMPARE(d.errorCode, mcp::ErrorCode::UnsupportedProtocolVersion);
    }

    void dualEraOnOneConnection()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-03-26"));
        // Inside a session an old-revision version key is just metadata...
        const QJsonObject legacy = ask(server, QStringLiteral("tools/list"),
                                       withMeta({}, statelessMeta(QStringLiteral("2025-03-26"))))
                                       .result.toObject();
        QVERIFY(!legacy.contains(QLatin1String("resultType")));
        // ...while a stateless request is still served statelessly.
        const QJsonObject modern
            = ask(server, QStringLiteral("tools/list"), withMeta({}, statelessMeta()))
                  .result.toObject();
        QCOMPARE(modern.value(QLatin1String("resultType")).toString(), QStringLiteral("complete"));
        QCOMPARE(server.sessionVersion(), QStringLiteral("2025-03-26"));
    }

    void subscriptionsListen()
    {
        DemoMcpServer server;
        Transcript transcript;
        server.handle(jsonrpc::makeRequest(
                          QStringLiteral("sub"), QStringLiteral("subscriptions/listen"),
                          withMeta({{QStringLiteral("notifications"),
                                     QJsonObject {{QStringLiteral("toolsListChanged"), true},
                                                  {QStringLiteral("promptsListChanged"), false},
                                                  {QStringLiteral("resourceSubscriptions"),
                                                   QJsonArray {QStringLiteral("demo://readme")}}}}},
                                   statelessMeta())),
                      transcript.reply());
        QCOMPARE(transcript.messages.size(), 1);
        QVERIFY(!transcript.finals.first());
        const Message ack = transcript.messages.first();
        QCOMPARE(ack.method, QStringLiteral("notifications/subscriptions/acknowledged"));
        QCOMPARE(ack.paramsObject()
                     .value(QLatin1String("_meta"))
                     .toObject()
                     .value(QString::fromLatin1(mcp::MetaKey::SubscriptionId))
                     .toString(),
                 QStringLiteral("sub"));
        QCOMPARE(ack.paramsObject().value(QLatin1String("notifications")).toObject(),
                 (QJsonObject {{QStringLiteral("toolsListChanged"), true}}));
        QCOMPARE(server.inFlightCount(), 1);
        server.cancel(QStringLiteral("sub"));
        QCOMPARE(server.inFlightCount(), 0);
        QCOMPARE(transcript.messages.size(), 1);
    }

    void batches()
    {
        DemoMcpServer server;
        initialize(server, QStringLiteral("2025-03-26"));
        QList<QList<Message>> calls;
        QList<bool> finals;
        auto reply = [&](const QList<Message> &messages, bool final) {
            calls.append(messages);
            finals.append(final);
        };
        server.handleBatch({jsonrpc::makeRequest(1, QStringLiteral("ping")),
                            jsonrpc::makeNotification(QStringLiteral("notifications/whatever")),
                            jsonrpc::makeRequest(
                                2, QStringLiteral("tools/call"),
                                withMeta(callParams(QStringLiteral("slow"),
                                                    {{QStringLiteral("seconds"), 0},
                                                     {QStringLiteral("steps"), 1}}),
                                         {{QStringLiteral("progressToken"), QStringLiteral("p")}})),
                            jsonrpc::makeRequest(3, QStringLiteral("nope"))},
                           reply);
        QTRY_VERIFY(!finals.isEmpty() && finals.last());
        QCOMPARE(calls.size(), 2); // the progress notification, then all responses together
        QCOMPARE(calls.first().first().method, QStringLiteral("notifications/progress"));
        const QList<Message> responses = calls.last();
        QCOMPARE(responses.size(), 3);
        QList<qint64> ids;
        for (const Message &m : responses)
            ids << m.id.toInteger();
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (QList<qint64> {1, 2, 3}));

        calls.clear();
        finals.clear();
        server.handleBatch({jsonrpc::makeNotification(QStringLiteral("notifications/whatever"))},
                           reply);
        QCOMPARE(calls.size(), 1);
        QVERIFY(calls.first().isEmpty());

        DemoMcpServer later;
        initialize(later, QStringLiteral("2025-06-18"));
        calls.clear();
        later.handleBatch({jsonrpc::makeRequest(1, QStringLiteral("ping"))}, reply);
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.first().size(), 1);
        QCOMPARE(calls.first().first().errorCode, jsonrpc::ErrorCode::InvalidRequest);
    }

    void supportedVersionsNewestFirst()
    {
        QStringList expected = mcp::knownVersions();
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(DemoMcpServer::supportedVersions(), expected);
    }
};

QTEST_GUILESS_MAIN(TestDemoMcpServer)
#include "tst_demomcpserver.moc"
